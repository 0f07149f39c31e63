// Internal records of the simulated vSnap appliance: what state.ts holds and persistence.ts saves.
import type { BlockMap, BlockStore } from '../../shared/blocks';

export type VolumeType = 'filesystem' | 'lun' | 'filebackedlun';
export const VOLUME_TYPES: readonly VolumeType[] = ['filesystem', 'lun', 'filebackedlun'];

export type PoolType = 'raid0' | 'raid5' | 'raid6';
export const POOL_TYPES: readonly PoolType[] = ['raid0', 'raid5', 'raid6'];

/** How a disk is used; `unused` is the only value the seed shows (GET /api/disk?used_as=unused). */
export type DiskUse = 'unused' | 'data' | 'log' | 'cache' | 'spare';

export type InitStatus = 'Not Initialized' | 'Initializing' | 'Ready';
export type ShareType = 'nfs' | 'smb';

/** Services a network interface can carry; "all" in a request expands to every one of them. */
export const NETWORK_SERVICES = ['mgmt', 'nfs', 'smb', 'iscsi'] as const;

/** Times are epoch seconds; the wire renders them as strings. */
export type EpochSeconds = number;

export interface SystemRecord {
  id: string;
  hostname: string;
  fqdn: string;
  init_status: InitStatus;
  multipool: boolean;
}

export interface DiskRecord {
  uuid: string;
  name: string;
  model: string;
  vendor: string;
  type: string;
  size: number;
  used_as: DiskUse;
  pool_id: string | null;
  /** A disk attached through /sim/disks stays invisible until POST /api/disk {action: rescan}. */
  attached: boolean;
}

export interface PoolRecord {
  id: string;
  name: string;
  pool_type: PoolType;
  compression: boolean;
  deduplication: boolean;
  syncwrite: boolean;
  /** Data vdevs: each group is a raid group of disk uuids. */
  groups: string[][];
  logs: string[];
  cache: string[];
  spares: string[];
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
  store: BlockStore;
}

export interface VolumeRecord {
  id: string;
  name: string;
  volume_type: VolumeType;
  pool_id: string;
  serial: string;
  /** A limit: the lun size, the filesystem quota (null = none); null for filebackedlun. */
  size_total: number | null;
  size_block: number | null;
  parent_id: string | null;
  parent_path: string | null;
  /** Origin snapshot when the volume is a clone. */
  snapshot_id: string | null;
  /** Block map of the live dataset; null for filebackedlun (its bytes live in the parent filesystem). */
  content: BlockMap | null;
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

export interface SnapshotRecord {
  id: string;
  name: string;
  volume_id: string;
  version_id: string;
  content: BlockMap;
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

export interface NfsShareOptions {
  read_only: boolean;
  allowed_hosts: string[];
}

export interface ShareRecord {
  id: string;
  vol_id: string;
  share_type: ShareType;
  /** smb shares take no options: `{}`. */
  share_options: NfsShareOptions | Record<string, never>;
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

export interface LunMapping {
  lun: number;
  vol_id: string;
}

export interface HostRecord {
  id: string;
  name: string;
  iqns: string[];
  luns: LunMapping[];
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

export interface NetworkRecord {
  id: string;
  name: string;
  hw_addr: string;
  ip4_addrs: string[];
  ip6_addrs: string[];
  services: string[];
}

export interface UserAccount {
  name: string;
  password: string;
  /** Only members of the vsnap group (role vsnap_admin) may call the API. */
  admin: boolean;
}

/**
 * A partner vSnap system (seed 12). `user`/`password` are the dedicated replication account the
 * partner created for this system at pairing: never the partner's admin account, never in a response.
 */
export interface PartnerRecord {
  /** The partner's system id. */
  id: string;
  address: string;
  api_port: number;
  ssh_port: number;
  user: string;
  password: string;
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

/**
 * An account this system created for a partner at pairing: it may call /api/peer only. The secret is kept as a SHA-256
 * digest.
 */
export interface ReplicationAccount {
  name: string;
  password_sha256: string;
  partner_id: string;
}

export type RelationshipRole = 'primary' | 'replica';
export type SyncStatus = 'COMPLETED' | 'FAILED';

/** A replication relationship (seed 13), as this side knows it: both sides hold a record with the same id. */
export interface RelationshipRecord {
  id: string;
  local_role: RelationshipRole;
  local_vol_id: string;
  partner_id: string;
  remote_pool_id: string;
  remote_vol_id: string;
  remote_vol_name: string;
  last_sync_status: SyncStatus | null;
  last_attempt_snap_id: string | null;
  last_success_snap_id: string | null;
  /**
   * Replica side only: the primary's snapshot the replica volume last received in full (incremental base). Not shown.
   */
  synced_snap_id: string | null;
  time_created: EpochSeconds;
  time_updated: EpochSeconds;
}

export type SessionStatus = 'PENDING' | 'ACTIVE' | 'COMPLETED' | 'FAILED';

/** A replication session (seed 14), kept on the primary that runs it. */
export interface SessionRecord {
  id: string;
  rel_id: string;
  local_snap_id: string;
  local_snap_name: string;
  remote_snap_id: string | null;
  remote_snap_name: string;
  repl_address: string;
  size_sent: number | null;
  /** Simulator extension: bytes the session has to send (null until it knows). */
  size_total: number | null;
  /** Simulator extension: the session sends only the blocks changed since this (local) snapshot. */
  base_snap_id: string | null;
  status: SessionStatus;
  time_queued: EpochSeconds;
  time_started: EpochSeconds | null;
  time_ended: EpochSeconds | null;
  message: string | null;
}

/** Ids are never reused, as on the appliance: a client holding a stale id gets 404, not someone else's object. */
export interface Counters {
  pool: number;
  volume: number;
  snapshot: number;
  share: number;
  host: number;
  session: number;
}
