/** SCP File Storage records as the filestorage OpenAPI (version 1.1) defines them: snake_case, times without a zone. */

/** Schema Volume (list items). */
export interface ScpVolume {
  account_id: string;
  created_at: string;
  id: string;
  name: string;
  protocol: 'NFS' | 'CIFS';
  purpose: string;
  /** creating, available, restoring, deleting (the states the 202 operations pass through). */
  state: string;
  type_id: string;
  type_name: string;
}

/** Schema VolumeShowResponse. */
export interface ScpVolumeDetail extends ScpVolume {
  cifs_id: string | null;
  encryption_enabled: boolean;
  file_unit_recovery_enabled: boolean | null;
  /** Where clients mount it: `<address>:/<name>` (NFS) or `\\<address>\<name>` (CIFS). */
  path: string | null;
  /** Bytes the volume holds. */
  usage: number | null;
}

export interface ScpVolumeList {
  count: number;
  filestorages: ScpVolume[];
}

export interface ScpVolumeCreateRequest {
  name: string;
  protocol: 'NFS' | 'CIFS';
  type_name: string;
  cifs_password?: string | null;
  snapshot_id?: string | null;
  tags?: { key: string; value: string | null }[];
}

export interface ScpVolumeCreated {
  protocol: string;
  snapshot_id: string | null;
  type_name: string;
  volume_id: string;
  volume_name: string;
}

/** Schema Snapshot. */
export interface ScpSnapshot {
  created_at: string;
  id: string;
  /** The service names snapshots itself: `<volume name>.<date>_<time>`. */
  name: string;
  size: number;
  state: string;
}

export interface ScpSnapshotList {
  count: number;
  snapshots: ScpSnapshot[];
  snapshot_size_total_byte?: number | null;
}

/** Schema VolumeObjectAccessRuleListResponse. */
export interface ScpAccessRules {
  volume_id: string;
  access_rules: { object_type: string; object_id: string; access_rule_state: string }[];
  count: number;
}

/** Schema Replication (list items). */
export interface ScpReplication {
  replication_frequency: string;
  replication_id: string;
  replication_type: string;
  replication_volume_access_level: string;
  replication_volume_id: string;
  replication_volume_region: string;
  source_volume_access_level: string;
  source_volume_id: string;
  source_volume_region: string;
}

/**
 * One transfer of a replication: not in the OpenAPI; the simulator reports them under `updates` and the adapter reads
 * them when present.
 */
export interface ScpUpdate {
  update_id: string;
  state: 'running' | 'succeeded' | 'failed';
  started_at: string;
  ended_at: string | null;
  bytes_transferred: number;
  bytes_total: number;
  snapshot_names: string[];
  message: string | null;
}

/** Schema ReplicationShowResponse. */
export interface ScpReplicationDetail extends ScpReplication {
  replication_policy: 'use' | 'paused';
  /** creating, available, updating, error, deleting. */
  replication_status: string;
  replication_volume_name: string;
  source_volume_name: string;
  updates?: ScpUpdate[];
}

/** An entry of the account's endpoint catalog (the SDK's client/catalog.go). */
export interface ScpEndpoint {
  region: string;
  service_type: string;
  service_name: string;
  url: string;
}

/** Schema ValidationErrorModel (400 answers are a list of them). */
export interface ScpValidationError {
  loc?: string[] | null;
  msg?: string | null;
  type_?: string | null;
}
