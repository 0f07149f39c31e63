/**
 * OntapConnection: the CDM contract on one ONTAP cluster for one session; every server is an SVM, addressed by its
 * uuid.
 */
import type { ArrayConnection, ServerBase } from '../../src/backend';
import type * as T from '../../src/domain/types';
import type { ArrayReads } from '../shared/array-memo';
import type { OntapApi } from './api';
import * as groups from './consistency-groups';
import * as hosts from './hosts';
import * as inventory from './inventory';
import * as replication from './replication';
import * as restore from './restore';
import * as snapshots from './snapshots';
import * as volumes from './volumes';

/** What every topic module works with: the cluster's API, where the session reached it, and its peers. */
export interface Ctx {
  api: OntapApi;
  target: T.ArrayTarget;
  /** The REST API of a peered cluster at `host:port`, with the credentials configured for it (else the session's). */
  remote?: (address: string) => OntapApi;
  /** What this cluster said that changes rarely, held a few seconds (dropped by the plugin's own changes). */
  reads?: ArrayReads;
}

export interface OntapConnectionOptions {
  /** How long an instant split may be waited for before the clone is answered anyway, ms. */
  splitWaitMs: number;
  /** The REST API of a peered cluster at `host:port`. */
  remote?: (address: string) => OntapApi;
  reads?: ArrayReads;
}

export class OntapConnection implements ArrayConnection {
  private readonly ctx: Ctx;

  constructor(
    api: OntapApi,
    target: T.ArrayTarget,
    private readonly opts: OntapConnectionOptions,
  ) {
    this.ctx = { api, target, remote: opts.remote, reads: opts.reads };
  }

  storage = () => inventory.storage(this.ctx);
  listServers = (): Promise<ServerBase[]> => inventory.listServers(this.ctx);
  getServer = (id: string) => inventory.getServer(this.ctx, id);
  getSystem = (id: string) => inventory.getSystem(this.ctx, id);

  listPools = (sid: string, page: T.Page) => inventory.listPools(this.ctx, sid, page);
  getPool = (sid: string, id: string) => inventory.getPool(this.ctx, sid, id);

  listVolumes = (sid: string, page: T.Page) => volumes.listVolumes(this.ctx, sid, page);
  getVolume = (sid: string, id: string) => volumes.getVolume(this.ctx, sid, id);
  deleteVolume = (sid: string, id: string) => volumes.deleteVolume(this.ctx, sid, id);
  cloneVolume = (sid: string, id: string, req: T.CloneRequest) =>
    volumes.cloneVolume(this.ctx, sid, id, req, this.opts.splitWaitMs);
  mountVolume = (sid: string, id: string, req: T.MountRequest) => volumes.mountVolume(this.ctx, sid, id, req);
  splitVolume = (sid: string, id: string) => volumes.splitVolume(this.ctx, sid, id);
  splitStatus = (sid: string, id: string) => volumes.splitStatus(this.ctx, sid, id);
  restoreVolume = (sid: string, id: string, req: T.RestoreRequest) => restore.restoreVolume(this.ctx, sid, id, req);
  restoreToAlternate = (sid: string, id: string, req: T.RestoreToAlternateRequest) =>
    restore.restoreToAlternate(this.ctx, sid, id, req);
  restoreToNew = (sid: string, id: string, req: T.RestoreToNewRequest) => restore.restoreToNew(this.ctx, sid, id, req);

  listLuns = (sid: string, page: T.Page) => hosts.listLuns(this.ctx, sid, page);
  getLun = (sid: string, id: string) => hosts.getLun(this.ctx, sid, id);
  onlineLun = (sid: string, id: string) => hosts.onlineLun(this.ctx, sid, id);

  listSnapshots = (sid: string, vid: string, page: T.Page) => snapshots.listSnapshots(this.ctx, sid, vid, page);
  getSnapshot = (sid: string, vid: string, id: string) => snapshots.getSnapshot(this.ctx, sid, vid, id);
  createSnapshot = (sid: string, vid: string, req: T.CreateSnapshotRequest) =>
    req.replicate
      ? replication.createReplicatedSnapshot(this.ctx, sid, vid, req)
      : snapshots.createSnapshot(this.ctx, sid, vid, req);
  deleteSnapshot = (sid: string, vid: string, id: string) => snapshots.deleteSnapshot(this.ctx, sid, vid, id);
  snapshotProgress = (sid: string, vid: string, id: string) => replication.snapshotProgress(this.ctx, sid, vid, id);

  listHosts = (sid: string, page: T.Page) => hosts.listHosts(this.ctx, sid, page);
  getHost = (sid: string, id: string) => hosts.getHost(this.ctx, sid, id);
  createHost = (sid: string, req: T.CreateHostRequest) => hosts.createHost(this.ctx, sid, req);
  listHostLuns = (sid: string, id: string, page: T.Page) => hosts.listHostLuns(this.ctx, sid, id, page);
  mapToHost = (sid: string, id: string, req: T.MapRequest) => hosts.mapToHost(this.ctx, sid, id, req);
  unmapFromHost = (sid: string, id: string, req: T.UnmapRequest) => hosts.unmapFromHost(this.ctx, sid, id, req);
  listHostGroups = (sid: string, page: T.Page) => hosts.listHostGroups(this.ctx, sid, page);
  mapToHostGroup = (sid: string, id: string, req: T.MapRequest) => hosts.mapToHostGroup(this.ctx, sid, id, req);

  listNetworks = (sid: string, page: T.Page) => inventory.listNetworks(this.ctx, sid, page);
  getNetwork = (sid: string, id: string) => inventory.getNetwork(this.ctx, sid, id);

  listConsistencyGroups = (sid: string, page: T.Page) => groups.listConsistencyGroups(this.ctx, sid, page);
  getConsistencyGroup = (sid: string, id: string) => groups.getConsistencyGroup(this.ctx, sid, id);
  cgAddVolume = (sid: string, id: string, req: T.CgAddVolumeRequest) => groups.cgAddVolume(this.ctx, sid, id, req);
  cgRemoveVolume = (sid: string, id: string, req: T.CgRemoveVolumeRequest) =>
    groups.cgRemoveVolume(this.ctx, sid, id, req);
  cgCondense = (sid: string, id: string, req: T.CgCondenseRequest) => groups.cgCondense(this.ctx, sid, id, req);
  cgTakeSnapshot = (sid: string, id: string, req: T.CgTakeSnapshotRequest) =>
    groups.cgTakeSnapshot(this.ctx, sid, id, req);
  listCgSnapshots = (sid: string, id: string, page: T.Page) => groups.listCgSnapshots(this.ctx, sid, id, page);
  cgAddReplicationTarget = (sid: string, id: string, req: T.CgAddReplicationTargetRequest) =>
    groups.cgAddReplicationTarget(this.ctx, sid, id, req, this.opts.splitWaitMs);

  listRemoteArrays = (sid: string, page: T.Page) => replication.listRemoteArrays(this.ctx, sid, page);
}
