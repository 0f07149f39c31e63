/** The core between routes and adapters: checks capabilities, then calls the session's array connection. */
import { type ArrayConnection, type BackendDefinition, type Capability, hasCapability, supportsFrom } from '../backend';
import { StorageError } from './errors';
import { applyPage } from './page';
import type * as T from './types';

type Method<K extends keyof ArrayConnection> = NonNullable<ArrayConnection[K]>;

/** Human names of the capabilities, for the UNSUPPORTED message. */
const FEATURE: Record<Capability, string> = {
  clone: 'volume clone',
  mount: 'volume mount',
  split: 'volume split',
  restore: 'volume restore',
  restoreToAlternate: 'restore to an alternate volume',
  restoreToNew: 'restore to a new volume',
  luns: 'LUNs',
  hostMapping: 'LUN mapping to hosts',
  fibreChannel: 'Fibre Channel hosts',
  hostGroups: 'host groups',
  consistencyGroups: 'consistency groups',
  persistentConsistencyGroups: 'persistent consistency groups',
  singleConsistencyGroup: 'single consistency groups',
  deleteFromSnapshotGroup: 'deleting from snapshot groups',
  incrementalConsistencyGroups: 'incremental consistency groups',
  'replication.volume': 'volume replication',
  'replication.consistencyGroup': 'consistency group replication',
  'replication.newSnapshot': 'snapshot replication',
  'replication.existingSnapshot': 'replication of existing snapshots',
  'replication.toItself': 'replication to itself',
  remoteArrays: 'remote arrays',
};

/** One plugin id per storage type: CDM registers each type once. */
export function pluginIdOf(backend: BackendDefinition): string {
  return `cdm-storage-plugin.${backend.name}`;
}

export class StorageService {
  constructor(
    private readonly backend: BackendDefinition,
    private readonly conn: ArrayConnection,
  ) {}

  /** Throws UNSUPPORTED unless the backend declares the capability. */
  require(cap: Capability): void {
    if (!hasCapability(this.backend.capabilities, cap)) {
      throw new StorageError('UNSUPPORTED', `${this.backend.displayName} does not support ${FEATURE[cap]}`);
    }
  }

  /** The optional connection method behind a capability, after checking the capability. */
  private op<K extends keyof ArrayConnection>(cap: Capability, name: K): Method<K> {
    try {
      this.require(cap);
    } catch (err) {
      // Callers always get a rejected promise, never a synchronous throw.
      return (() => Promise.reject(err)) as unknown as Method<K>;
    }
    const fn = this.conn[name];
    if (typeof fn !== 'function') {
      // The conformance suite prevents this; keep a clear message if it ever happens.
      const err = new StorageError('INTERNAL', `backend ${this.backend.name} declares ${cap} but lacks ${String(name)}`);
      return (() => Promise.reject(err)) as unknown as Method<K>;
    }
    return (fn as (...a: unknown[]) => unknown).bind(this.conn) as Method<K>;
  }

  async storage(): Promise<T.StorageInfo> {
    const s = await this.conn.storage();
    return { ...s, pluginId: pluginIdOf(this.backend) };
  }

  async listServers(page: T.Page): Promise<T.Server[]> {
    return applyPage(await this.conn.listServers(), page).map((s) => this.withSupports(s));
  }
  getServer = async (id: T.Id): Promise<T.Server> => this.withSupports(await this.conn.getServer(id));
  getSystem = (id: T.Id) => this.conn.getSystem(id);

  private withSupports(s: Omit<T.Server, 'supports'>): T.Server {
    return { id: s.id, name: s.name, supports: supportsFrom(this.backend.capabilities), config: s.config };
  }

  listPools = (sid: T.Id, page: T.Page) => this.conn.listPools(sid, page);
  getPool = (sid: T.Id, id: T.Id) => this.conn.getPool(sid, id);

  listVolumes = (sid: T.Id, page: T.Page) => this.conn.listVolumes(sid, page);
  getVolume = (sid: T.Id, id: T.Id) => this.conn.getVolume(sid, id);
  deleteVolume = (sid: T.Id, id: T.Id) => this.conn.deleteVolume(sid, id);
  cloneVolume = (sid: T.Id, id: T.Id, req: T.CloneRequest) => this.op('clone', 'cloneVolume')(sid, id, req);
  mountVolume = (sid: T.Id, id: T.Id, req: T.MountRequest) => this.op('mount', 'mountVolume')(sid, id, req);
  splitVolume = (sid: T.Id, id: T.Id) => this.op('split', 'splitVolume')(sid, id);
  splitStatus = (sid: T.Id, id: T.Id) => this.op('split', 'splitStatus')(sid, id);
  restoreVolume = (sid: T.Id, id: T.Id, req: T.RestoreRequest) => this.op('restore', 'restoreVolume')(sid, id, req);
  restoreToAlternate = (sid: T.Id, id: T.Id, req: T.RestoreToAlternateRequest) =>
    this.op('restoreToAlternate', 'restoreToAlternate')(sid, id, req);
  restoreToNew = (sid: T.Id, id: T.Id, req: T.RestoreToNewRequest) => this.op('restoreToNew', 'restoreToNew')(sid, id, req);

  listLuns = (sid: T.Id, page: T.Page) => this.op('luns', 'listLuns')(sid, page);
  getLun = (sid: T.Id, id: T.Id) => this.op('luns', 'getLun')(sid, id);
  onlineLun = (sid: T.Id, id: T.Id) => this.op('luns', 'onlineLun')(sid, id);

  listSnapshots = (sid: T.Id, vid: T.Id, page: T.Page) => this.conn.listSnapshots(sid, vid, page);
  getSnapshot = (sid: T.Id, vid: T.Id, id: T.Id) => this.conn.getSnapshot(sid, vid, id);
  async createSnapshot(sid: T.Id, vid: T.Id, req: T.CreateSnapshotRequest): Promise<T.Snapshot> {
    if (req.replicate) this.require('replication.newSnapshot');
    return this.conn.createSnapshot(sid, vid, req);
  }
  deleteSnapshot = (sid: T.Id, vid: T.Id, id: T.Id) => this.conn.deleteSnapshot(sid, vid, id);
  snapshotProgress = (sid: T.Id, vid: T.Id, id: T.Id, req: T.SnapshotProgressRequest) =>
    this.op('replication.newSnapshot', 'snapshotProgress')(sid, vid, id, req);

  listHosts = (sid: T.Id, page: T.Page) => this.conn.listHosts(sid, page);
  getHost = (sid: T.Id, id: T.Id) => this.conn.getHost(sid, id);
  async createHost(sid: T.Id, req: T.CreateHostRequest): Promise<T.Host> {
    if (req.wwns && req.wwns.length > 0) this.require('fibreChannel');
    return this.conn.createHost(sid, req);
  }
  listHostLuns = (sid: T.Id, id: T.Id, page: T.Page) => this.op('hostMapping', 'listHostLuns')(sid, id, page);
  mapToHost = (sid: T.Id, id: T.Id, req: T.MapRequest) => this.op('hostMapping', 'mapToHost')(sid, id, req);
  unmapFromHost = (sid: T.Id, id: T.Id, req: T.UnmapRequest) => this.op('hostMapping', 'unmapFromHost')(sid, id, req);

  listHostGroups = (sid: T.Id, page: T.Page) => this.op('hostGroups', 'listHostGroups')(sid, page);
  mapToHostGroup = (sid: T.Id, id: T.Id, req: T.MapRequest) => this.op('hostGroups', 'mapToHostGroup')(sid, id, req);

  listNetworks = (sid: T.Id, page: T.Page) => this.conn.listNetworks(sid, page);
  getNetwork = (sid: T.Id, id: T.Id) => this.conn.getNetwork(sid, id);

  listConsistencyGroups = (sid: T.Id, page: T.Page) => this.op('consistencyGroups', 'listConsistencyGroups')(sid, page);
  getConsistencyGroup = (sid: T.Id, id: T.Id) => this.op('consistencyGroups', 'getConsistencyGroup')(sid, id);
  cgAddVolume = (sid: T.Id, id: T.Id, req: T.CgAddVolumeRequest) => this.op('consistencyGroups', 'cgAddVolume')(sid, id, req);
  cgRemoveVolume = (sid: T.Id, id: T.Id, req: T.CgRemoveVolumeRequest) =>
    this.op('consistencyGroups', 'cgRemoveVolume')(sid, id, req);
  cgCondense = (sid: T.Id, id: T.Id, req: T.CgCondenseRequest) => this.op('consistencyGroups', 'cgCondense')(sid, id, req);
  async cgTakeSnapshot(sid: T.Id, id: T.Id, req: T.CgTakeSnapshotRequest): Promise<T.ConsistencyGroupSnapshot> {
    const take = this.op('consistencyGroups', 'cgTakeSnapshot');
    if (req.replicate) this.require('replication.consistencyGroup');
    return take(sid, id, req);
  }
  async cgAddReplicationTarget(sid: T.Id, id: T.Id, req: T.CgAddReplicationTargetRequest): Promise<T.ReplicationTarget> {
    this.require('consistencyGroups');
    return this.op('replication.consistencyGroup', 'cgAddReplicationTarget')(sid, id, req);
  }
  listCgSnapshots = (sid: T.Id, id: T.Id, page: T.Page) => this.op('consistencyGroups', 'listCgSnapshots')(sid, id, page);

  listRemoteArrays = (sid: T.Id, page: T.Page) => this.op('remoteArrays', 'listRemoteArrays')(sid, page);
}
