// Records as the API answers them, per the OpenAPI's component schemas and per API version (1.0 still had a volume's
// endpoint_path, a replication's backup_retention_count and an integer snapshot retention count).
import type { ReplicationRecord, ScheduleRecord, SnapshotRecord, VolumeRecord } from './state/model';
import type { RegionState } from './state/region';
import { TYPE_IDS } from './state/volumes';
import type { ApiVersion } from './versions';

/** Schema Volume (list items). */
export const volumeItem = (v: VolumeRecord) => ({
  account_id: v.account_id,
  created_at: v.created_at,
  id: v.id,
  name: v.name,
  protocol: v.protocol,
  purpose: v.purpose,
  state: v.state,
  type_id: TYPE_IDS[v.type_name],
  type_name: v.type_name,
});

/** Where clients mount the volume: `<address>:/<name>` over NFS, `\\<address>\<name>` over CIFS. */
export const mountPath = (state: RegionState, v: VolumeRecord): string =>
  v.protocol === 'NFS' ? `${state.mountAddress}:/${v.name}` : `\\\\${state.mountAddress}\\${v.name}`;

/** Schema VolumeShowResponse. */
export function volumeShow(state: RegionState, v: VolumeRecord, version: ApiVersion) {
  return {
    ...volumeItem(v),
    cifs_id: v.cifs_id,
    encryption_enabled: v.encryption_enabled,
    ...(version === '1.0' ? { endpoint_path: state.mountAddress } : {}),
    file_unit_recovery_enabled: v.file_unit_recovery_enabled,
    path: v.state === 'creating' ? null : mountPath(state, v),
    usage: state.usage(v),
  };
}

/** Schema Snapshot (list items, restore answers). */
export const snapshotItem = (state: RegionState, s: SnapshotRecord) => ({
  created_at: s.created_at,
  id: s.id,
  name: s.name,
  size: state.snapshotSize(s),
  state: s.state,
});

/** Schema SnapshotDetail. */
export const snapshotDetail = (state: RegionState, s: SnapshotRecord) => ({
  ...snapshotItem(state, s),
  volume_id: s.volume_id,
});

/** Schema VolumeObjectAccessRuleListResponse. */
export const accessRules = (v: VolumeRecord) => ({
  volume_id: v.id,
  access_rules: v.access_rules.map((r) => ({ ...r })),
  count: v.access_rules.length,
});

/** Schema Replication (list items). */
export const replicationItem = (r: ReplicationRecord) => ({
  replication_frequency: r.replication_frequency,
  replication_id: r.replication_id,
  replication_type: r.replication_type,
  replication_volume_access_level: r.replica.access_level,
  replication_volume_id: r.replica.volume_id,
  replication_volume_region: r.replica.region,
  source_volume_access_level: r.source.access_level,
  source_volume_id: r.source.volume_id,
  source_volume_region: r.source.region,
});

/**
 * Schema ReplicationShowResponse, plus `updates` on the source side: the simulator's record of its newest transfers
 * (state, times, bytes, the snapshots each carried), which the API does not show.
 */
export function replicationShow(r: ReplicationRecord, version: ApiVersion) {
  return {
    ...replicationItem(r),
    ...(version === '1.0' ? { backup_retention_count: r.backup_retention_count } : {}),
    replication_policy: r.replication_policy,
    replication_status: r.replication_status,
    replication_volume_name: r.replica.volume_name,
    source_volume_name: r.source.volume_name,
    ...(r.role === 'source' ? { updates: r.updates.map((u) => ({ ...u })) } : {}),
  };
}

/** Schema ReplicationCreateResponse. */
export const replicationCreated = (r: ReplicationRecord) => ({
  protocol: r.protocol,
  replication_id: r.replication_id,
  replication_status: r.replication_status,
  replication_volume_id: r.replica.volume_id,
  replication_volume_region: r.replica.region,
  source_volume_id: r.source.volume_id,
  source_volume_region: r.source.region,
});

/** A retention count: an integer in 1.0, a string in 1.1 (as each version's schema types it). */
export const retention = (n: number | null, version: ApiVersion): number | string | null =>
  n === null ? (version === '1.0' ? 0 : null) : version === '1.0' ? n : String(n);

export const scheduleBody = (s: ScheduleRecord) => ({
  frequency: s.frequency,
  hour: s.hour,
  day_of_week: s.day_of_week,
});
