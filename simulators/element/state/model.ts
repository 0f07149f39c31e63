// Records of the simulated Element cluster: what the state holds and the state file saves (times are epoch ms).
import type { BlockMap } from '../../shared/blocks';

export interface Qos {
  minIOPS: number;
  maxIOPS: number;
  burstIOPS: number;
  burstTime: number;
}

export interface ClusterRecord {
  name: string;
  /** Four characters; part of every volume's IQN and SCSI ids. */
  uniqueID: string;
  uuid: string;
  mvip: string;
  svip: string;
  /** Element software version, e.g. 12.3.0.958. */
  version: string;
  /** Usable block capacity before Double Helix replication (what one copy of the data may take). */
  capacityBytes: number;
  /** Thin provisioning limit: the sum of volume sizes the cluster accepts. */
  maxProvisionedBytes: number;
  /** Every block is stored twice (Double Helix): raw space figures count both copies. */
  repCount: number;
  createTime: number;
}

export interface AccountRecord {
  accountID: number;
  username: string;
  initiatorSecret: string;
  targetSecret: string;
  attributes: Record<string, unknown>;
  /** ModifyAccount: 'locked' refuses the account's iSCSI logins. @default 'active' */
  status?: 'active' | 'locked';
  /** ModifyAccount: whether CHAP secrets are used for iSCSI logins. @default true */
  enableChap?: boolean;
}

export type VolumeAccess = 'readWrite' | 'readOnly' | 'locked' | 'replicationTarget';

export interface VolumeRecord {
  volumeID: number;
  name: string;
  accountID: number;
  /** Bytes, a multiple of 1 MiB. */
  totalSize: number;
  enable512e: boolean;
  access: VolumeAccess;
  status: 'active' | 'deleted';
  qos: Qos;
  attributes: Record<string, unknown>;
  volumeUUID: string;
  createTime: number;
  deleteTime: number | null;
  /** When a deleted volume is purged automatically. */
  purgeTime: number | null;
  content: BlockMap;
}

export interface SnapshotRecord {
  snapshotID: number;
  volumeID: number;
  name: string;
  snapshotUUID: string;
  /** 0 unless the snapshot is a member of a group snapshot. */
  groupID: number;
  attributes: Record<string, unknown>;
  expirationTime: number | null;
  createTime: number;
  /** The volume's size when the snapshot was taken (a rollback restores it). */
  totalSize: number;
  content: BlockMap;
  /** Taken with enableRemoteReplication: it is sent to the volume's paired volume. */
  enableRemoteReplication?: boolean;
  /** One entry per volume pair the snapshot is (being) sent over. */
  remoteStatuses?: RemoteStatusRecord[];
}

/** Element's remoteStatus values of a snapshot sent to a paired volume. */
export type RemoteStatus = 'Present' | 'NotPresent' | 'Syncing' | 'Deleted' | 'Unknown';

/**
 * A snapshot's transfer over one volume pair. Element reports only `remoteStatus` and
 * `volumePairUUID`; the byte counts, times and details are the simulator's documented extension.
 */
export interface RemoteStatusRecord {
  volumePairUUID: string;
  remoteStatus: RemoteStatus;
  /** The replica's snapshot id on the partner, once committed there (the base of the next incremental transfer). */
  remoteSnapshotID: number | null;
  bytesTransferred: number;
  /** Bytes this transfer moves: the blocks that differ from the last snapshot already on the partner. */
  totalBytes: number;
  startTime: number | null;
  endTime: number | null;
  /** Why the transfer failed or was canceled; '' otherwise. */
  stateDetails: string;
}

/** Element replication modes of a volume pair. */
export type ReplicationMode = 'Async' | 'Sync' | 'SnapshotsOnly';

/** Where to reach a paired cluster and what it is called. */
export interface PeerCluster {
  name: string;
  uuid: string;
  uniqueID: string;
  /** `host:port` of its JSON-RPC API (the simulator's MVIP always carries the port). */
  mvip: string;
  version: string;
}

/**
 * One side of a cluster pair. Each side made a pairing account for this pair only, which the other
 * side uses to call it: the cluster admins' passwords never travel.
 */
export interface ClusterPairRecord {
  clusterPairID: number;
  clusterPairUUID: string;
  /**
   * Requested: StartClusterPairing ran here, CompleteClusterPairing not yet on the partner. Misconfigured: the
   * partner removed its half (RemoveClusterPair there); this half stays until RemoveClusterPair here.
   */
  status: 'Requested' | 'Connected' | 'Disconnected' | 'Misconfigured';
  /** Why the partner was last unreachable ('' when connected). */
  statusDetails: string;
  /** The account the partner uses to call this cluster. */
  localAccount: { username: string; password: string };
  /** The account this cluster uses to call the partner (null until completed). */
  remoteAccount: { username: string; password: string } | null;
  remote: PeerCluster | null;
  rpcConnectionID: number;
  /** Round trip of the last call to the partner, ms. */
  latency: number;
  createTime: number;
}

/** One side of a volume pair: the source (readWrite) or the target (access replicationTarget). */
export interface VolumePairRecord {
  volumePairUUID: string;
  volumeID: number;
  role: 'source' | 'target';
  mode: ReplicationMode;
  /** 0 while StartVolumePairing's key has not been completed on the target. */
  clusterPairID: number;
  remoteVolumeID: number;
  remoteVolumeName: string;
  pausedManual: boolean;
  /** Why replication is held ('' when it runs): the partner stopped answering, ... */
  stateDetails: string;
  createTime: number;
  /**
   * What became of the other side, absent while it is whole: its volume was deleted (PausedMisconfigured until
   * RestoreDeletedVolume there), purged or unpaired with RemoveVolumePair (StoppedMisconfigured until removed here).
   */
  partner?: PartnerEvent;
}

/** What one side of a volume pair tells the other about itself. */
export type PartnerEvent = 'deleted' | 'purged' | 'removed';

export interface GroupSnapshotRecord {
  groupSnapshotID: number;
  groupSnapshotUUID: string;
  name: string;
  attributes: Record<string, unknown>;
  createTime: number;
}

export interface LunAssignment {
  volumeID: number;
  lun: number;
}

export interface VolumeAccessGroupRecord {
  volumeAccessGroupID: number;
  name: string;
  initiatorIDs: number[];
  volumes: number[];
  /** Volumes deleted but not purged keep their place here, as on Element. */
  deletedVolumes: number[];
  lunAssignments: LunAssignment[];
  attributes: Record<string, unknown>;
}

export interface InitiatorRecord {
  initiatorID: number;
  initiatorName: string;
  alias: string;
  attributes: Record<string, unknown>;
}

/** A running or finished CloneVolume / CopyVolume. Progress is a function of time, so it survives restarts. */
export interface AsyncRecord {
  asyncHandle: number;
  method: 'CloneVolume' | 'CopyVolume';
  cloneID: number;
  /** The volume being written: the new clone, or CopyVolume's destination. */
  volumeID: number;
  sourceVolumeID: number;
  sourceSnapshotID: number | null;
  /** Bytes to copy: the allocated blocks of the source. */
  bytes: number;
  createTime: number;
  durationMs: number;
  status: 'running' | 'complete';
  completeTime: number | null;
  error: { name: string; message: string } | null;
}

export interface SimSettings {
  /** Shortest time a clone or copy takes, however small. @default 1500 */
  cloneMinMs: number;
  /** Copy rate of allocated bytes. @default 256 MiB/s */
  cloneBytesPerSecond: number;
  /** How long a deleted volume is held before it is purged on its own. @default 8 hours, as Element */
  purgeDelayMs: number;
}

/** A cluster admin account of the API (not a tenant account). */
export interface ClusterAdmin {
  username: string;
  password: string;
  /**
   * Element access levels: 'administrator' may do everything; 'read' may only call Get and List
   * methods. 'pairing' is a paired cluster's account: it may only call the cluster-to-cluster methods.
   */
  access: 'administrator' | 'read' | 'pairing';
}

/** Ids are never reused: a client holding a stale id gets "does not exist", not someone else's object. */
export interface Counters {
  account: number;
  volume: number;
  snapshot: number;
  groupSnapshot: number;
  volumeAccessGroup: number;
  initiator: number;
  asyncHandle: number;
  clone: number;
  clusterPair: number;
}
