/** ScpConnection: the CDM contract on the account's file storage in one region (the single server "0"), for one session. */
import type { ArrayConnection } from '../../src/backend';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { onSingleServer as on, singleServerList } from '../shared/inventory';
import type { ScpApi } from './api';
import * as hosts from './hosts';
import * as inventory from './inventory';
import type { CdmNames } from './mapper';
import * as replication from './replication';
import * as restore from './restore';
import * as snapshots from './snapshots';
import * as volumes from './volumes';

export interface ScpConnectionParts {
  api: ScpApi;
  names: CdmNames;
  target: T.ArrayTarget;
  storageId: string;
  /** Where the endpoint stands in the cloud (cached by the driver). */
  placement: () => Promise<inventory.Placement>;
  /** The same account's API at another region's endpoint. */
  apiAt: (origin: string) => ScpApi;
}

export class ScpConnection implements ArrayConnection {
  private readonly api: ScpApi;
  private readonly names: CdmNames;

  constructor(private readonly parts: ScpConnectionParts) {
    this.api = parts.api;
    this.names = parts.names;
  }

  storage = () => inventory.storage(this.api, this.parts.target, this.parts.storageId, this.parts.placement);
  listServers = () => singleServerList(this.getServer);
  getServer = (sid: string) => on(sid, () => inventory.getServer(this.api, this.parts.placement));
  getSystem = (sid: string) => on(sid, () => inventory.getSystem(this.api));

  listPools = (sid: string, page: T.Page) => on(sid, () => inventory.listPools(this.api, page));
  getPool = (sid: string, id: string) => on(sid, () => inventory.getPool(this.api, id));

  listVolumes = (sid: string, page: T.Page) => on(sid, () => volumes.listVolumes(this.api, this.names, page));
  getVolume = (sid: string, id: string) => on(sid, () => volumes.getVolume(this.api, this.names, id));
  deleteVolume = (sid: string, id: string) => on(sid, () => volumes.deleteVolume(this.api, this.names, id));
  cloneVolume = (sid: string, id: string, req: T.CloneRequest) =>
    on(sid, () => volumes.cloneVolume(this.api, this.names, id, req));
  mountVolume = (sid: string, id: string, _req: T.MountRequest) => on(sid, () => volumes.mountVolume(this.api, id));
  restoreVolume = (sid: string, id: string, req: T.RestoreRequest) =>
    on(sid, () => restore.restoreVolume(this.api, this.names, id, req));
  restoreToNew = (sid: string, id: string, req: T.RestoreToNewRequest) =>
    on(sid, () => restore.restoreToNew(this.api, this.names, id, req));

  listSnapshots = (sid: string, vid: string, page: T.Page) =>
    on(sid, () => snapshots.listSnapshots(this.api, this.names, vid, page));
  getSnapshot = (sid: string, vid: string, id: string) =>
    on(sid, () => snapshots.getSnapshot(this.api, this.names, vid, id));
  createSnapshot = (sid: string, vid: string, req: T.CreateSnapshotRequest) =>
    on(sid, () =>
      req.replicate
        ? replication.createReplicatedSnapshot(this.api, this.names, vid, req)
        : snapshots.createSnapshot(this.api, this.names, vid, req),
    );
  deleteSnapshot = (sid: string, vid: string, id: string) =>
    on(sid, () => snapshots.deleteSnapshot(this.api, this.names, vid, id));
  snapshotProgress = (sid: string, vid: string, id: string) =>
    on(sid, () => replication.snapshotProgress(this.api, this.names, vid, id, this.parts.placement, this.parts.apiAt));

  listRemoteArrays = (sid: string, page: T.Page) =>
    on(sid, async () => applyPage(await replication.listRemoteArrays(this.api, this.parts.placement), page));

  listHosts = (sid: string, page: T.Page) => on(sid, () => hosts.listHosts(this.api, page));
  getHost = (sid: string, id: string) => on(sid, () => hosts.getHost(this.api, id));

  listNetworks = (sid: string, page: T.Page) => on(sid, () => inventory.listNetworks(this.api, page));
  getNetwork = (sid: string, id: string) => on(sid, () => inventory.getNetwork(this.api, id));
}
