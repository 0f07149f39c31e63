/** VsnapConnection: the CDM contract on one vSnap appliance (the single server "0"), for one session. */
import type { ArrayConnection, ServerBase } from '../../src/backend';
import { invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { mapLimit } from '../shared/concurrency';
import type { VsnapApi } from './api';
import { SERVER_ID, isLunType, num, ratio, toHost, toLun, toNetwork, toPool, toSnapshot, toVolume } from './mapper';
import * as replication from './replication';
import * as volumes from './volumes';

/** Detail calls issued at once when a list needs per-object details. */
const DETAIL_CONCURRENCY = 8;

export interface VsnapConnectionOptions {
  /** NFS clients allowed on shares created by mount. @default ['all'] */
  shareAllowedHosts: string[];
}

export class VsnapConnection implements ArrayConnection {
  constructor(
    private readonly api: VsnapApi,
    private readonly target: T.ArrayTarget,
    private readonly opts: VsnapConnectionOptions,
  ) {}

  private server(serverId: string): void {
    if (serverId !== SERVER_ID) throw notFound('server', serverId);
  }

  async storage(): Promise<Omit<T.StorageInfo, 'pluginId'>> {
    const sys = await this.api.system();
    return {
      name: sys.hostname,
      id: sys.id,
      hostName: this.target.hostname ?? sys.fqdn ?? sys.hostname,
      ipAddress: this.target.ipAddress ?? this.target.hostname ?? '',
      port: this.target.port ?? 0,
      vendor: 'IBM',
      version: sys.vsnap_version,
      serverIds: [SERVER_ID],
    };
  }

  async listServers(): Promise<ServerBase[]> {
    return [await this.getServer(SERVER_ID)];
  }

  async getServer(serverId: string): Promise<ServerBase> {
    this.server(serverId);
    const [sys, nets] = await Promise.all([this.api.system(), this.api.networks()]);
    const has = (svc: string) => nets.some((n) => n.services.includes(svc) || n.services.includes('all'));
    return {
      id: SERVER_ID,
      name: sys.hostname,
      config: { isDpDestination: false, isNfsServiceEnabled: has('nfs'), isIscsiServiceEnabled: has('iscsi'), isIncrementalConsistencyGroup: false },
    };
  }

  /**
   * Space figures in the FlashArray sense the CDM fields follow: `totalSizeInBytes` is the space
   * used, split into volumes, snapshots, shared and system; thin provisioning is the unwritten
   * share of what volumes were promised.
   */
  async getSystem(serverId: string): Promise<T.SystemInfo> {
    this.server(serverId);
    const [sys, poolList, vols, snaps] = await Promise.all([this.api.system(), this.api.pools(), this.api.volumes(), this.api.allSnapshots()]);
    const pools = await mapLimit(poolList, DETAIL_CONCURRENCY, (p) => this.api.pool(p.id));
    const snapDetails = await mapLimit(snaps, DETAIL_CONCURRENCY, (s) => this.api.snapshot(s.id).catch(() => s));
    const capacity = pools.reduce((a, p) => a + num(p.size_total), 0);
    const used = pools.reduce((a, p) => a + num(p.size_used), 0);
    const snapshots = Math.min(used, snapDetails.reduce((a, s) => a + num(s.size_used), 0));
    const written = vols.reduce((a, v) => a + num(v.size_used), 0);
    const provisioned = vols.reduce((a, v) => a + (v.size_total ? num(v.size_total) : num(v.size_used)), 0);
    const weighted = (f: (p: (typeof pools)[number]) => number) =>
      used > 0 ? pools.reduce((a, p) => a + f(p) * num(p.size_used), 0) / used : 1;
    const dataReduction = weighted((p) => ratio(p.compression_ratio) * ratio(p.deduplication_ratio));
    return {
      capacityInBytes: capacity,
      systemSizeInBytes: 0,
      snapshotsSizeInBytes: snapshots,
      volumesSizeInBytes: used - snapshots,
      dataReduction,
      totalSizeInBytes: used,
      sharedSpaceInBytes: 0,
      thinProvisioning: provisioned > 0 ? Math.max(0, 1 - written / provisioned) : 0,
      totalReduction: used > 0 ? Math.max(dataReduction, provisioned / used) : dataReduction,
      provisionedSizeInBytes: provisioned,
      parity: [...new Set(pools.map((p) => p.pool_type))].join(',') || 'none',
      serialNumber: sys.id,
      model: 'vSnap',
      version: sys.vsnap_version,
    };
  }

  async listPools(serverId: string, page: T.Page): Promise<T.Pool[]> {
    this.server(serverId);
    return applyPage(await this.api.pools(), page).map(toPool);
  }

  async getPool(serverId: string, poolId: string): Promise<T.Pool> {
    this.server(serverId);
    return toPool(await this.api.pool(poolId));
  }

  async listVolumes(serverId: string, page: T.Page): Promise<T.Volume[]> {
    this.server(serverId);
    return (await this.api.volumePage(page.start, page.limit === undefined ? Number.POSITIVE_INFINITY : page.start + page.limit)).map(toVolume);
  }

  async getVolume(serverId: string, volumeId: string): Promise<T.Volume> {
    this.server(serverId);
    return toVolume(await this.api.volume(volumeId));
  }

  async deleteVolume(serverId: string, volumeId: string): Promise<void> {
    this.server(serverId);
    await this.api.deleteVolume(volumeId);
  }

  cloneVolume = async (serverId: string, volumeId: string, req: T.CloneRequest) => (this.server(serverId), volumes.cloneVolume(this.api, volumeId, req));
  mountVolume = async (serverId: string, volumeId: string, _req: T.MountRequest) =>
    (this.server(serverId), volumes.mountVolume(this.api, volumeId, this.opts.shareAllowedHosts));
  restoreVolume = async (serverId: string, volumeId: string, req: T.RestoreRequest) => (this.server(serverId), volumes.restoreVolume(this.api, volumeId, req));
  restoreToAlternate = async (serverId: string, volumeId: string, req: T.RestoreToAlternateRequest) =>
    (this.server(serverId), volumes.restoreToAlternate(this.api, volumeId, req));
  restoreToNew = async (serverId: string, volumeId: string, req: T.RestoreToNewRequest) => (this.server(serverId), volumes.restoreToNew(this.api, volumeId, req));

  async listSnapshots(serverId: string, volumeId: string, page: T.Page): Promise<T.Snapshot[]> {
    this.server(serverId);
    return applyPage(await this.api.snapshotsOf(volumeId), page).map(toSnapshot);
  }

  async getSnapshot(serverId: string, volumeId: string, snapshotId: string): Promise<T.Snapshot> {
    this.server(serverId);
    return toSnapshot(await volumes.snapshotOf(this.api, volumeId, snapshotId));
  }

  createSnapshot = async (serverId: string, volumeId: string, req: T.CreateSnapshotRequest) =>
    (this.server(serverId), req.replicate ? replication.createReplicatedSnapshot(this.api, volumeId, req) : volumes.createSnapshot(this.api, volumeId, req));
  deleteSnapshot = async (serverId: string, volumeId: string, snapshotId: string) => (this.server(serverId), volumes.deleteSnapshot(this.api, volumeId, snapshotId));
  snapshotProgress = async (serverId: string, volumeId: string, snapshotId: string, _req: T.SnapshotProgressRequest) =>
    (this.server(serverId), replication.snapshotProgress(this.api, volumeId, snapshotId));

  async listRemoteArrays(serverId: string, page: T.Page): Promise<T.RemoteArray[]> {
    this.server(serverId);
    return applyPage(await replication.listRemoteArrays(this.api), page);
  }

  async listLuns(serverId: string, page: T.Page): Promise<T.Lun[]> {
    this.server(serverId);
    const luns = applyPage((await this.api.volumes()).filter((v) => isLunType(v.volume_type)), page);
    const [iqn, details] = await Promise.all([this.api.targetIqn(), mapLimit(luns, DETAIL_CONCURRENCY, (v) => this.api.volume(v.id))]);
    return details.map((v) => toLun(v, iqn));
  }

  async getLun(serverId: string, lunId: string): Promise<T.Lun> {
    this.server(serverId);
    const [v, iqn] = await Promise.all([this.api.volume(lunId).catch(() => null), this.api.targetIqn()]);
    if (!v || !isLunType(v.volume_type)) throw notFound('LUN', lunId);
    return toLun(v, iqn);
  }

  /** vSnap exports a LUN as soon as it exists; online only checks that it does. */
  async onlineLun(serverId: string, lunId: string): Promise<void> {
    await this.getLun(serverId, lunId);
  }

  async listHosts(serverId: string, page: T.Page): Promise<T.Host[]> {
    this.server(serverId);
    const hosts = applyPage(await this.api.hosts(), page);
    return (await mapLimit(hosts, DETAIL_CONCURRENCY, (h) => this.api.host(h.id))).map(toHost);
  }

  async getHost(serverId: string, hostId: string): Promise<T.Host> {
    this.server(serverId);
    return toHost(await this.api.host(hostId));
  }

  async createHost(serverId: string, req: T.CreateHostRequest): Promise<T.Host> {
    this.server(serverId);
    return toHost(await this.api.createHost(req.name, req.iqns ?? []));
  }

  async listHostLuns(serverId: string, hostId: string, page: T.Page): Promise<T.HostLunMapping[]> {
    this.server(serverId);
    const host = await this.api.host(hostId);
    const mapped = applyPage(host.mapped_luns ?? [], page);
    const names = new Map((mapped.length ? await this.api.volumes() : []).map((v) => [v.id, v.name]));
    return mapped.map((m) => ({ name: names.get(m.vol_id) ?? m.vol_id, volumeId: m.vol_id, hostId, hostGroupId: null, lunId: m.vol_id, lunNumber: Number(m.lun) }));
  }

  /** A vSnap LUN is a volume, so lunId and volumeId name the same object; the array picks the LUN number. */
  async mapToHost(serverId: string, hostId: string, req: T.MapRequest): Promise<T.HostLunMapping> {
    this.server(serverId);
    if (req.volumeId && req.lunId && req.volumeId !== req.lunId) {
      throw invalidArgument(`on this array LUN '${req.lunId}' is volume '${req.lunId}', not volume '${req.volumeId}'`, 'lunId');
    }
    const volId = (req.lunId ?? req.volumeId) as string;
    await this.api.host(hostId);
    const vol = await this.api.volume(volId);
    if (!isLunType(vol.volume_type)) throw invalidArgument(`volume '${volId}' is a ${vol.volume_type}, not a LUN: it cannot be mapped to a host`, 'volumeId');
    const m = await this.api.map(hostId, volId);
    return { name: vol.name, volumeId: volId, hostId, hostGroupId: null, lunId: volId, lunNumber: Number(m.lun) };
  }

  async unmapFromHost(serverId: string, hostId: string, req: T.UnmapRequest): Promise<void> {
    this.server(serverId);
    await this.api.host(hostId);
    await this.api.unmap(hostId, req.lunId);
  }

  async listNetworks(serverId: string, page: T.Page): Promise<T.Network[]> {
    this.server(serverId);
    const [nets, iqn] = await Promise.all([this.api.networks(), this.api.targetIqn()]);
    return applyPage(nets, page).map((n) => toNetwork(n, iqn));
  }

  async getNetwork(serverId: string, networkId: string): Promise<T.Network> {
    this.server(serverId);
    const [nets, iqn] = await Promise.all([this.api.networks(), this.api.targetIqn()]);
    const n = nets.find((x) => x.id === networkId);
    if (!n) throw notFound('network', networkId);
    return toNetwork(n, iqn);
  }
}
