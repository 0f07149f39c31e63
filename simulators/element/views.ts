// Records as Element's API shows them: the volume, snapshot, group snapshot, access group, initiator, account and stats
// objects.
import { BLOCK_SIZE } from '../shared/blocks';
import { euiDeviceId, iso, naaDeviceId, volumeIqn } from './state/ids';
import type {
  AccountRecord,
  GroupSnapshotRecord,
  InitiatorRecord,
  RemoteStatusRecord,
  SnapshotRecord,
  VolumeAccessGroupRecord,
  VolumePairRecord,
  VolumeRecord,
} from './state/model';
import type { ElementState } from './state/state';

/** Element's default QoS curve (IOPS multipliers by IO size), present on every volume. */
export const QOS_CURVE = {
  4096: 100,
  8192: 160,
  16384: 270,
  32768: 500,
  65536: 1000,
  131072: 1950,
  262144: 3900,
  524288: 7600,
  1048576: 15000,
};

const NO_GROUP_UUID = '00000000-0000-0000-0000-000000000000';

export function volumeView(state: ElementState, v: VolumeRecord): Record<string, unknown> {
  const c = state.cluster;
  return {
    volumeID: v.volumeID,
    name: v.name,
    accountID: v.accountID,
    createTime: iso(v.createTime),
    volumeConsistencyGroupUUID: NO_GROUP_UUID,
    volumeUUID: v.volumeUUID,
    enableSnapMirrorReplication: false,
    status: v.status,
    access: v.access,
    enable512e: v.enable512e,
    iqn: volumeIqn(c, v.name, v.volumeID),
    scsiEUIDeviceID: euiDeviceId(c, v.volumeID),
    scsiNAADeviceID: naaDeviceId(c, v.volumeID),
    qos: { ...v.qos, curve: QOS_CURVE },
    qosPolicyID: null,
    volumeAccessGroups: [...state.volumeAccessGroups.values()]
      .filter((g) => g.volumes.includes(v.volumeID) || g.deletedVolumes.includes(v.volumeID))
      .map((g) => g.volumeAccessGroupID),
    volumePairs: volumePairsView(state, v),
    deleteTime: iso(v.deleteTime),
    purgeTime: iso(v.purgeTime),
    lastAccessTime: iso(v.createTime),
    lastAccessTimeIO: iso(v.createTime),
    sliceCount: 1,
    totalSize: v.totalSize,
    blockSize: BLOCK_SIZE,
    virtualVolumeID: null,
    attributes: v.attributes,
    currentProtectionScheme: 'doubleHelix',
    previousProtectionScheme: null,
    fifoSize: 24,
    minFifoSize: 0,
  };
}

const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Element's remote status of a snapshot is `{remoteStatus, volumePairUUID}`. The simulator adds
 * (a documented extension Element does not have) what the transfer moved and when:
 * `bytesTransferred`, `totalBytes` (the blocks that differ from the previous snapshot on the target),
 * `startTime`/`endTime` (ISO 8601 with milliseconds, or null) and `stateDetails` (why it failed).
 */
function remoteStatusView(r: RemoteStatusRecord): Record<string, unknown> {
  return {
    remoteStatus: r.remoteStatus,
    volumePairUUID: r.volumePairUUID,
    bytesTransferred: r.bytesTransferred,
    totalBytes: r.totalBytes,
    startTime: isoMs(r.startTime),
    endTime: isoMs(r.endTime),
    stateDetails: r.stateDetails,
  };
}

/** A volume's `volumePairs`, shaped as ListActivePairedVolumes shows them (a volume has at most one pair). */
export function volumePairsView(state: ElementState, v: VolumeRecord): Record<string, unknown>[] {
  const pair = state.pairOfVolume(v.volumeID);
  return pair ? [volumePairView(state, pair)] : [];
}

function volumePairView(state: ElementState, pair: VolumePairRecord): Record<string, unknown> {
  const live = state.replication?.pairStatus(pair) ?? {
    state: 'Active',
    stateDetails: '',
    snapshotState: 'Idle',
    snapshotDetails: '',
  };
  return {
    clusterPairID: pair.clusterPairID,
    remoteReplication: {
      mode: pair.mode,
      // Element's default: replication pauses once this many bytes wait to be sent.
      pauseLimit: 3145728000,
      remoteServiceID: pair.remoteVolumeID === 0 ? 0 : 1,
      resumeDetails: '',
      snapshotReplication: { state: live.snapshotState, stateDetails: live.snapshotDetails },
      state: live.state,
      stateDetails: live.stateDetails,
    },
    remoteSliceID: pair.remoteVolumeID,
    remoteVolumeID: pair.remoteVolumeID,
    remoteVolumeName: pair.remoteVolumeName,
    volumePairUUID: pair.volumePairUUID,
  };
}

export function snapshotView(state: ElementState, s: SnapshotRecord): Record<string, unknown> {
  const volume = state.volumes.get(s.volumeID);
  const group = s.groupID ? state.groupSnapshots.get(s.groupID) : undefined;
  return {
    snapshotID: s.snapshotID,
    volumeID: s.volumeID,
    name: s.name,
    checksum: `0x${((s.snapshotID * 2654435761) >>> 0).toString(16)}`,
    enableRemoteReplication: s.enableRemoteReplication ?? false,
    expirationReason: s.expirationTime === null ? 'None' : 'Api',
    expirationTime: s.expirationTime === null ? null : iso(s.expirationTime),
    remoteStatuses: (s.remoteStatuses ?? []).map(remoteStatusView),
    status: 'done',
    snapshotUUID: s.snapshotUUID,
    totalSize: s.totalSize,
    groupID: s.groupID,
    groupSnapshotUUID: group?.groupSnapshotUUID ?? NO_GROUP_UUID,
    createTime: iso(s.createTime),
    instanceCreateTime: iso(s.createTime),
    volumeName: volume?.name ?? '',
    instanceSnapshotUUID: s.snapshotUUID,
    virtualVolumeID: null,
    attributes: s.attributes,
    snapMirrorLabel: '',
  };
}

export function groupSnapshotView(state: ElementState, g: GroupSnapshotRecord): Record<string, unknown> {
  const members = state.membersOf(g.groupSnapshotID);
  return {
    groupSnapshotID: g.groupSnapshotID,
    groupSnapshotUUID: g.groupSnapshotUUID,
    name: g.name,
    createTime: iso(g.createTime),
    status: 'done',
    enableRemoteReplication: members.some((s) => s.enableRemoteReplication),
    remoteStatuses: members.flatMap((s) => (s.remoteStatuses ?? []).map(remoteStatusView)),
    attributes: g.attributes,
    members: members.map((s) => snapshotView(state, s)),
  };
}

export function volumeAccessGroupView(state: ElementState, g: VolumeAccessGroupRecord): Record<string, unknown> {
  const initiators = g.initiatorIDs
    .map((id) => state.initiators.get(id))
    .filter((i): i is InitiatorRecord => i !== undefined);
  return {
    volumeAccessGroupID: g.volumeAccessGroupID,
    name: g.name,
    initiators: initiators.map((i) => i.initiatorName),
    initiatorIDs: initiators.map((i) => i.initiatorID),
    volumes: [...g.volumes],
    deletedVolumes: [...g.deletedVolumes],
    attributes: g.attributes,
  };
}

export function initiatorView(state: ElementState, i: InitiatorRecord): Record<string, unknown> {
  return {
    initiatorID: i.initiatorID,
    initiatorName: i.initiatorName,
    alias: i.alias,
    attributes: i.attributes,
    volumeAccessGroups: [...state.volumeAccessGroups.values()]
      .filter((g) => g.initiatorIDs.includes(i.initiatorID))
      .map((g) => g.volumeAccessGroupID),
    requireChap: false,
    chapUsername: i.initiatorName,
    virtualNetworkIDs: [],
  };
}

/** Secrets are part of Element's account object; the simulator shows them as Element does. */
export function accountView(state: ElementState, a: AccountRecord): Record<string, unknown> {
  return {
    accountID: a.accountID,
    username: a.username,
    status: a.status ?? 'active',
    volumes: [...state.volumes.values()]
      .filter((v) => v.accountID === a.accountID && v.status === 'active')
      .map((v) => v.volumeID),
    initiatorSecret: a.initiatorSecret,
    targetSecret: a.targetSecret,
    attributes: a.attributes,
    enableChap: a.enableChap ?? true,
    // No virtual volumes here, so no storage container: Element shows the nil UUID then.
    storageContainerID: NO_GROUP_UUID,
  };
}

export function volumeStatsView(state: ElementState, v: VolumeRecord): Record<string, unknown> {
  const nonZero = Math.floor(state.store.referencedBytes(v.content) / BLOCK_SIZE);
  const total = Math.floor(v.totalSize / BLOCK_SIZE);
  return {
    volumeID: v.volumeID,
    accountID: v.accountID,
    volumeSize: v.totalSize,
    nonZeroBlocks: nonZero,
    zeroBlocks: Math.max(0, total - nonZero),
    volumeUtilization: 0,
    actualIOPS: 0,
    averageIOPSize: 0,
    burstIOPSCredit: 0,
    clientQueueDepth: 0,
    latencyUSec: 0,
    readBytes: 0,
    readOps: 0,
    writeBytes: 0,
    writeOps: 0,
    throttle: 0,
    unalignedReads: 0,
    unalignedWrites: 0,
    volumeAccessGroups: state.groupsOfVolume(v.volumeID).map((g) => g.volumeAccessGroupID),
    timestamp: iso(state.now()),
    // The 12.x per-sample figures: the simulator moves no host I/O, so they are all zero.
    asyncDelay: null,
    normalizedIOPS: 0,
    readBytesLastSample: 0,
    readLatencyUSec: 0,
    readLatencyUSecTotal: 0,
    readOpsLastSample: 0,
    samplePeriodMSec: 500,
    writeBytesLastSample: 0,
    writeLatencyUSec: 0,
    writeLatencyUSecTotal: 0,
    writeOpsLastSample: 0,
    metadataHosts: { primary: 1, liveSecondaries: [], deadSecondaries: [] },
  };
}
