// What the SnapMirror policy rules know of the relationships a policy governs: the relationships on this cluster
// (FlexVol, FlexGroup, SVM DR, consistency group), plus the older /sim stand-ins.
import type { PolicyRecord, PolicyUseRecord, RelationshipRecord } from './model';
import type { OntapState } from './state';

/** A volume relationship's kind: FlexGroup when its destination volume is one. */
const endpointOf = (state: OntapState, r: RelationshipRecord): 'flexvol' | 'flexgroup' =>
  r.destination.volume_uuid && state.volumes.get(r.destination.volume_uuid)?.style === 'flexgroup'
    ? 'flexgroup'
    : 'flexvol';

/** The destination-side relationships of this cluster under the policy, and the stand-ins attached to it. */
export function usesOf(state: OntapState, policy: PolicyRecord): PolicyUseRecord[] {
  const real: PolicyUseRecord[] = [...state.relationships.values()]
    .filter((r) => r.role === 'destination' && r.policy === policy.uuid)
    .map((r) => ({
      uuid: r.uuid,
      seq: r.seq,
      policy: policy.uuid,
      endpoint: r.endpoint ?? endpointOf(state, r),
      ...(r.identity_preservation ? { identity_preservation: r.identity_preservation } : {}),
      ...(r.throttle !== undefined ? { throttle: r.throttle } : {}),
      ...(r.transfer_schedule !== undefined ? { transfer_schedule: r.transfer_schedule } : {}),
    }));
  return [...real, ...[...state.policyUses.values()].filter((u) => u.policy === policy.uuid)];
}
