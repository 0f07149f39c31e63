/**
 * Element volumes behind CDM: listing (paged by id on the array), details, delete with purge, clone (CloneVolume, a
 * full copy) and its split progress.
 */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import { until } from '../shared/http';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { ELEMENT_ERROR, ElementApiError, isNamed } from './errors';
import {
  SERVER_ID,
  cdmVolumeName,
  elementId,
  elementVolumeName,
  fromElement,
  nameAttributes,
  toVolume,
  withCdm,
} from './mapper';
import type { ArrayReads } from '../shared/array-memo';
import { type CursorScope, pageByCursor } from '../shared/cursors';
import { snapshotOf } from './snapshots';
import type { ElementSnapshot, ElementVolume } from './types';

/**
 * The volumes of a CDM page, in volume id (creation) order: ListActiveVolumes pages by start id, so the cursor of an
 * offset is the startVolumeID the next page begins at (see plugins/shared/cursors.ts).
 */
export async function pageOfVolumes(api: ElementApi, page: T.Page, scope?: CursorScope): Promise<ElementVolume[]> {
  if (page.limit === undefined) return applyPage(await api.allActiveVolumes(), page);
  return pageByCursor(scope, page, async (cursor, n) => {
    const batch = await api.activeVolumes(Number(cursor ?? 0), n);
    return {
      items: batch,
      next: batch.length < n ? undefined : String(batch[batch.length - 1].volumeID + 1),
    };
  });
}

/** Ids of volumes a clone or copy is still writing (one ListAsyncResults call). */
export async function volumesBeingCopied(api: ElementApi): Promise<Set<number>> {
  const jobs = await api.cloneJobs();
  return new Set(
    jobs.filter((j) => !j.completed && j.data.volumeID !== undefined).map((j) => j.data.volumeID as number),
  );
}

/** The running copy jobs, through the per-array memo when there is one (they change with the plugin's own clones). */
const copyingVia = (api: ElementApi, reads?: ArrayReads) =>
  reads ? reads.get('copying', () => volumesBeingCopied(api)) : volumesBeingCopied(api);

/**
 * CDM volumes with their used size (volume stats) and split state (running clones). The listed records are kept in the
 * per-array memo, so reading one of them next costs one call (its stats).
 */
export async function withDetails(api: ElementApi, volumes: ElementVolume[], reads?: ArrayReads): Promise<T.Volume[]> {
  if (volumes.length === 0) return [];
  for (const v of volumes) reads?.set(`volume:${v.volumeID}`, v);
  const [stats, copying] = await Promise.all([api.volumeStats(volumes.map((v) => v.volumeID)), copyingVia(api, reads)]);
  const byId = new Map(stats.map((s) => [s.volumeID, s]));
  return volumes.map((v) => toVolume(v, byId.get(v.volumeID), copying.has(v.volumeID)));
}

/**
 * One volume. The record and the running copy jobs change rarely and only by a change the plugin sees (its own, which
 * drops the memo) or within the memo's few seconds (anyone else's), so in the common case only the stats (the used
 * size) are asked of the cluster: one call.
 */
export async function getVolume(api: ElementApi, volumeId: string, reads?: ArrayReads): Promise<T.Volume> {
  const id = elementId(volumeId, 'volume');
  // One round trip: the stats and copy jobs need only the id. The volume's own answer decides the
  // error (a missing volume is NOT_FOUND however the other two calls fail).
  const [volume, stats, copying] = await Promise.allSettled([
    reads ? reads.get(`volume:${id}`, () => api.volume(id)) : api.volume(id),
    api.volumeStats([id]),
    copyingVia(api, reads),
  ]);
  if (volume.status === 'rejected') throw volume.reason;
  if (stats.status === 'rejected') throw stats.reason;
  if (copying.status === 'rejected') throw copying.reason;
  return toVolume(
    volume.value,
    stats.value.find((s) => s.volumeID === id),
    copying.value.has(id),
  );
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
 * Mount of an iSCSI volume: it becomes usable, i.e. read-write (a volume left readOnly or locked is opened with
 * ModifyVolume). It has no path: hosts reach it through their access group. A replication target stays as it is:
 * writing it would break its volume pair.
 */
export async function mountVolume(api: ElementApi, volumeId: string): Promise<{ path: null }> {
  const id = elementId(volumeId, 'volume');
  const volume = await api.volume(id);
  if (volume.access === 'replicationTarget')
    throw new StorageError(
      'CONFLICT',
      `volume '${volumeId}' is the replication target of a volume pair: it opens for writing once the pair is removed`,
    );
  if (volume.access !== 'readWrite') await api.modifyVolume(id, { access: 'readWrite' });
  return { path: null };
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

export interface CopyOptions {
  /** Longest wait for a copy CDM needs finished before it answers (instant split, restore to new or alternate). */
  waitMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls GetAsyncResult until the job completes. Without keepResult the completed result is handed
 * out once and then forgotten by the cluster, so nothing piles up; if another caller collected it
 * first the handle is gone, which means the job has finished.
 */
export async function waitForJob(api: ElementApi, asyncHandle: number, what: string, opts: CopyOptions): Promise<void> {
  const started = Date.now();
  const deadline = until(opts.waitMs, api.client.deadline);
  for (let pause = 100; ; pause = Math.min(2000, Math.round(pause * 1.5))) {
    let result;
    try {
      result = await api.asyncResult(asyncHandle, false);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'NOT_FOUND') return;
      throw err;
    }
    if (result.status === 'complete') {
      // A finished copy changes what the volumes say (their split state): what the memo holds is dropped.
      api.onChange?.();
      if (result.error)
        throw fromElement(new ElementApiError(result.error.name, `${what} failed: ${result.error.message}`));
      return;
    }
    if (Date.now() + pause > deadline) {
      throw new StorageError(
        'BACKEND_TIMEOUT',
        `${what} is still copying on the array after ${Date.now() - started} ms (asyncHandle ${asyncHandle}); it goes on, see splitstatus`,
      );
    }
    await sleep(pause);
  }
}

/**
 * The source's attributes for a copy: Element would copy them all, consistency group membership included, which a new
 * volume must not inherit.
 */
function copiedAttributes(source: ElementVolume, cdmName: string): Record<string, unknown> {
  return nameAttributes(cdmName, withCdm(source.attributes, { consistencyGroup: undefined, name: undefined }));
}

async function snapshotFor(
  api: ElementApi,
  volumeId: string,
  ref: T.CloneRequest['snapshot'],
): Promise<ElementSnapshot> {
  if (ref.id) {
    const snap = await snapshotOf(api, volumeId, ref.id);
    if (ref.name && ref.name !== snap.name)
      throw invalidArgument(`snapshot '${ref.id}' is named '${snap.name}', not '${ref.name}'`, 'snapshot.name');
    return snap;
  }
  const vid = elementId(volumeId, 'volume');
  await api.volume(vid);
  const snap = (await api.snapshotsOf(vid)).find((s) => s.name === ref.name);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}' named`, ref.name ?? '');
  return snap;
}

/** A new volume from a snapshot: CloneVolume answers at once with the new volume while the copy runs on. */
export async function cloneFrom(api: ElementApi, source: ElementVolume, snap: ElementSnapshot, name: string) {
  await assertNameFree(api, name);
  return api.cloneVolume({
    volumeID: source.volumeID,
    snapshotID: snap.snapshotID,
    name: elementVolumeName(name),
    attributes: copiedAttributes(source, name),
  });
}

/**
 * An Element clone is a full copy. Until the copy completes the clone depends on the snapshot (the
 * cluster refuses to delete it) and says split ANY_TIME; afterwards NOT_NEEDED. With instantSplit
 * the answer waits for the copy, so the clone is independent when CDM gets it.
 */
export async function cloneVolume(
  api: ElementApi,
  volumeId: string,
  req: T.CloneRequest,
  opts: CopyOptions,
): Promise<T.Volume> {
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== SERVER_ID);
  if (bad !== undefined)
    throw invalidArgument(`this array has the single server group '${SERVER_ID}', not '${bad}'`, 'serverGroupKeys');
  const snap = await snapshotFor(api, volumeId, req.snapshot);
  const source = await api.volume(snap.volumeID);
  const clone = await cloneFrom(api, source, snap, req.name);
  if (req.instantSplit) await waitForJob(api, clone.asyncHandle, `clone '${req.name}'`, opts);
  return getVolume(api, String(clone.volumeID));
}

/**
 * Split progress is the progress of the clone's own copy (ListAsyncResults, then GetAsyncResult
 * with keepResult so the result stays for whoever waits on it). No running job: the volume is whole.
 */
export async function splitStatus(api: ElementApi, volumeId: string): Promise<T.SplitStatus> {
  const id = elementId(volumeId, 'volume');
  await api.volume(id);
  const jobs = (await api.cloneJobs())
    .filter((j) => j.data.volumeID === id)
    .sort((a, b) => b.asyncResultID - a.asyncResultID);
  const running = jobs.find((j) => !j.completed);
  if (running) {
    try {
      const r = await api.asyncResult(running.asyncResultID, true);
      if (r.status === 'running')
        return {
          percentageComplete: Math.min(99, Math.max(0, Math.floor(r.details?.percentComplete ?? 0))),
          complete: false,
        };
    } catch (err) {
      if (
        !isNamed(err, ELEMENT_ERROR.ASYNC_HANDLE_DOES_NOT_EXIST) &&
        !(err instanceof StorageError && err.code === 'NOT_FOUND')
      )
        throw err;
    }
  }
  const failed = jobs[0]?.completed && !jobs[0].success ? jobs[0] : undefined;
  if (failed)
    throw new StorageError(
      'BACKEND_ERROR',
      `the copy of volume '${volumeId}' failed on the array: ${failed.data.message ?? failed.data.name ?? 'no reason given'}`,
    );
  return { percentageComplete: 100, complete: true };
}
