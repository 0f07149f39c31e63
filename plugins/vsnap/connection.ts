/** VsnapConnection: the CDM contract on one vSnap appliance (the single server "0"), for one session. */
import type { ArrayConnection } from '../../src/backend';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { onSingleServer as on, singleServerList } from '../shared/inventory';
import type { VsnapApi } from './api';
import * as hosts from './hosts';
import * as inventory from './inventory';
import * as replication from './replication';
import * as restore from './restore';
import * as snapshots from './snapshots';
import * as volumes from './volumes';

export interface VsnapConnectionOptions {
  /** NFS clients allowed on shares created by mount. @default ['all'] */
  shareAllowedHosts: string[];
  /** The appliance's volume list, held between the pages of a walk. */
  volumeWalk: volumes.VolumeWalk;
}

export class VsnapConnection implements ArrayConnection {
  constructor(
    private readonly api: VsnapApi,
    private readonly target: T.ArrayTarget,
    private readonly opts: VsnapConnectionOptions,
  ) {}

  storage = () => inventory.storage(this.api, this.target);
  listServers = () => singleServerList(this.getServer);
  getServer = (sid: string) => on(sid, () => inventory.getServer(this.api));
  getSystem = (sid: string) => on(sid, () => inventory.getSystem(this.api));

  listPools = (sid: string, page: T.Page) => on(sid, () => inventory.listPools(this.api, page));
  getPool = (sid: string, id: string) => on(sid, () => inventory.getPool(this.api, id));

  listVolumes = (sid: string, page: T.Page) => on(sid, () => volumes.listVolumes(this.api, page, this.opts.volumeWalk));
  getVolume = (sid: string, id: string) => on(sid, () => volumes.getVolume(this.api, id));
  deleteVolume = (sid: string, id: string) => on(sid, () => volumes.deleteVolume(this.api, id));
  cloneVolume = (sid: string, id: string, req: T.CloneRequest) => on(sid, () => volumes.cloneVolume(this.api, id, req));
  mountVolume = (sid: string, id: string, _req: T.MountRequest) =>
    on(sid, () => volumes.mountVolume(this.api, id, this.opts.shareAllowedHosts));
  restoreVolume = (sid: string, id: string, req: T.RestoreRequest) =>
    on(sid, () => restore.restoreVolume(this.api, id, req));
  restoreToAlternate = (sid: string, id: string, req: T.RestoreToAlternateRequest) =>
    on(sid, () => restore.restoreToAlternate(this.api, id, req));
  restoreToNew = (sid: string, id: string, req: T.RestoreToNewRequest) =>
    on(sid, () => restore.restoreToNew(this.api, id, req));

  listSnapshots = (sid: string, vid: string, page: T.Page) =>
    on(sid, () => snapshots.listSnapshots(this.api, vid, page));
  getSnapshot = (sid: string, vid: string, id: string) => on(sid, () => snapshots.getSnapshot(this.api, vid, id));
  createSnapshot = (sid: string, vid: string, req: T.CreateSnapshotRequest) =>
    on(sid, () =>
      req.replicate
        ? replication.createReplicatedSnapshot(this.api, vid, req)
        : snapshots.createSnapshot(this.api, vid, req),
    );
  deleteSnapshot = (sid: string, vid: string, id: string) => on(sid, () => snapshots.deleteSnapshot(this.api, vid, id));
  snapshotProgress = (sid: string, vid: string, id: string) =>
    on(sid, () => replication.snapshotProgress(this.api, vid, id));

  listRemoteArrays = (sid: string, page: T.Page) =>
    on(sid, async () => applyPage(await replication.listRemoteArrays(this.api), page));

  listLuns = (sid: string, page: T.Page) => on(sid, () => hosts.listLuns(this.api, page));
  getLun = (sid: string, id: string) => on(sid, () => hosts.getLun(this.api, id));
  onlineLun = (sid: string, id: string) => on(sid, () => hosts.onlineLun(this.api, id));

  listHosts = (sid: string, page: T.Page) => on(sid, () => hosts.listHosts(this.api, page));
  getHost = (sid: string, id: string) => on(sid, () => hosts.getHost(this.api, id));
  createHost = (sid: string, req: T.CreateHostRequest) => on(sid, () => hosts.createHost(this.api, req));
  listHostLuns = (sid: string, id: string, page: T.Page) => on(sid, () => hosts.listHostLuns(this.api, id, page));
  mapToHost = (sid: string, id: string, req: T.MapRequest) => on(sid, () => hosts.mapToHost(this.api, id, req));
  unmapFromHost = (sid: string, id: string, req: T.UnmapRequest) =>
    on(sid, () => hosts.unmapFromHost(this.api, id, req));

  listNetworks = (sid: string, page: T.Page) => on(sid, () => inventory.listNetworks(this.api, page));
  getNetwork = (sid: string, id: string) => on(sid, () => inventory.getNetwork(this.api, id));
}
