/** ElementConnection: the CDM contract on one Element cluster (the single server "0"), for one session. */
import type { ArrayConnection } from '../../src/backend';
import { StorageError } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { onSingleServer as on, singleServerList } from '../shared/inventory';
import type { ArrayReads } from '../shared/array-memo';
import { type CursorScope } from '../shared/cursors';
import type { ElementApi } from './api';
import * as groups from './consistency-groups';
import * as hosts from './hosts';
import * as inventory from './inventory';
import { elementId, toLun } from './mapper';
import * as replication from './replication';
import * as restore from './restore';
import * as snapshots from './snapshots';
import * as volumes from './volumes';

export interface ElementConnectionOptions {
  /** Purge a volume right after DeleteVolume (CDM's delete means gone). @default true */
  purgeOnDelete: boolean;
  /** Longest wait for a copy CDM needs finished before answering. @default 600000 */
  copyWaitMs: number;
  /** Where walks of the volume list (and LUNs, the same list) remember their cursors. */
  volumeCursors?: CursorScope;
  /** What this cluster said that changes rarely, held a few seconds (dropped by the plugin's own changes). */
  reads?: ArrayReads;
}

export class ElementConnection implements ArrayConnection {
  constructor(
    private readonly api: ElementApi,
    private readonly target: T.ArrayTarget,
    private readonly opts: ElementConnectionOptions,
    /** The API of a paired cluster (add-replication-target makes replica volumes there). */
    private readonly remote: groups.RemoteApi = () => {
      throw new StorageError('UNSUPPORTED', 'this connection was opened without access to paired clusters');
    },
  ) {}

  private get copyOpts() {
    return { waitMs: this.opts.copyWaitMs };
  }

  storage = () => inventory.storage(this.api, this.target);
  listServers = () => singleServerList(this.getServer);
  getServer = (sid: string) => on(sid, () => inventory.getServer(this.api));
  getSystem = (sid: string) => on(sid, () => inventory.getSystem(this.api));

  listPools = (sid: string, page: T.Page) => on(sid, async () => applyPage([await inventory.pool(this.api)], page));
  getPool = (sid: string, id: string) => on(sid, () => inventory.getPool(this.api, id));

  listVolumes = (sid: string, page: T.Page) =>
    on(sid, async () =>
      volumes.withDetails(
        this.api,
        await volumes.pageOfVolumes(this.api, page, this.opts.volumeCursors),
        this.opts.reads,
      ),
    );
  getVolume = (sid: string, id: string) => on(sid, () => volumes.getVolume(this.api, id, this.opts.reads));
  deleteVolume = (sid: string, id: string) =>
    on(sid, () => volumes.deleteVolume(this.api, id, this.opts.purgeOnDelete));
  cloneVolume = (sid: string, id: string, req: T.CloneRequest) =>
    on(sid, () => volumes.cloneVolume(this.api, id, req, this.copyOpts));
  mountVolume = (sid: string, id: string, _req: T.MountRequest) => on(sid, () => volumes.mountVolume(this.api, id));
  splitVolume = (sid: string, id: string) => on(sid, () => volumes.splitStatus(this.api, id));
  splitStatus = (sid: string, id: string) => on(sid, () => volumes.splitStatus(this.api, id));
  restoreVolume = (sid: string, id: string, req: T.RestoreRequest) =>
    on(sid, () => restore.restoreVolume(this.api, id, req));
  restoreToAlternate = (sid: string, id: string, req: T.RestoreToAlternateRequest) =>
    on(sid, () => restore.restoreToAlternate(this.api, id, req, this.copyOpts));
  restoreToNew = (sid: string, id: string, req: T.RestoreToNewRequest) =>
    on(sid, () => restore.restoreToNew(this.api, id, req, this.copyOpts));

  listLuns = (sid: string, page: T.Page) =>
    on(sid, async () => (await volumes.pageOfVolumes(this.api, page, this.opts.volumeCursors)).map(toLun));
  getLun = (sid: string, id: string) => on(sid, async () => toLun(await this.api.volume(elementId(id, 'LUN'), 'LUN')));
  /** An Element volume is reachable as soon as it exists and is readWrite: online checks that it exists. */
  onlineLun = (sid: string, id: string) =>
    on(sid, async () => void (await this.api.volume(elementId(id, 'LUN'), 'LUN')));

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

  listHosts = (sid: string, page: T.Page) => on(sid, () => hosts.listHosts(this.api, page));
  getHost = (sid: string, id: string) => on(sid, () => hosts.getHost(this.api, id));
  createHost = (sid: string, req: T.CreateHostRequest) => on(sid, () => hosts.createHost(this.api, req));
  listHostLuns = (sid: string, id: string, page: T.Page) => on(sid, () => hosts.listHostLuns(this.api, id, page));
  mapToHost = (sid: string, id: string, req: T.MapRequest) => on(sid, () => hosts.mapToHost(this.api, id, req));
  unmapFromHost = (sid: string, id: string, req: T.UnmapRequest) =>
    on(sid, () => hosts.unmapFromHost(this.api, id, req));
  listHostGroups = (sid: string, page: T.Page) => on(sid, () => hosts.listHostGroups(this.api, page));
  mapToHostGroup = (sid: string, id: string, req: T.MapRequest) =>
    on(sid, () => hosts.mapToHostGroup(this.api, id, req));

  listNetworks = (sid: string, page: T.Page) => on(sid, () => inventory.listNetworks(this.api, page));
  getNetwork = (sid: string, id: string) => on(sid, () => inventory.getNetwork(this.api, id));

  listConsistencyGroups = (sid: string, page: T.Page) => on(sid, () => groups.listConsistencyGroups(this.api, page));
  getConsistencyGroup = (sid: string, id: string) => on(sid, () => groups.getConsistencyGroup(this.api, id));
  cgAddVolume = (sid: string, id: string, req: T.CgAddVolumeRequest) =>
    on(sid, () => groups.cgAddVolume(this.api, id, req));
  cgRemoveVolume = (sid: string, id: string, req: T.CgRemoveVolumeRequest) =>
    on(sid, () => groups.cgRemoveVolume(this.api, id, req));
  cgCondense = (sid: string, id: string, req: T.CgCondenseRequest) =>
    on(sid, () => groups.cgCondense(this.api, id, req));
  cgTakeSnapshot = (sid: string, id: string, req: T.CgTakeSnapshotRequest) =>
    on(sid, () => groups.cgTakeSnapshot(this.api, id, req));
  listCgSnapshots = (sid: string, id: string, page: T.Page) =>
    on(sid, () => groups.listCgSnapshots(this.api, id, page));
  cgAddReplicationTarget = (sid: string, id: string, req: T.CgAddReplicationTargetRequest) =>
    on(sid, () => groups.cgAddReplicationTarget(this.api, this.remote, id, req));

  listRemoteArrays = (sid: string, page: T.Page) => on(sid, () => replication.listRemoteArrays(this.api, page));
}
