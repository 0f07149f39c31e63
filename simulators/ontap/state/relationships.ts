// SnapMirror relationships: endpoint paths, which cluster holds each end, the policy a relationship follows, and its
// view.
import { ONTAP_ERROR, OntapError, conflict, invalid, invalidValue, notFound } from '../errors';
import type {
  ClusterPeerRecord,
  EndpointRecord,
  PolicyRecord,
  RelationshipRecord,
  SvmRecord,
  TransferRecord,
  VolumeRecord,
} from './model';
import type { Json } from '../query';
import type { OntapState } from './state';
import { resolve } from '../validate';
import { groupView } from './group-relationships';

const isoMs = (ms: number): string => new Date(ms).toISOString();
/** ISO-8601 duration with milliseconds, e.g. PT12.345S. */
export const duration = (ms: number): string =>
  `PT${Math.max(0, ms / 1000)
    .toFixed(3)
    .replace(/\.?0+$/, '')}S`;

/** `svm:volume`, both parts present. */
export function splitPath(path: unknown, field: string): { svm: string; volume: string } {
  const m = typeof path === 'string' ? /^([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)$/.exec(path) : null;
  if (!m) throw invalidValue(field, path);
  return { svm: m[1], volume: m[2] };
}

export function localVolume(state: OntapState, svm: SvmRecord, name: string, field: string): VolumeRecord {
  return resolve(state.volumesOf(svm.uuid), { name }, field, 'Volume');
}

/** Both ends on this cluster (intra-cluster SnapMirror): the cluster holds the one record in both roles. */
export const isLocal = (rel: RelationshipRecord): boolean => rel.peer === undefined;

/** An end on this cluster, as both sides record it. */
export const localEnd = (state: OntapState, svm: SvmRecord, volume: VolumeRecord): EndpointRecord => ({
  path: `${svm.name}:${volume.name}`,
  svm: svm.name,
  volume: volume.name,
  cluster: state.cluster.name,
  cluster_uuid: state.cluster.uuid,
  volume_uuid: volume.uuid,
});

/** The local volume of one end (by default this cluster's end; an intra-cluster relationship has both here). */
export function endVolume(
  state: OntapState,
  rel: RelationshipRecord,
  side: RelationshipRecord['role'] = rel.role,
): VolumeRecord {
  const end = side === 'destination' ? rel.destination : rel.source;
  const v = end.volume_uuid ? state.volumes.get(end.volume_uuid) : undefined;
  if (!v) throw notFound(`Volume "${end.path}" of relationship "${rel.uuid}" no longer exists`, 'uuid');
  return v;
}

export function peerOf(state: OntapState, rel: RelationshipRecord): ClusterPeerRecord {
  const p = rel.peer ? state.clusterPeers.get(rel.peer) : undefined;
  if (!p)
    throw new OntapError(
      409,
      ONTAP_ERROR.PEER_UNREACHABLE,
      `The cluster peer of relationship "${rel.uuid}" no longer exists`,
    );
  return p;
}

/** The SnapMirror policies a relationship may follow: async, cluster-wide or owned by the destination SVM. */
export function policyFor(
  state: OntapState,
  ref: { uuid?: string; name?: string } | undefined,
  svm: SvmRecord,
): PolicyRecord {
  const candidates = [...state.policies.values()].filter((p) => !p.svm || p.svm === svm.uuid);
  const policy = resolve(candidates, ref ?? { name: 'MirrorAllSnapshots' }, 'policy', 'SnapMirror policy');
  if (policy.type !== 'async')
    throw new OntapError(
      400,
      ONTAP_ERROR.POLICY_NOT_SUPPORTED,
      `SnapMirror policy "${policy.name}" is of type "${policy.type}": the simulator replicates with async policies only`,
      'policy',
    );
  return policy;
}

export const activeTransfer = (state: OntapState, rel: RelationshipRecord): TransferRecord | undefined =>
  state.transfersOf(rel.uuid).find((t) => t.state === 'queued' || t.state === 'transferring');

export function checkNoTransfer(state: OntapState, rel: RelationshipRecord): void {
  const t = activeTransfer(state, rel);
  if (t)
    throw conflict(
      ONTAP_ERROR.TRANSFER_IN_PROGRESS,
      `A transfer (${t.uuid}) is in progress on relationship "${rel.uuid}"`,
      'uuid',
    );
}

export function transferView(state: OntapState, t: TransferRecord): Json {
  const rel = state.relationships.get(t.relationship);
  const endMs = t.end_time ?? t.last_updated_time;
  return {
    uuid: t.uuid,
    relationship: { uuid: t.relationship, destination: { path: rel?.destination.path ?? '' } },
    state: t.state,
    snapshot: t.snapshot,
    bytes_transferred: t.bytes_transferred,
    total_bytes: t.total_bytes,
    total_duration: duration(endMs - t.start_time),
    last_updated_time: isoMs(t.last_updated_time),
    ...(t.end_time !== undefined ? { end_time: isoMs(t.end_time) } : {}),
    throttle: t.throttle,
    ...(t.error ? { error_info: t.error } : {}),
    _links: { self: { href: `/api/snapmirror/relationships/${t.relationship}/transfers/${t.uuid}` } },
  };
}

const endView = (e: EndpointRecord): Json => ({
  path: e.path,
  svm: { name: e.svm },
  cluster: { name: e.cluster, uuid: e.cluster_uuid },
});

export function relationshipView(state: OntapState, r: RelationshipRecord): Json {
  const view = volumeRelationshipView(state, r);
  if (!r.endpoint) return view;
  const extra = groupView(r);
  return {
    ...view,
    ...extra,
    source: { ...(view.source as Json), ...((extra.source as Json) ?? {}) },
    destination: { ...(view.destination as Json), ...((extra.destination as Json) ?? {}) },
  };
}

function volumeRelationshipView(state: OntapState, r: RelationshipRecord): Json {
  const policy = r.role === 'destination' ? state.policies.get(r.policy) : undefined;
  const transfers = state.transfersOf(r.uuid);
  const last = transfers[transfers.length - 1];
  const failed = last && (last.state === 'failed' || last.state === 'aborted' || last.state === 'hard_aborted');
  const schedule = r.transfer_schedule ? state.schedules.get(r.transfer_schedule) : undefined;
  const volume =
    r.role === 'destination' && r.destination.volume_uuid ? state.volumes.get(r.destination.volume_uuid) : undefined;
  const common =
    volume && r.common_snapshot ? state.snapshotsOf(volume.uuid).find((s) => s.name === r.common_snapshot) : undefined;
  return {
    uuid: r.uuid,
    source: endView(r.source),
    destination: endView(r.destination),
    policy: policy ? { uuid: policy.uuid, name: policy.name, type: policy.type } : { name: r.policy },
    state: r.state,
    healthy: !failed,
    ...(failed
      ? {
          unhealthy_reason: [
            {
              code: String(last.error?.code ?? ONTAP_ERROR.JOB_FAILED),
              message: last.error?.message ?? 'The last transfer failed',
            },
          ],
        }
      : {}),
    ...(common ? { lag_time: duration(Date.now() - common.create_time), exported_snapshot: common.name } : {}),
    ...(last
      ? {
          transfer: {
            uuid: last.uuid,
            state: last.state,
            bytes_transferred: last.bytes_transferred,
            total_duration: duration((last.end_time ?? last.last_updated_time) - last.start_time),
            last_updated_time: isoMs(last.last_updated_time),
            ...(last.end_time ? { end_time: isoMs(last.end_time) } : {}),
          },
        }
      : {}),
    ...(r.throttle !== undefined ? { throttle: r.throttle } : {}),
    ...(schedule ? { transfer_schedule: { uuid: schedule.uuid, name: schedule.name } } : {}),
    group_type: volume?.style === 'flexgroup' ? 'flexgroup' : 'none',
    _links: { self: { href: `/api/snapmirror/relationships/${r.uuid}` } },
  };
}

/** A destination volume takes a relationship only as a DP volume that no other relationship fills. */
export function checkDestination(state: OntapState, volume: VolumeRecord): void {
  if (volume.type !== 'dp')
    throw new OntapError(
      400,
      ONTAP_ERROR.DESTINATION_NOT_DP,
      `Volume "${volume.name}" is not a data-protection volume: create the destination with type "dp"`,
      'destination.path',
    );
  const taken = [...state.relationships.values()].find(
    (r) => r.role === 'destination' && r.destination.volume_uuid === volume.uuid,
  );
  if (taken)
    throw conflict(
      ONTAP_ERROR.RELATIONSHIP_EXISTS,
      `Volume "${volume.name}" is already the destination of relationship "${taken.uuid}"`,
      'destination.path',
    );
}

/** The transition a PATCH asks for, checked against the relationship's state. */
export type Transition = 'initialize' | 'resume' | 'resync' | 'quiesce' | 'break' | 'none';

export function transitionTo(state: OntapState, r: RelationshipRecord, next: string): Transition {
  const from = r.state;
  const refuse = (): never => {
    throw conflict(
      ONTAP_ERROR.RELATIONSHIP_STATE,
      `A relationship in state "${from}" cannot become "${next}"`,
      'state',
    );
  };
  if (next === 'snapmirrored') {
    if (from === 'uninitialized') return activeTransfer(state, r) ? 'none' : 'initialize';
    if (from === 'paused') return 'resume';
    if (from === 'broken_off') return 'resync';
    return 'none';
  }
  if (next === 'paused')
    return from === 'snapmirrored' || from === 'uninitialized' ? 'quiesce' : from === 'paused' ? 'none' : refuse();
  if (next === 'broken_off') {
    if (from === 'broken_off') return 'none';
    if (from === 'uninitialized') refuse();
    checkNoTransfer(state, r);
    return 'break';
  }
  throw invalid(`"state" takes snapmirrored, paused or broken_off, not "${next}"`, 'state');
}
