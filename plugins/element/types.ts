/** Element JSON-RPC records as the Element API reference shows them (ids are integers, times ISO 8601 strings). */

export interface ElementClusterInfo {
  name: string;
  uniqueID: string;
  uuid: string;
  mvip: string;
  svip: string;
  mvipInterface?: string;
  svipInterface?: string;
  repCount: number;
  defaultProtectionScheme?: string;
  attributes: Record<string, unknown>;
}

export interface ElementVersionInfo {
  clusterAPIVersion: string;
  clusterVersion: string;
}

export interface ElementCapacity {
  maxUsedSpace: number;
  usedSpace: number;
  provisionedSpace: number;
  maxProvisionedSpace: number;
  nonZeroBlocks: number;
  zeroBlocks: number;
  uniqueBlocks: number;
  uniqueBlocksUsedSpace: number;
  snapshotNonZeroBlocks: number;
}

export interface ElementQos {
  minIOPS: number;
  maxIOPS: number;
  burstIOPS: number;
  burstTime: number;
}

export interface ElementVolume {
  volumeID: number;
  name: string;
  accountID: number;
  createTime: string;
  status: 'active' | 'deleted' | string;
  access: string;
  iqn: string;
  scsiEUIDeviceID: string;
  scsiNAADeviceID: string;
  qos: ElementQos;
  volumeAccessGroups: number[];
  totalSize: number;
  attributes: Record<string, unknown>;
  deleteTime: string;
  purgeTime: string;
  enable512e?: boolean;
  /** The volume's pair (Element allows one), when it has one. */
  volumePairs?: ElementVolumePair[];
}

/** An entry of a volume's `volumePairs` (ListActivePairedVolumes, ListVolumes). */
export interface ElementVolumePair {
  /** 0 while the pairing started on this volume has not been completed on the target. */
  clusterPairID: number;
  remoteVolumeID: number;
  remoteVolumeName: string;
  volumePairUUID: string;
  remoteReplication: {
    mode: 'Async' | 'Sync' | 'SnapshotsOnly' | string;
    state: string;
    stateDetails: string;
    snapshotReplication?: { state: string; stateDetails: string };
  };
}

/**
 * ListClusterPairs' clusterPair. `mvip` has no port on a real cluster (its API is on 443); the simulator's carries it.
 */
export interface ElementClusterPair {
  clusterName: string;
  clusterPairID: number;
  clusterPairUUID: string;
  clusterUUID: string | number;
  latency: number;
  mvip: string;
  status: string;
  version: string;
}

/**
 * A snapshot's transfer over a volume pair. Element reports `remoteStatus` and `volumePairUUID`; the
 * simulator adds the byte counts, times and details, which the adapter uses when present.
 */
export interface ElementRemoteStatus {
  remoteStatus: 'Present' | 'NotPresent' | 'Syncing' | 'Deleted' | 'Unknown' | string;
  volumePairUUID: string;
  bytesTransferred?: number;
  totalBytes?: number;
  startTime?: string | null;
  endTime?: string | null;
  stateDetails?: string;
}

export interface ElementVolumeStats {
  volumeID: number;
  nonZeroBlocks: number;
  zeroBlocks: number;
  volumeSize: number;
}

export interface ElementSnapshot {
  snapshotID: number;
  volumeID: number;
  name: string;
  createTime: string;
  /** 0 unless a member of a group snapshot. */
  groupID: number;
  totalSize: number;
  attributes: Record<string, unknown>;
  enableRemoteReplication?: boolean;
  remoteStatuses?: ElementRemoteStatus[];
}

export interface ElementGroupSnapshot {
  groupSnapshotID: number;
  name: string;
  createTime: string;
  attributes: Record<string, unknown>;
  members: ElementSnapshot[];
}

export interface ElementVolumeAccessGroup {
  volumeAccessGroupID: number;
  name: string;
  initiators: string[];
  volumes: number[];
  deletedVolumes: number[];
  attributes: Record<string, unknown>;
}

export interface ElementLunAssignments {
  volumeAccessGroupID: number;
  lunAssignments: { volumeID: number; lun: number }[];
}

export interface ElementAccount {
  accountID: number;
  username: string;
}

/** GetAsyncResult: `details` while running; `result` or `error` once complete. */
export interface ElementAsyncResult {
  status: 'running' | 'complete';
  resultType: string;
  details?: { percentComplete?: number; volumeID?: number };
  result?: { volumeID?: number; cloneID?: number };
  error?: { name: string; message: string };
}

/** An entry of ListAsyncResults. */
export interface ElementAsyncHandle {
  asyncResultID: number;
  completed: boolean;
  success: boolean;
  resultType: string;
  createTime: string;
  data: { volumeID?: number; percentComplete?: number; name?: string; message?: string };
}
