// The records one region of the simulated File Storage service keeps, named as the filestorage OpenAPI names their
// fields. Times are ISO strings as the API writes them (UTC, microseconds, no zone).
import type { BlockMap } from '../../shared/blocks';

export const PROTOCOLS = ['NFS', 'CIFS'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const TYPE_NAMES = ['HDD', 'SSD', 'HighPerformanceSSD'] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

/**
 * creating -> available (POST 202), available -> restoring -> available (snapshot restore 202),
 * available -> deleting -> gone (DELETE 202).
 */
export type VolumeState = 'creating' | 'available' | 'restoring' | 'deleting';
/** NORMAL volumes are made by users; REPLICATION and BACKUP volumes are the target side of a replication. */
export type Purpose = 'NORMAL' | 'REPLICATION' | 'BACKUP';

export const OBJECT_TYPES = ['VM', 'BM', 'GPU', 'GPU_NODE', 'ENDPOINT'] as const;

/** creating -> active (PUT add 202); active -> deleting -> gone (PUT remove 202). */
export interface AccessRule {
  object_type: string;
  object_id: string;
  access_rule_state: 'creating' | 'active' | 'deleting';
}

export interface Tag {
  key: string;
  value: string | null;
}

export interface VolumeRecord {
  id: string;
  /** The name asked for plus six lowercase letters and digits, as the service makes volume names unique. */
  name: string;
  account_id: string;
  protocol: Protocol;
  type_name: TypeName;
  purpose: Purpose;
  state: VolumeState;
  created_at: string;
  cifs_password: string | null;
  cifs_id: string | null;
  file_unit_recovery_enabled: boolean;
  encryption_enabled: boolean;
  tags: Tag[];
  access_rules: AccessRule[];
  /** The snapshot a volume was made from, while it is being made (the snapshot cannot go meanwhile). */
  source_snapshot_id: string | null;
  /** The volume's bytes (simulator data plane). */
  content: BlockMap;
}

/** creating -> available (POST 202); available -> deleting -> gone (DELETE 202). */
export type SnapshotState = 'creating' | 'available' | 'deleting';

export interface SnapshotRecord {
  id: string;
  /** `<volume name>.<YYYY-MM-DD_HHMMSS>`: the service names snapshots itself. */
  name: string;
  volume_id: string;
  state: SnapshotState;
  created_at: string;
  /** Made by a snapshot schedule (kept to its retention count), not by a user. */
  scheduled: boolean;
  content: BlockMap;
}

export interface ScheduleRecord {
  id: string;
  volume_id: string;
  frequency: 'DAILY' | 'WEEKLY';
  /** "0".."23" (UTC). */
  hour: string;
  day_of_week: string | null;
}

/** A volume's snapshot policy: its schedules share one retention count. */
export interface SnapshotPolicy {
  volume_id: string;
  retention_count: number | null;
}

export const FREQUENCIES = ['5min', 'hourly', 'daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * creating (replica made, first transfer running) -> available; an update makes it `updating` and back, or `error`
 * when the update fails (a later update clears it); DELETE makes it `deleting` and then gone.
 */
export type ReplicationStatus = 'creating' | 'available' | 'updating' | 'error' | 'deleting';

export interface ReplicationEnd {
  volume_id: string;
  volume_name: string;
  region: string;
  access_level: 'rw' | 'ro';
}

/** One transfer of a replication (simulator extension of ReplicationShowResponse, on the source side). */
export interface UpdateRecord {
  update_id: string;
  state: 'running' | 'succeeded' | 'failed';
  started_at: string;
  ended_at: string | null;
  bytes_transferred: number;
  bytes_total: number;
  /** Snapshots this update sends (or sent), oldest first. */
  snapshot_names: string[];
  message: string | null;
}

export interface ReplicationRecord {
  replication_id: string;
  replication_type: 'replication' | 'backup';
  replication_frequency: Frequency;
  replication_policy: 'use' | 'paused';
  replication_status: ReplicationStatus;
  backup_retention_count: number | null;
  protocol: Protocol;
  /** Which end this region holds. */
  role: 'source' | 'replica';
  source: ReplicationEnd;
  replica: ReplicationEnd;
  /** Source side: the newest transfers, newest first. */
  updates: UpdateRecord[];
  /** Source side: names of the snapshots the replica holds. */
  sent: string[];
  /** Source side: the content last sent (shares blocks with the volume), the base of the next update. */
  base: BlockMap | null;
}
