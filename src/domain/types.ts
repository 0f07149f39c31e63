/** The CDM storage plugin contract as TypeScript types: what every backend returns and the routes serialize. */

/**
 * Conventions chosen where the CDM guide's examples are ambiguous (the guide quotes placeholders
 * inconsistently, e.g. `"<size>"` for a byte count and `"<revert>"` for a flag):
 * sizes and byte counts are JSON integers, times are epoch milliseconds as integers, flags are
 * booleans, ids are strings. The same choices are written down in api-spec/openapi.yaml.
 */

export type Id = string;

/** `limit`/`start` pagination of every list (`start` is a zero-based offset). */
export interface Page {
  limit?: number;
  start: number;
}

export interface PluginInfo {
  name: string;
  id: string;
  version: string;
  imageUrl: string;
  iconUrl: string;
}

/** Where an array lives, as CDM names it in `POST /session`. */
export interface ArrayTarget {
  hostname?: string;
  ipAddress?: string;
  port?: number;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface StorageInfo {
  name: string;
  id: Id;
  hostName: string;
  ipAddress: string;
  port: number;
  pluginId: string;
  vendor: string;
  version: string;
  serverIds: Id[];
}

export interface ServerSupports {
  replication: boolean;
  volumeReplication: boolean;
  consistencyGroupReplication: boolean;
  newSnapshotReplication: boolean;
  existingSnapshotReplication: boolean;
  replicationToItself: boolean;
  deleteFromSnapshotGroup: boolean;
  persistentConsistencyGroup: boolean;
  singleConsistencyGroup: boolean;
}

export interface ServerConfig {
  isDpDestination: boolean;
  isNfsServiceEnabled: boolean;
  isIscsiServiceEnabled: boolean;
  isIncrementalConsistencyGroup: boolean;
}

export interface Server {
  id: Id;
  name: string;
  supports: ServerSupports;
  config: ServerConfig;
}

export interface SystemInfo {
  capacityInBytes: number;
  systemSizeInBytes: number;
  snapshotsSizeInBytes: number;
  volumesSizeInBytes: number;
  dataReduction: number;
  totalSizeInBytes: number;
  sharedSpaceInBytes: number;
  thinProvisioning: number;
  totalReduction: number;
  provisionedSizeInBytes: number;
  parity: string;
  serialNumber: string;
  model: string;
  version: string;
}

export type SplitSupport = 'NONE' | 'ANY_TIME' | 'NOT_NEEDED' | 'FROM_SNAPSHOT';

export interface Volume {
  id: Id;
  name: string;
  creationTime: number;
  serverGroupKey: string;
  poolId: Id;
  volumeType: string;
  stats: { size: number; usedSize: number };
  supports: { revert: boolean; split: SplitSupport; autoGrowVadpRep: boolean };
  config: { thinProvisioned: boolean };
}

export interface SplitStatus {
  percentageComplete: number;
  complete: boolean;
}

export interface Lun {
  id: Id;
  name: string;
  serialNumber: string;
  naaId: string;
  volumeId: Id;
  privateIscsiTarget: string | null;
  volumeType: string;
}

export interface Snapshot {
  id: Id;
  name: string;
  creationTime: number;
  consistencyGroupSnapshotId: Id | null;
  config: { groundCloneRequired: boolean };
}

export type ReplicationState = 'queued' | 'transferring' | 'completed' | 'failed';

export interface SnapshotReplicationStatus {
  name: string;
  creationTime: number;
  snapshotReplicationStatus: {
    startTime: number | null;
    completeTime: number | null;
    percentComplete: number;
    inProgress: boolean;
    transferRate: number;
    transferred: number;
    totalSizeToBeSynchronized: number;
    estimatedSyncTime: number;
    isCompleted: boolean;
    /** Extension: the transfer's state on the array (the guide's fields cannot say "failed"). */
    state: ReplicationState;
    /** Extension: why a transfer failed or was canceled, as the array says it. */
    message: string | null;
  };
}

export interface Host {
  id: Id;
  name: string;
  serverGroupKeys: string[];
  mappedLunIds: Id[];
  iqns: string[];
  wwns: string[];
  config: { fc: boolean; iscsi: boolean };
}

export interface HostLunMapping {
  name: string;
  volumeId: Id;
  hostId: Id | null;
  hostGroupId: Id | null;
  lunId: Id;
  lunNumber: number;
}

export interface HostGroup {
  id: Id;
  name: string;
  hostIds: Id[];
}

export interface Network {
  id: Id;
  name: string;
  ipAddress: string | null;
  wwpn: string | null;
  iqn: string | null;
  serverGroupKey: string;
  config: { nfs: boolean; cifs: boolean; iscsi: boolean; fc: boolean };
}

export interface Pool {
  id: Id;
  name: string;
  freeSpace: number;
}

export interface ReplicationTarget {
  id: Id;
  name: string;
  hostAddress: string;
}

export interface ConsistencyGroup {
  id: Id;
  name: string;
  creationTime: number;
  volumeIds: Id[];
  config: { incremental: boolean; replicationTarget: boolean };
  targets?: ReplicationTarget[];
}

export interface ConsistencyGroupSnapshot {
  id: Id;
  name: string;
}

export interface RemoteArray {
  name: string;
  hostAddress: string;
}

/* Request bodies of the actions, as the guide names their fields. */

export interface CloneRequest {
  snapshot: { id?: Id; name?: string };
  name: string;
  serverGroupKeys?: string[];
  instantSplit?: boolean;
}
export interface MountRequest {
  path?: string;
}
export interface RestoreRequest {
  snapshotId: Id;
}
export interface RestoreToAlternateRequest {
  sourceSnapshotId: Id;
  targetVolumeId: Id;
}
export interface RestoreToNewRequest {
  sourceSnapshotId: Id;
  targetVolumeName: string;
  targetPoolIds?: Id[];
}
export interface CreateSnapshotRequest {
  name: string;
  poolId?: Id;
  replicate?: boolean;
  isAutoDelete?: boolean;
}
export interface SnapshotProgressRequest {
  destinationSnapshotId?: string;
  destinationServerId?: string;
}
export interface CreateHostRequest {
  name: string;
  iqns?: string[];
  wwns?: string[];
}
export interface MapRequest {
  volumeId?: Id;
  lunId?: Id;
  lunNumber?: number;
}
export interface UnmapRequest {
  lunId: Id;
}
export interface CgAddVolumeRequest {
  snapshotName?: string;
  volumeId: Id;
  poolId?: Id;
  isIncremental?: boolean;
}
export interface CgRemoveVolumeRequest {
  volumeIds: Id[];
}
export interface CgCondenseRequest {
  ageInDays?: number;
  numberOfInstances?: number;
  snapshotPrefixes?: string[];
}
export interface CgTakeSnapshotRequest {
  prefix?: string;
  replicate?: boolean;
  isAutoDelete?: boolean;
  isIncremental?: boolean;
}
export interface CgAddReplicationTargetRequest {
  targetName: string;
}
