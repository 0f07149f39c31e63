/** ElementConnection: the CDM contract on one Element cluster (the single server "0"), for one session. */
import type { ArrayConnection, ServerBase } from '../../src/backend';
import { StorageError, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import * as cg from './cgroups';
import { type RemoteApi, cgAddReplicationTarget } from './cg-replication';
import * as copies from './copies';
import * as hosts from './hosts';
import { BLOCK_SIZE, POOL_ID, SERVER_ID, elementId, toLun, toNetworks, toSnapshot } from './mapper';
import * as replication from './replication';
import * as volumes from './volumes';

export interface ElementConnectionOptions {
  /** Purge a volume right after DeleteVolume (CDM's delete means gone). @default true */
  purgeOnDelete: boolean;
  /** Longest wait for a copy CDM needs finished before answering. @default 600000 */
  copyWaitMs: number;
}

export class ElementConnection implements ArrayConnection {
  constructor(
    private readonly api: ElementApi,
    private readonly target: T.ArrayTarget,
    private readonly opts: ElementConnectionOptions,
    /** The API of a paired cluster (add-replication-target makes replica volumes there). */
    private readonly remote: RemoteApi = () => {
      throw new StorageError('UNSUPPORTED', 'this connection was opened without access to paired clusters');
    },
  ) {}

  private server(serverId: string): void {
    if (serverId !== SERVER_ID) throw notFound('server', serverId);
  }

  /** Runs fn after checking the server id, so every method answers NOT_FOUND for another server first. */
  private on<R>(serverId: string, fn: () => Promise<R>): Promise<R> {
    try {
      this.server(serverId);
    } catch (err) {
      return Promise.reject(err);
    }
    return fn();
  }

  async storage(): Promise<Omit<T.StorageInfo, 'pluginId'>> {
    const [info, version] = await Promise.all([this.api.clusterInfo(), this.api.versionInfo()]);
    return {
      name: info.name,
      id: info.uuid,
      hostName: this.target.hostname ?? info.mvip,
      ipAddress: this.target.ipAddress ?? this.target.hostname ?? info.mvip,
      port: this.target.port ?? 0,
      vendor: 'NetApp',
      version: version.clusterVersion,
      serverIds: [SERVER_ID],
    };
  }

  async listServers(): Promise<ServerBase[]> {
    return [await this.getServer(SERVER_ID)];
  }

  getServer = (serverId: string) =>
    this.on(serverId, async (): Promise<ServerBase> => {
      const info = await this.api.clusterInfo();
      return { id: SERVER_ID, name: info.name, config: { isDpDestination: false, isNfsServiceEnabled: false, isIscsiServiceEnabled: Boolean(info.svip), isIncrementalConsistencyGroup: false } };
    });

  /**
   * Space in logical bytes (one copy of the data): Element's raw figures count both Double Helix
   * copies, so they are divided by repCount. Snapshot space is the blocks only snapshots hold,
   * estimated as the distinct blocks beyond those the live volumes reference.
   */
  getSystem = (serverId: string) =>
    this.on(serverId, async (): Promise<T.SystemInfo> => {
      const [cap, info, version] = await Promise.all([this.api.capacity(), this.api.clusterInfo(), this.api.versionInfo()]);
      const rep = Math.max(1, info.repCount || 1);
      const used = Math.round(cap.usedSpace / rep);
      const snapshots = Math.min(used, Math.max(0, cap.uniqueBlocks - cap.nonZeroBlocks) * BLOCK_SIZE);
      const written = cap.nonZeroBlocks * BLOCK_SIZE;
      const dataReduction = cap.uniqueBlocks > 0 ? Math.max(1, cap.nonZeroBlocks / cap.uniqueBlocks) * Math.max(1, (cap.uniqueBlocks * BLOCK_SIZE) / Math.max(1, cap.uniqueBlocksUsedSpace)) : 1;
      return {
        capacityInBytes: Math.round(cap.maxUsedSpace / rep),
        systemSizeInBytes: 0,
        snapshotsSizeInBytes: snapshots,
        volumesSizeInBytes: used - snapshots,
        dataReduction,
        totalSizeInBytes: used,
        sharedSpaceInBytes: 0,
        thinProvisioning: cap.provisionedSpace > 0 ? Math.max(0, 1 - written / cap.provisionedSpace) : 0,
        totalReduction: used > 0 ? Math.max(dataReduction, cap.provisionedSpace / used) : dataReduction,
        provisionedSizeInBytes: cap.provisionedSpace,
        parity: info.defaultProtectionScheme ?? 'doubleHelix',
        serialNumber: info.uniqueID,
        model: 'NetApp Element',
        version: version.clusterVersion,
      };
    });

  /** The cluster's drives are one pool; its free space is logical (raw free divided by the Helix copies). */
  private async pool(): Promise<T.Pool> {
    const [cap, info] = await Promise.all([this.api.capacity(), this.api.clusterInfo()]);
    const rep = Math.max(1, info.repCount || 1);
    return { id: POOL_ID, name: info.name, freeSpace: Math.max(0, Math.floor((cap.maxUsedSpace - cap.usedSpace) / rep)) };
  }

  listPools = (serverId: string, page: T.Page) => this.on(serverId, async () => applyPage([await this.pool()], page));
  getPool = (serverId: string, poolId: string) =>
    this.on(serverId, async () => {
      if (poolId !== POOL_ID) throw notFound('pool', poolId);
      return this.pool();
    });

  listVolumes = (serverId: string, page: T.Page) => this.on(serverId, async () => volumes.withDetails(this.api, await volumes.pageOfVolumes(this.api, page)));
  getVolume = (serverId: string, volumeId: string) => this.on(serverId, () => volumes.getVolume(this.api, volumeId));
  deleteVolume = (serverId: string, volumeId: string) => this.on(serverId, () => volumes.deleteVolume(this.api, volumeId, this.opts.purgeOnDelete));

  private get copyOpts() {
    return { waitMs: this.opts.copyWaitMs };
  }
  cloneVolume = (serverId: string, volumeId: string, req: T.CloneRequest) => this.on(serverId, () => copies.cloneVolume(this.api, volumeId, req, this.copyOpts));
  splitVolume = (serverId: string, volumeId: string) => this.on(serverId, () => copies.splitStatus(this.api, volumeId));
  splitStatus = (serverId: string, volumeId: string) => this.on(serverId, () => copies.splitStatus(this.api, volumeId));
  restoreVolume = (serverId: string, volumeId: string, req: T.RestoreRequest) => this.on(serverId, () => copies.restoreVolume(this.api, volumeId, req));
  restoreToAlternate = (serverId: string, volumeId: string, req: T.RestoreToAlternateRequest) =>
    this.on(serverId, () => copies.restoreToAlternate(this.api, volumeId, req, this.copyOpts));
  restoreToNew = (serverId: string, volumeId: string, req: T.RestoreToNewRequest) => this.on(serverId, () => copies.restoreToNew(this.api, volumeId, req, this.copyOpts));

  listLuns = (serverId: string, page: T.Page) => this.on(serverId, async () => (await volumes.pageOfVolumes(this.api, page)).map(toLun));
  getLun = (serverId: string, lunId: string) => this.on(serverId, async () => toLun(await this.api.volume(elementId(lunId, 'LUN'), 'LUN')));
  /** An Element volume is reachable as soon as it exists and is readWrite: online checks that it exists. */
  onlineLun = (serverId: string, lunId: string) => this.on(serverId, async () => void (await this.api.volume(elementId(lunId, 'LUN'), 'LUN')));

  listSnapshots = (serverId: string, volumeId: string, page: T.Page) => this.on(serverId, () => volumes.listSnapshots(this.api, volumeId, page));
  getSnapshot = (serverId: string, volumeId: string, snapshotId: string) =>
    this.on(serverId, async () => toSnapshot(await volumes.snapshotOf(this.api, volumeId, snapshotId)));
  createSnapshot = (serverId: string, volumeId: string, req: T.CreateSnapshotRequest) => this.on(serverId, () => volumes.createSnapshot(this.api, volumeId, req));
  deleteSnapshot = (serverId: string, volumeId: string, snapshotId: string) => this.on(serverId, () => volumes.deleteSnapshot(this.api, volumeId, snapshotId));
  snapshotProgress = (serverId: string, volumeId: string, snapshotId: string) => this.on(serverId, () => replication.snapshotProgress(this.api, volumeId, snapshotId));

  listHosts = (serverId: string, page: T.Page) => this.on(serverId, () => hosts.listHosts(this.api, page));
  getHost = (serverId: string, hostId: string) => this.on(serverId, () => hosts.getHost(this.api, hostId));
  createHost = (serverId: string, req: T.CreateHostRequest) => this.on(serverId, () => hosts.createHost(this.api, req));
  listHostLuns = (serverId: string, hostId: string, page: T.Page) => this.on(serverId, () => hosts.listHostLuns(this.api, hostId, page));
  mapToHost = (serverId: string, hostId: string, req: T.MapRequest) => this.on(serverId, () => hosts.mapToHost(this.api, hostId, req));
  unmapFromHost = (serverId: string, hostId: string, req: T.UnmapRequest) => this.on(serverId, () => hosts.unmapFromHost(this.api, hostId, req));
  listHostGroups = (serverId: string, page: T.Page) => this.on(serverId, () => hosts.listHostGroups(this.api, page));
  mapToHostGroup = (serverId: string, groupId: string, req: T.MapRequest) => this.on(serverId, () => hosts.mapToHostGroup(this.api, groupId, req));

  listNetworks = (serverId: string, page: T.Page) => this.on(serverId, async () => applyPage(toNetworks(await this.api.clusterInfo()), page));
  getNetwork = (serverId: string, networkId: string) =>
    this.on(serverId, async () => {
      const n = toNetworks(await this.api.clusterInfo()).find((x) => x.id === networkId);
      if (!n) throw notFound('network', networkId);
      return n;
    });

  listConsistencyGroups = (serverId: string, page: T.Page) => this.on(serverId, () => cg.listConsistencyGroups(this.api, page));
  getConsistencyGroup = (serverId: string, cgId: string) => this.on(serverId, () => cg.getConsistencyGroup(this.api, cgId));
  cgAddVolume = (serverId: string, cgId: string, req: T.CgAddVolumeRequest) => this.on(serverId, () => cg.cgAddVolume(this.api, cgId, req));
  cgRemoveVolume = (serverId: string, cgId: string, req: T.CgRemoveVolumeRequest) => this.on(serverId, () => cg.cgRemoveVolume(this.api, cgId, req));
  cgCondense = (serverId: string, cgId: string, req: T.CgCondenseRequest) => this.on(serverId, () => cg.cgCondense(this.api, cgId, req));
  cgTakeSnapshot = (serverId: string, cgId: string, req: T.CgTakeSnapshotRequest) => this.on(serverId, () => cg.cgTakeSnapshot(this.api, cgId, req));
  listCgSnapshots = (serverId: string, cgId: string, page: T.Page) => this.on(serverId, () => cg.listCgSnapshots(this.api, cgId, page));
  cgAddReplicationTarget = (serverId: string, cgId: string, req: T.CgAddReplicationTargetRequest) =>
    this.on(serverId, () => cgAddReplicationTarget(this.api, this.remote, cgId, req));

  listRemoteArrays = (serverId: string, page: T.Page) => this.on(serverId, () => replication.listRemoteArrays(this.api, page));
}
