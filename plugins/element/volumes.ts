/** Element volumes and snapshots behind CDM: listing (paged by id on the array), details, delete with purge, snapshot CRUD. */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { POOL_ID, elementId, toSnapshot, toVolume } from './mapper';
import { cdmVolumeName, elementVolumeName } from './names';
import { assertReplicationSource } from './replication';
import type { ElementSnapshot, ElementVolume } from './types';

/** Volumes fetched per call while walking to the end of a CDM page. */
const WALK = 500;

/** The volumes of a CDM page: walks ListActiveVolumes by start id until start + limit volumes are in hand. */
export async function pageOfVolumes(api: ElementApi, page: T.Page): Promise<ElementVolume[]> {
  if (page.limit === undefined) return applyPage(await api.allActiveVolumes(), page);
  const wanted = page.start + page.limit;
  const got: ElementVolume[] = [];
  for (let cursor = 0; got.length < wanted; ) {
    const ask = Math.min(WALK, wanted - got.length);
    const batch = await api.activeVolumes(cursor, ask);
    got.push(...batch);
    if (batch.length < ask) break;
    cursor = batch[batch.length - 1].volumeID + 1;
  }
  return applyPage(got, page);
}

/** Ids of volumes a clone or copy is still writing (one ListAsyncResults call). */
export async function volumesBeingCopied(api: ElementApi): Promise<Set<number>> {
  const jobs = await api.cloneJobs();
  return new Set(jobs.filter((j) => !j.completed && j.data.volumeID !== undefined).map((j) => j.data.volumeID as number));
}

/** CDM volumes with their used size (volume stats) and split state (running clones). */
export async function withDetails(api: ElementApi, volumes: ElementVolume[]): Promise<T.Volume[]> {
  if (volumes.length === 0) return [];
  const [stats, copying] = await Promise.all([api.volumeStats(volumes.map((v) => v.volumeID)), volumesBeingCopied(api)]);
  const byId = new Map(stats.map((s) => [s.volumeID, s]));
  return volumes.map((v) => toVolume(v, byId.get(v.volumeID), copying.has(v.volumeID)));
}

export async function getVolume(api: ElementApi, volumeId: string): Promise<T.Volume> {
  const id = elementId(volumeId, 'volume');
  // One round trip: the stats and copy jobs need only the id. The volume's own answer decides the
  // error (a missing volume is NOT_FOUND however the other two calls fail).
  const [volume, stats, copying] = await Promise.allSettled([api.volume(id), api.volumeStats([id]), volumesBeingCopied(api)]);
  if (volume.status === 'rejected') throw volume.reason;
  if (stats.status === 'rejected') throw stats.reason;
  if (copying.status === 'rejected') throw copying.reason;
  return toVolume(volume.value, stats.value.find((s) => s.volumeID === id), copying.value.has(id));
}

/**
 * Element itself allows two volumes of one name; CDM names are unique. A volume carrying the CDM
 * name has the Element name derived from it, so asking for that Element name finds every candidate.
 */
export async function assertNameFree(api: ElementApi, name: string): Promise<void> {
  if ((await api.volumesNamed(elementVolumeName(name))).some((v) => cdmVolumeName(v) === name)) {
    throw new StorageError('CONFLICT', `a volume named '${name}' already exists`);
  }
}

/**
 * DeleteVolume only moves a volume to the deleted list (space and name held until purged, 8 hours by
 * default); CDM's delete means gone, so the volume is purged too unless the connection keeps them.
 */
export async function deleteVolume(api: ElementApi, volumeId: string, purge: boolean): Promise<void> {
  const id = elementId(volumeId, 'volume');
  await api.volume(id);
  await api.deleteVolume(id);
  if (purge) await api.purgeVolume(id);
}

/** The snapshot, checked to belong to the volume (a snapshot of another volume is "not found" here). */
export async function snapshotOf(api: ElementApi, volumeId: string, snapshotId: string): Promise<ElementSnapshot> {
  const vid = elementId(volumeId, 'volume');
  const sid = elementId(snapshotId, `snapshot of volume '${volumeId}'`);
  await api.volume(vid);
  const snap = (await api.snapshotsOf(vid)).find((s) => s.snapshotID === sid);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}'`, snapshotId);
  return snap;
}

export async function listSnapshots(api: ElementApi, volumeId: string, page: T.Page): Promise<T.Snapshot[]> {
  const vid = elementId(volumeId, 'volume');
  await api.volume(vid);
  return applyPage(await api.snapshotsOf(vid), page).map(toSnapshot);
}

export async function createSnapshot(api: ElementApi, volumeId: string, req: T.CreateSnapshotRequest): Promise<T.Snapshot> {
  const vid = elementId(volumeId, 'volume');
  const volume = await api.volume(vid);
  if (req.replicate) assertReplicationSource(volume, volumeId);
  // All of a cluster's volumes and snapshots share its drives: there is no other pool to put a snapshot in.
  if (req.poolId !== undefined && req.poolId !== POOL_ID) {
    throw invalidArgument(`snapshots of volume '${volumeId}' live in the cluster's pool '${POOL_ID}', not '${req.poolId}'`, 'poolId');
  }
  // Element allows two snapshots of one name; CDM names snapshots uniquely per volume.
  if ((await api.snapshotsOf(vid)).some((s) => s.name === req.name)) {
    throw new StorageError('CONFLICT', `volume '${volumeId}' already has a snapshot named '${req.name}'`);
  }
  return toSnapshot((await api.createSnapshot(vid, req.name, req.replicate ?? false)).snapshot);
}

export async function deleteSnapshot(api: ElementApi, volumeId: string, snapshotId: string): Promise<void> {
  const snap = await snapshotOf(api, volumeId, snapshotId);
  await api.deleteSnapshot(snap.snapshotID);
}
