/** OntapConnection: the CDM contract on one ONTAP cluster for one session; every server is an SVM, addressed by its uuid. */
import type { ArrayConnection, ServerBase } from '../../src/backend';
import type * as T from '../../src/domain/types';
import type { OntapApi } from './api';
import type { SanApi } from './api-san';
import * as cgs from './cgs';
import * as inventory from './inventory';
import * as replication from './replication';
import * as replicationCg from './replication-cg';
import * as restore from './restore';
import * as san from './san';
import * as targets from './targets';
import * as volumes from './volumes';

export interface OntapConnectionOptions {
  /** How long an instant split may be waited for before the clone is answered anyway, ms. */
  splitWaitMs: number;
  /** The REST API of a peered cluster at `host:port`. */
  remote?: (address: string) => OntapApi;
}

export class OntapConnection implements ArrayConnection {
  private readonly ctx: inventory.Ctx;

  constructor(
    api: OntapApi,
    sanApi: SanApi,
    target: T.ArrayTarget,
    private readonly opts: OntapConnectionOptions,
  ) {
    this.ctx = { api, san: sanApi, target, remote: opts.remote };
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
  cloneVolume = (sid: string, id: string, req: T.CloneRequest) => volumes.cloneVolume(this.ctx, sid, id, req, this.opts.splitWaitMs);
  mountVolume = (sid: string, id: string, req: T.MountRequest) => volumes.mountVolume(this.ctx, sid, id, req);
  splitVolume = (sid: string, id: string) => volumes.splitVolume(this.ctx, sid, id);
  splitStatus = (sid: string, id: string) => volumes.splitStatus(this.ctx, sid, id);
  restoreVolume = (sid: string, id: string, req: T.RestoreRequest) => restore.restoreVolume(this.ctx, sid, id, req);
  restoreToAlternate = (sid: string, id: string, req: T.RestoreToAlternateRequest) => restore.restoreToAlternate(this.ctx, sid, id, req);
  restoreToNew = (sid: string, id: string, req: T.RestoreToNewRequest) => restore.restoreToNew(this.ctx, sid, id, req);

  listLuns = (sid: string, page: T.Page) => san.listLuns(this.ctx, sid, page);
  getLun = (sid: string, id: string) => san.getLun(this.ctx, sid, id);
  onlineLun = (sid: string, id: string) => san.onlineLun(this.ctx, sid, id);

  listSnapshots = (sid: string, vid: string, page: T.Page) => volumes.listSnapshots(this.ctx, sid, vid, page);
  getSnapshot = (sid: string, vid: string, id: string) => volumes.getSnapshot(this.ctx, sid, vid, id);
  createSnapshot = (sid: string, vid: string, req: T.CreateSnapshotRequest) => volumes.createSnapshot(this.ctx, sid, vid, req);
  deleteSnapshot = (sid: string, vid: string, id: string) => volumes.deleteSnapshot(this.ctx, sid, vid, id);

  listHosts = (sid: string, page: T.Page) => san.listHosts(this.ctx, sid, page);
  getHost = (sid: string, id: string) => san.getHost(this.ctx, sid, id);
  createHost = (sid: string, req: T.CreateHostRequest) => san.createHost(this.ctx, sid, req);
  listHostLuns = (sid: string, id: string, page: T.Page) => san.listHostLuns(this.ctx, sid, id, page);
  mapToHost = (sid: string, id: string, req: T.MapRequest) => san.mapToHost(this.ctx, sid, id, req);
  unmapFromHost = (sid: string, id: string, req: T.UnmapRequest) => san.unmapFromHost(this.ctx, sid, id, req);
  listHostGroups = (sid: string, page: T.Page) => san.listHostGroups(this.ctx, sid, page);
  mapToHostGroup = (sid: string, id: string, req: T.MapRequest) => san.mapToHostGroup(this.ctx, sid, id, req);

  listNetworks = (sid: string, page: T.Page) => inventory.listNetworks(this.ctx, sid, page);
  getNetwork = (sid: string, id: string) => inventory.getNetwork(this.ctx, sid, id);

  listConsistencyGroups = (sid: string, page: T.Page) => cgs.listConsistencyGroups(this.ctx, sid, page);
  getConsistencyGroup = (sid: string, id: string) => cgs.getConsistencyGroup(this.ctx, sid, id);
  cgAddVolume = (sid: string, id: string, req: T.CgAddVolumeRequest) => cgs.cgAddVolume(this.ctx, sid, id, req);
  cgRemoveVolume = (sid: string, id: string, req: T.CgRemoveVolumeRequest) => cgs.cgRemoveVolume(this.ctx, sid, id, req);
  cgCondense = (sid: string, id: string, req: T.CgCondenseRequest) => cgs.cgCondense(this.ctx, sid, id, req);
  cgTakeSnapshot = (sid: string, id: string, req: T.CgTakeSnapshotRequest) => cgs.cgTakeSnapshot(this.ctx, sid, id, req);
  listCgSnapshots = (sid: string, id: string, page: T.Page) => cgs.listCgSnapshots(this.ctx, sid, id, page);
  cgAddReplicationTarget = (sid: string, id: string, req: T.CgAddReplicationTargetRequest) => replicationCg.cgAddReplicationTarget(this.ctx, sid, id, req, this.opts.splitWaitMs);

  snapshotProgress = (sid: string, vid: string, id: string) => replication.snapshotProgress(this.ctx, sid, vid, id);
  listRemoteArrays = (sid: string, page: T.Page) => targets.listRemoteArrays(this.ctx, sid, page);
}
