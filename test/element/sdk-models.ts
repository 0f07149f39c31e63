// The SolidFire SDK's result models as a table (fields the SDK needs, with their JSON types) and a checker for answers.
//
// Read from solidfire-sdk-python, solidfire/models.py as generated at commit edd4682 (the models carrying
// enableSnapMirrorReplication and snapMirrorLabel, i.e. the Element 11/12 descriptors), and cross-checked against the
// Element 12.3 API reference where the SDK has no model (GetAsyncResult answers a plain dict in the SDK).
//
// How the SDK reads an answer: a top-level field it declares required and finds missing is an error ("missing
// required property"); inside nested objects a missing field becomes None, which the SDK's own constructors then
// refuse. A UUID-typed field is parsed with uuid.UUID(), so it must be a canonical UUID string. Fields marked `?` are
// optional: absent or null is fine, but when present they must still parse as their type.

/** JSON types as the SDK parses them: Python int/float/str/bool/dict and uuid.UUID. */
type Scalar = 'int' | 'float' | 'str' | 'bool' | 'dict' | 'uuid';
/** A scalar, a model name, either with `[]` for a list. */
type FieldType = string;

/** Model name -> field name (with `?` when optional) -> type. Only fields the simulator sends are listed as optional. */
export const MODELS: Record<string, Record<string, FieldType>> = {
  Empty: {},

  // Cluster
  GetAPIResult: { supportedVersions: 'float[]', currentVersion: 'float' },
  ClusterInfo: {
    encryptionAtRestState: 'str',
    ensemble: 'str[]',
    mvip: 'str',
    mvipNodeID: 'int',
    name: 'str',
    repCount: 'int',
    svip: 'str',
    svipNodeID: 'int',
    uniqueID: 'str',
    uuid: 'uuid',
    attributes: 'dict',
    'mvipInterface?': 'str',
    'mvipVlanTag?': 'str',
    'svipInterface?': 'str',
    'svipVlanTag?': 'str',
  },
  GetClusterInfoResult: { clusterInfo: 'ClusterInfo' },
  ClusterVersionInfo: { nodeID: 'int', nodeVersion: 'str', nodeInternalRevision: 'str' },
  SoftwareVersionInfo: {
    currentVersion: 'str',
    nodeID: 'int',
    packageName: 'str',
    pendingVersion: 'str',
    startTime: 'str',
  },
  GetClusterVersionInfoResult: {
    clusterAPIVersion: 'str',
    clusterVersion: 'str',
    clusterVersionInfo: 'ClusterVersionInfo[]',
    softwareVersionInfo: 'SoftwareVersionInfo',
  },
  ClusterCapacity: {
    activeBlockSpace: 'int',
    activeSessions: 'int',
    averageIOPS: 'int',
    clusterRecentIOSize: 'int',
    currentIOPS: 'int',
    maxIOPS: 'int',
    maxOverProvisionableSpace: 'int',
    maxProvisionedSpace: 'int',
    maxUsedMetadataSpace: 'int',
    maxUsedSpace: 'int',
    nonZeroBlocks: 'int',
    peakActiveSessions: 'int',
    peakIOPS: 'int',
    provisionedSpace: 'int',
    snapshotNonZeroBlocks: 'int',
    timestamp: 'str',
    totalOps: 'int',
    uniqueBlocks: 'int',
    uniqueBlocksUsedSpace: 'int',
    usedMetadataSpace: 'int',
    usedMetadataSpaceInSnapshots: 'int',
    usedSpace: 'int',
    zeroBlocks: 'int',
  },
  GetClusterCapacityResult: { clusterCapacity: 'ClusterCapacity' },
  Platform: { nodeType: 'str', chassisType: 'str', cpuModel: 'str', nodeMemoryGB: 'int' },
  VirtualNetworkAddress: { virtualNetworkID: 'int', address: 'str' },
  Node: {
    nodeID: 'int',
    associatedMasterServiceID: 'int',
    associatedFServiceID: 'int',
    name: 'str',
    platformInfo: 'Platform',
    softwareVersion: 'str',
    cip: 'str',
    cipi: 'str',
    mip: 'str',
    mipi: 'str',
    sip: 'str',
    sipi: 'str',
    uuid: 'uuid',
    virtualNetworks: 'VirtualNetworkAddress[]',
    attributes: 'dict',
    'fibreChannelTargetPortGroup?': 'int',
  },
  ListActiveNodesResult: { nodes: 'Node[]' },

  // Accounts
  Account: {
    accountID: 'int',
    username: 'str',
    status: 'str',
    volumes: 'int[]',
    // Declared optional, but the SDK reads both CHAP secrets without looking first: an account without them fails.
    initiatorSecret: 'str',
    targetSecret: 'str',
    'storageContainerID?': 'uuid',
    'attributes?': 'dict',
  },
  AddAccountResult: { accountID: 'int', 'account?': 'Account' },
  GetAccountResult: { account: 'Account' },
  ListAccountsResult: { accounts: 'Account[]' },
  ModifyAccountResult: { account: 'Account' },

  // Volumes
  VolumeQOS: { minIOPS: 'int', maxIOPS: 'int', burstIOPS: 'int', burstTime: 'int', curve: 'dict' },
  SnapshotReplication: { state: 'str', stateDetails: 'str' },
  RemoteReplication: {
    mode: 'str',
    pauseLimit: 'int',
    remoteServiceID: 'int',
    resumeDetails: 'str',
    snapshotReplication: 'SnapshotReplication',
    state: 'str',
    stateDetails: 'str',
  },
  VolumePair: {
    clusterPairID: 'int',
    remoteVolumeID: 'int',
    remoteSliceID: 'int',
    remoteVolumeName: 'str',
    volumePairUUID: 'uuid',
    remoteReplication: 'RemoteReplication',
  },
  Volume: {
    volumeID: 'int',
    name: 'str',
    accountID: 'int',
    createTime: 'str',
    volumeConsistencyGroupUUID: 'uuid',
    volumeUUID: 'uuid',
    enableSnapMirrorReplication: 'bool',
    status: 'str',
    access: 'str',
    enable512e: 'bool',
    scsiEUIDeviceID: 'str',
    scsiNAADeviceID: 'str',
    qos: 'VolumeQOS',
    volumeAccessGroups: 'int[]',
    volumePairs: 'VolumePair[]',
    sliceCount: 'int',
    totalSize: 'int',
    blockSize: 'int',
    attributes: 'dict',
    'iqn?': 'str',
    'qosPolicyID?': 'int',
    'deleteTime?': 'str',
    'purgeTime?': 'str',
    'lastAccessTime?': 'str',
    'lastAccessTimeIO?': 'str',
    'virtualVolumeID?': 'uuid',
  },
  CreateVolumeResult: { volumeID: 'int', curve: 'dict', 'volume?': 'Volume' },
  ModifyVolumeResult: { 'volume?': 'Volume' },
  DeleteVolumeResult: { 'volume?': 'Volume' },
  ListVolumesResult: { volumes: 'Volume[]' },
  MetadataHosts: { deadSecondaries: 'int[]', liveSecondaries: 'int[]', primary: 'int' },
  VolumeStats: {
    accountID: 'int',
    nonZeroBlocks: 'int',
    readBytes: 'int',
    readOps: 'int',
    timestamp: 'str',
    unalignedReads: 'int',
    unalignedWrites: 'int',
    volumeAccessGroups: 'int[]',
    volumeID: 'int',
    volumeSize: 'int',
    writeBytes: 'int',
    writeOps: 'int',
    zeroBlocks: 'int',
    'actualIOPS?': 'int',
    'averageIOPSize?': 'int',
    'burstIOPSCredit?': 'int',
    'clientQueueDepth?': 'int',
    'latencyUSec?': 'int',
    'metadataHosts?': 'MetadataHosts',
    'desiredMetadataHosts?': 'MetadataHosts',
    'readLatencyUSec?': 'int',
    'throttle?': 'float',
    'volumeUtilization?': 'float',
    'writeLatencyUSec?': 'int',
    'samplePeriodMSec?': 'int',
    'readBytesLastSample?': 'int',
    'readOpsLastSample?': 'int',
    'writeBytesLastSample?': 'int',
    'writeOpsLastSample?': 'int',
  },
  GetVolumeStatsResult: { volumeStats: 'VolumeStats' },
  ListVolumeStatsResult: { volumeStats: 'VolumeStats[]' },

  // Clones and asynchronous results
  CloneVolumeResult: { cloneID: 'int', volumeID: 'int', asyncHandle: 'int', 'volume?': 'Volume' },
  CopyVolumeResult: { cloneID: 'int', asyncHandle: 'int' },
  AsyncHandle: {
    asyncResultID: 'int',
    completed: 'bool',
    createTime: 'str',
    lastUpdateTime: 'str',
    resultType: 'str',
    success: 'bool',
    data: 'dict',
  },
  ListAsyncResultsResult: { asyncHandles: 'AsyncHandle[]' },
  // GetAsyncResult has no SDK model (a dict); its shape is the 12.3 reference's, and a finished clone's result carries
  // the message the Java SDK's AsyncResult requires.
  AsyncResultStatus: {
    status: 'str',
    createTime: 'str',
    lastUpdateTime: 'str',
    resultType: 'str',
    'result?': 'AsyncCloneOutcome',
    'error?': 'AsyncError',
    'details?': 'dict',
  },
  AsyncCloneOutcome: { message: 'str', 'cloneID?': 'int', 'volumeID?': 'int' },
  AsyncError: { name: 'str', message: 'str' },

  // Snapshots
  SnapshotRemoteStatus: { remoteStatus: 'str', volumePairUUID: 'uuid' },
  Snapshot: {
    snapshotID: 'int',
    volumeID: 'int',
    name: 'str',
    checksum: 'str',
    enableRemoteReplication: 'bool',
    expirationReason: 'str',
    status: 'str',
    snapshotUUID: 'uuid',
    totalSize: 'int',
    groupSnapshotUUID: 'uuid',
    createTime: 'str',
    instanceCreateTime: 'str',
    volumeName: 'str',
    instanceSnapshotUUID: 'uuid',
    attributes: 'dict',
    'expirationTime?': 'str',
    'remoteStatuses?': 'SnapshotRemoteStatus[]',
    'groupID?': 'int',
    'virtualVolumeID?': 'uuid',
    'snapMirrorLabel?': 'str',
  },
  CreateSnapshotResult: { snapshot: 'Snapshot', snapshotID: 'int', checksum: 'str' },
  ListSnapshotsResult: { snapshots: 'Snapshot[]' },
  ModifySnapshotResult: { 'snapshot?': 'Snapshot' },
  RollbackToSnapshotResult: { 'snapshot?': 'Snapshot', 'snapshotID?': 'int', 'checksum?': 'str' },
  GroupSnapshotMembers: {
    volumeID: 'int',
    snapshotID: 'int',
    snapshotUUID: 'uuid',
    checksum: 'str',
    'attributes?': 'dict',
    'createTime?': 'str',
    'enableRemoteReplication?': 'bool',
    'expirationReason?': 'str',
    'groupID?': 'int',
    'groupSnapshotUUID?': 'uuid',
    'name?': 'str',
    'remoteStatuses?': 'dict[]',
    'status?': 'str',
    'totalSize?': 'int',
  },
  GroupSnapshot: {
    groupSnapshotID: 'int',
    groupSnapshotUUID: 'uuid',
    members: 'GroupSnapshotMembers[]',
    name: 'str',
    createTime: 'str',
    status: 'str',
    attributes: 'dict',
  },
  CreateGroupSnapshotResult: {
    groupSnapshot: 'GroupSnapshot',
    groupSnapshotID: 'int',
    members: 'GroupSnapshotMembers[]',
  },
  ListGroupSnapshotsResult: { groupSnapshots: 'GroupSnapshot[]' },
  ModifyGroupSnapshotResult: { groupSnapshot: 'GroupSnapshot' },
  RollbackToGroupSnapshotResult: {
    'groupSnapshot?': 'GroupSnapshot',
    'groupSnapshotID?': 'int',
    'members?': 'GroupSnapshotMembers[]',
  },

  // Access groups and initiators
  VolumeAccessGroup: {
    deletedVolumes: 'int[]',
    volumeAccessGroupID: 'int',
    name: 'str',
    initiatorIDs: 'int[]',
    initiators: 'str[]',
    volumes: 'int[]',
    attributes: 'dict',
  },
  CreateVolumeAccessGroupResult: { volumeAccessGroupID: 'int', 'volumeAccessGroup?': 'VolumeAccessGroup' },
  ListVolumeAccessGroupsResult: {
    volumeAccessGroups: 'VolumeAccessGroup[]',
    'volumeAccessGroupsNotFound?': 'int[]',
  },
  ModifyVolumeAccessGroupResult: { volumeAccessGroup: 'VolumeAccessGroup' },
  LunAssignment: { volumeID: 'int', lun: 'int' },
  VolumeAccessGroupLunAssignments: {
    volumeAccessGroupID: 'int',
    lunAssignments: 'LunAssignment[]',
    deletedLunAssignments: 'LunAssignment[]',
  },
  VolumeAccessGroupLunAssignmentsResult: { volumeAccessGroupLunAssignments: 'VolumeAccessGroupLunAssignments' },
  Initiator: {
    alias: 'str',
    initiatorID: 'int',
    initiatorName: 'str',
    volumeAccessGroups: 'int[]',
    attributes: 'dict',
  },
  InitiatorsResult: { initiators: 'Initiator[]' },

  // Replication
  PairedCluster: {
    clusterName: 'str',
    clusterPairID: 'int',
    clusterPairUUID: 'uuid',
    latency: 'int',
    mvip: 'str',
    status: 'str',
    version: 'str',
    'clusterUUID?': 'str',
  },
  ListClusterPairsResult: { clusterPairs: 'PairedCluster[]' },
  StartClusterPairingResult: { clusterPairingKey: 'str', clusterPairID: 'int' },
  CompleteClusterPairingResult: { clusterPairID: 'int' },
  StartVolumePairingResult: { volumePairingKey: 'str' },
};

/** The model the SDK reads each public method's result into. */
export const RESULT_MODELS: Record<string, string> = {
  GetAPI: 'GetAPIResult',
  GetClusterInfo: 'GetClusterInfoResult',
  GetClusterVersionInfo: 'GetClusterVersionInfoResult',
  GetClusterCapacity: 'GetClusterCapacityResult',
  ListActiveNodes: 'ListActiveNodesResult',
  AddAccount: 'AddAccountResult',
  GetAccountByID: 'GetAccountResult',
  GetAccountByName: 'GetAccountResult',
  ListAccounts: 'ListAccountsResult',
  ModifyAccount: 'ModifyAccountResult',
  RemoveAccount: 'Empty',
  CreateVolume: 'CreateVolumeResult',
  ModifyVolume: 'ModifyVolumeResult',
  DeleteVolume: 'DeleteVolumeResult',
  RestoreDeletedVolume: 'Empty',
  PurgeDeletedVolume: 'Empty',
  PurgeDeletedVolumes: 'Empty',
  ListVolumes: 'ListVolumesResult',
  ListActiveVolumes: 'ListVolumesResult',
  ListDeletedVolumes: 'ListVolumesResult',
  ListVolumesForAccount: 'ListVolumesResult',
  ListActivePairedVolumes: 'ListVolumesResult',
  GetVolumeStats: 'GetVolumeStatsResult',
  ListVolumeStats: 'ListVolumeStatsResult',
  ListVolumeStatsByVolume: 'ListVolumeStatsResult',
  CloneVolume: 'CloneVolumeResult',
  CopyVolume: 'CopyVolumeResult',
  GetAsyncResult: 'AsyncResultStatus',
  ListAsyncResults: 'ListAsyncResultsResult',
  CreateSnapshot: 'CreateSnapshotResult',
  ListSnapshots: 'ListSnapshotsResult',
  ModifySnapshot: 'ModifySnapshotResult',
  DeleteSnapshot: 'Empty',
  RollbackToSnapshot: 'RollbackToSnapshotResult',
  CreateGroupSnapshot: 'CreateGroupSnapshotResult',
  ListGroupSnapshots: 'ListGroupSnapshotsResult',
  ModifyGroupSnapshot: 'ModifyGroupSnapshotResult',
  DeleteGroupSnapshot: 'Empty',
  RollbackToGroupSnapshot: 'RollbackToGroupSnapshotResult',
  CreateVolumeAccessGroup: 'CreateVolumeAccessGroupResult',
  ListVolumeAccessGroups: 'ListVolumeAccessGroupsResult',
  ModifyVolumeAccessGroup: 'ModifyVolumeAccessGroupResult',
  AddVolumesToVolumeAccessGroup: 'ModifyVolumeAccessGroupResult',
  RemoveVolumesFromVolumeAccessGroup: 'ModifyVolumeAccessGroupResult',
  AddInitiatorsToVolumeAccessGroup: 'ModifyVolumeAccessGroupResult',
  RemoveInitiatorsFromVolumeAccessGroup: 'ModifyVolumeAccessGroupResult',
  DeleteVolumeAccessGroup: 'Empty',
  GetVolumeAccessGroupLunAssignments: 'VolumeAccessGroupLunAssignmentsResult',
  ModifyVolumeAccessGroupLunAssignments: 'VolumeAccessGroupLunAssignmentsResult',
  ListInitiators: 'InitiatorsResult',
  CreateInitiators: 'InitiatorsResult',
  DeleteInitiators: 'Empty',
  StartClusterPairing: 'StartClusterPairingResult',
  CompleteClusterPairing: 'CompleteClusterPairingResult',
  ListClusterPairs: 'ListClusterPairsResult',
  RemoveClusterPair: 'Empty',
  StartVolumePairing: 'StartVolumePairingResult',
  CompleteVolumePairing: 'Empty',
  ModifyVolumePair: 'Empty',
  RemoveVolumePair: 'Empty',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCALARS: Record<Scalar, (v: unknown) => boolean> = {
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  float: (v) => typeof v === 'number' && Number.isFinite(v),
  str: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  dict: isDict,
  uuid: (v) => typeof v === 'string' && UUID.test(v),
};

const describeValue = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 60));

function checkValue(type: FieldType, value: unknown, path: string): string[] {
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return [`${path}: expected a list of ${type.slice(0, -2)}, got ${describeValue(value)}`];
    return value.flatMap((item, i) => checkValue(type.slice(0, -2), item, `${path}[${i}]`));
  }
  if (type in SCALARS)
    return SCALARS[type as Scalar](value) ? [] : [`${path}: expected ${type}, got ${describeValue(value)}`];
  return problems(type, value, path);
}

/** What stops the SDK from reading `value` as `model`, one line per field; empty when it reads. */
export function problems(model: string, value: unknown, path: string = model): string[] {
  const fields = MODELS[model];
  if (!fields) throw new Error(`No model ${model} in the table`);
  if (!isDict(value)) return [`${path}: expected a ${model} object, got ${describeValue(value)}`];
  return Object.entries(fields).flatMap(([key, type]) => {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const v = value[name];
    if (optional && (v === undefined || v === null)) return [];
    return checkValue(type, v, `${path}.${name}`);
  });
}
