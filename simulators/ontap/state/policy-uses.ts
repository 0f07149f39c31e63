// What the SnapMirror policy rules know of the relationships a policy governs: the real relationships, plus /sim
// stand-ins for kinds the simulator does not serve.
import type { PolicyRecord, PolicyUseRecord } from './model';
import type { OntapState } from './state';

/**
 * FlexVol relationships on this (destination) cluster are real; SVM-DR, FlexGroup and consistency-group
 * relationships are not simulated, so tests still attach those as stand-ins through /sim/policy-uses.
 */
export function usesOf(state: OntapState, policy: PolicyRecord): PolicyUseRecord[] {
  const real: PolicyUseRecord[] = [...state.relationships.values()]
    .filter((r) => r.role === 'destination' && r.policy === policy.uuid)
    .map((r) => ({
      uuid: r.uuid,
      seq: r.seq,
      policy: policy.uuid,
      endpoint: 'flexvol' as const,
      ...(r.throttle !== undefined ? { throttle: r.throttle } : {}),
      ...(r.transfer_schedule !== undefined ? { transfer_schedule: r.transfer_schedule } : {}),
    }));
  return [...real, ...[...state.policyUses.values()].filter((u) => u.policy === policy.uuid)];
}
