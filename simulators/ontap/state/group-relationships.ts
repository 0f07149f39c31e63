// SVM-DR relationships (`svm:` paths) and consistency-group relationships (`svm:/cg/name` paths with
// consistency_group_volumes), created through /api/snapmirror/relationships on the destination. The simulator records
// them, answers them, lets their state move and counts them for the SnapMirror policy rules; it moves no data for them
// (their transfers are refused).
import { invalid, invalidValue, required } from '../errors';
import type { Json } from '../query';
import type { IdentityPreservation, RelationshipRecord, SvmPeerRecord, SvmRecord } from './model';
import type { OntapState } from './state';
import { resolve } from '../validate';

const IDENTITY = ['full', 'exclude_network_config', 'exclude_network_and_protocol_config'];
const SVM_PATH = /^([A-Za-z0-9_.-]+):$/;
const CG_PATH = /^([A-Za-z0-9_.-]+):\/cg\/([A-Za-z0-9_.-]+)$/;

export interface GroupEnds {
  endpoint: 'svm' | 'consistency_group';
  source: { svm: string; path: string };
  destination: { svm: string; path: string };
  /** Member volume names, source then destination (consistency groups). */
  volumes?: { source: string[]; destination: string[] };
}

const names = (value: unknown, field: string): string[] => {
  if (!Array.isArray(value) || value.length === 0) throw required(field);
  return value.map((v) => {
    const name = typeof v === 'object' && v !== null ? (v as Json).name : undefined;
    if (typeof name !== 'string' || !name) throw invalidValue(field, v);
    return name;
  });
};

/** The group endpoints a create body names, or undefined for a volume relationship. */
export function groupEnds(body: Json): GroupEnds | undefined {
  const source = (body.source ?? {}) as Json;
  const destination = (body.destination ?? {}) as Json;
  const [src, dst] = [String(source.path ?? ''), String(destination.path ?? '')];
  const svm = [SVM_PATH.exec(src), SVM_PATH.exec(dst)];
  if (svm[0] || svm[1]) {
    if (!svm[0] || !svm[1]) throw invalid('An SVM-DR relationship has "svm:" paths at both ends', 'destination.path');
    return {
      endpoint: 'svm',
      source: { svm: svm[0][1], path: src },
      destination: { svm: svm[1][1], path: dst },
    };
  }
  const cg = [CG_PATH.exec(src), CG_PATH.exec(dst)];
  if (cg[0] || cg[1]) {
    if (!cg[0] || !cg[1])
      throw invalid('A consistency-group relationship has "svm:/cg/name" paths at both ends', 'destination.path');
    const volumes = {
      source: names(source.consistency_group_volumes, 'source.consistency_group_volumes'),
      destination: names(destination.consistency_group_volumes, 'destination.consistency_group_volumes'),
    };
    if (volumes.source.length !== volumes.destination.length)
      throw invalid(
        'source and destination consistency_group_volumes must list as many volumes',
        'destination.consistency_group_volumes',
      );
    return {
      endpoint: 'consistency_group',
      source: { svm: cg[0][1], path: src },
      destination: { svm: cg[1][1], path: dst },
      volumes,
    };
  }
  if (source.consistency_group_volumes !== undefined || destination.consistency_group_volumes !== undefined)
    throw invalid('consistency_group_volumes needs "svm:/cg/name" paths', 'source.path');
  return undefined;
}

/**
 * The destination-side record of a group relationship. `peer` is the SVM peer the source SVM is known by here (none
 * for a consistency group within one SVM of this cluster). SVM DR needs a peered cluster and a destination SVM of
 * subtype dp_destination, as ONTAP does; a consistency group's destination volumes are DP volumes of this SVM.
 */
export function groupRelationship(
  state: OntapState,
  g: GroupEnds,
  dstSvm: SvmRecord,
  peer: SvmPeerRecord | undefined,
  base: Pick<RelationshipRecord, 'uuid' | 'policy' | 'throttle' | 'transfer_schedule'>,
  identity: unknown,
): RelationshipRecord {
  if (identity !== undefined && (g.endpoint !== 'svm' || typeof identity !== 'string' || !IDENTITY.includes(identity)))
    throw invalidValue('identity_preservation', identity);
  if (g.endpoint === 'svm') {
    if (!peer?.peer)
      throw invalid('SVM DR replicates to an SVM of a peered cluster: peer the SVMs across clusters', 'source.path');
    if (dstSvm.subtype !== 'dp_destination')
      throw invalid(
        `SVM "${dstSvm.name}" must be of subtype dp_destination to be the destination of SVM DR`,
        'destination.path',
      );
  }
  if (g.volumes) {
    for (const name of g.volumes.destination) {
      const v = resolve(state.volumesOf(dstSvm.uuid), { name }, 'destination.consistency_group_volumes', 'Volume');
      if (v.type !== 'dp')
        throw invalid(
          `Volume "${name}" of the consistency group must be a DP volume`,
          'destination.consistency_group_volumes',
        );
    }
  }
  const cluster = peer?.peer ? state.clusterPeers.get(peer.peer) : undefined;
  return {
    ...base,
    seq: 0,
    role: 'destination',
    source: {
      path: g.source.path,
      svm: g.source.svm,
      volume: '',
      cluster: cluster?.name ?? state.cluster.name,
      cluster_uuid: cluster?.remote_uuid ?? state.cluster.uuid,
    },
    destination: {
      path: g.destination.path,
      svm: dstSvm.name,
      volume: '',
      cluster: state.cluster.name,
      cluster_uuid: state.cluster.uuid,
    },
    ...(cluster ? { peer: cluster.uuid } : {}),
    state: 'uninitialized',
    endpoint: g.endpoint,
    ...(typeof identity === 'string' ? { identity_preservation: identity as IdentityPreservation } : {}),
    ...(g.volumes ? { cg_volumes: g.volumes } : {}),
    created_snapshots: 0,
    create_time: Date.now(),
  };
}

/** A state change of a group relationship: no data moves, the state does. */
export function groupTransition(rel: RelationshipRecord, next: string): void {
  const ok: Record<string, string[]> = {
    snapmirrored: ['uninitialized', 'paused', 'broken_off', 'snapmirrored'],
    paused: ['snapmirrored', 'uninitialized', 'paused'],
    broken_off: ['snapmirrored', 'paused', 'broken_off'],
  };
  if (!ok[next]) throw invalid(`"state" takes snapmirrored, paused or broken_off, not "${next}"`, 'state');
  if (!ok[next].includes(rel.state))
    throw invalid(`A relationship in state "${rel.state}" cannot become "${next}"`, 'state');
  rel.state = next as RelationshipRecord['state'];
}

/** The parts of the view only group relationships have. */
export function groupView(rel: RelationshipRecord): Json {
  return {
    ...(rel.identity_preservation ? { identity_preservation: rel.identity_preservation } : {}),
    ...(rel.cg_volumes
      ? {
          source: { consistency_group_volumes: rel.cg_volumes.source.map((name) => ({ name })) },
          destination: { consistency_group_volumes: rel.cg_volumes.destination.map((name) => ({ name })) },
        }
      : {}),
    group_type: rel.endpoint === 'svm' ? 'svm_dr' : 'consistency_group',
  };
}
