/** Element's full copies behind CDM: clone (CloneVolume), restore (rollback), restore to an alternate (CopyVolume) and to a new volume, split. */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { ELEMENT_ERROR, ElementApiError, isNamed } from './errors';
import { POOL_ID, SERVER_ID, elementId, fromElement } from './mapper';
import { elementVolumeName, nameAttributes, withCdm } from './names';
import type { ElementSnapshot, ElementVolume } from './types';
import { assertNameFree, getVolume, snapshotOf } from './volumes';

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
  const deadline = Date.now() + opts.waitMs;
  for (let pause = 100; ; pause = Math.min(2000, Math.round(pause * 1.5))) {
    let result;
    try {
      result = await api.asyncResult(asyncHandle, false);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'NOT_FOUND') return;
      throw err;
    }
    if (result.status === 'complete') {
      if (result.error) throw fromElement(new ElementApiError(result.error.name, `${what} failed: ${result.error.message}`));
      return;
    }
    if (Date.now() + pause > deadline) {
      throw new StorageError('BACKEND_TIMEOUT', `${what} is still copying on the array after ${opts.waitMs} ms (asyncHandle ${asyncHandle}); it goes on, see splitstatus`);
    }
    await sleep(pause);
  }
}

/** The source's attributes for a copy: Element would copy them all, consistency group membership included, which a new volume must not inherit. */
function copiedAttributes(source: ElementVolume, cdmName: string): Record<string, unknown> {
  return nameAttributes(cdmName, withCdm(source.attributes, { consistencyGroup: undefined, name: undefined }));
}

async function snapshotFor(api: ElementApi, volumeId: string, ref: T.CloneRequest['snapshot']): Promise<ElementSnapshot> {
  if (ref.id) {
    const snap = await snapshotOf(api, volumeId, ref.id);
    if (ref.name && ref.name !== snap.name) throw invalidArgument(`snapshot '${ref.id}' is named '${snap.name}', not '${ref.name}'`, 'snapshot.name');
    return snap;
  }
  const vid = elementId(volumeId, 'volume');
  await api.volume(vid);
  const snap = (await api.snapshotsOf(vid)).find((s) => s.name === ref.name);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}' named`, ref.name ?? '');
  return snap;
}

/** A new volume from a snapshot: CloneVolume answers at once with the new volume while the copy runs on. */
async function cloneFrom(api: ElementApi, source: ElementVolume, snap: ElementSnapshot, name: string) {
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
export async function cloneVolume(api: ElementApi, volumeId: string, req: T.CloneRequest, opts: CopyOptions): Promise<T.Volume> {
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== SERVER_ID);
  if (bad !== undefined) throw invalidArgument(`this array has the single server group '${SERVER_ID}', not '${bad}'`, 'serverGroupKeys');
  const snap = await snapshotFor(api, volumeId, req.snapshot);
  const source = await api.volume(snap.volumeID);
  const clone = await cloneFrom(api, source, snap, req.name);
  if (req.instantSplit) await waitForJob(api, clone.asyncHandle, `clone '${req.name}'`, opts);
  return getVolume(api, String(clone.volumeID));
}

/** RollbackToSnapshot: the volume's content becomes the snapshot's; every snapshot, older or newer, stays. */
export async function restoreVolume(api: ElementApi, volumeId: string, req: T.RestoreRequest): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.snapshotId);
  await api.rollback(snap.volumeID, snap.snapshotID);
  return getVolume(api, volumeId);
}

/** CopyVolume writes the snapshot's content over an existing volume of the same size; the target keeps its identity and snapshots. */
export async function restoreToAlternate(api: ElementApi, volumeId: string, req: T.RestoreToAlternateRequest, opts: CopyOptions): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.sourceSnapshotId);
  if (req.targetVolumeId === volumeId) return restoreVolume(api, volumeId, { snapshotId: req.sourceSnapshotId });
  const target = await api.volume(elementId(req.targetVolumeId, 'volume'));
  const copy = await api.copyVolume({ volumeID: snap.volumeID, dstVolumeID: target.volumeID, snapshotID: snap.snapshotID });
  await waitForJob(api, copy.asyncHandle, `the copy into volume '${req.targetVolumeId}'`, opts);
  return getVolume(api, req.targetVolumeId);
}

/** A new, independent volume: a clone of the snapshot, answered once its copy has completed. */
export async function restoreToNew(api: ElementApi, volumeId: string, req: T.RestoreToNewRequest, opts: CopyOptions): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.sourceSnapshotId);
  const pool = req.targetPoolIds?.[0];
  if (pool !== undefined && pool !== POOL_ID) throw notFound('pool', pool);
  const source = await api.volume(snap.volumeID);
  const clone = await cloneFrom(api, source, snap, req.targetVolumeName);
  try {
    await waitForJob(api, clone.asyncHandle, `restore to new volume '${req.targetVolumeName}'`, opts);
  } catch (err) {
    // A failed copy leaves nothing behind; one still running is left to finish.
    if (!(err instanceof StorageError && err.code === 'BACKEND_TIMEOUT')) {
      await api.deleteVolume(clone.volumeID).then(() => api.purgeVolume(clone.volumeID)).catch(() => undefined);
    }
    throw err;
  }
  return getVolume(api, String(clone.volumeID));
}

/**
 * Split progress is the progress of the clone's own copy (ListAsyncResults, then GetAsyncResult
 * with keepResult so the result stays for whoever waits on it). No running job: the volume is whole.
 */
export async function splitStatus(api: ElementApi, volumeId: string): Promise<T.SplitStatus> {
  const id = elementId(volumeId, 'volume');
  await api.volume(id);
  const jobs = (await api.cloneJobs()).filter((j) => j.data.volumeID === id).sort((a, b) => b.asyncResultID - a.asyncResultID);
  const running = jobs.find((j) => !j.completed);
  if (running) {
    try {
      const r = await api.asyncResult(running.asyncResultID, true);
      if (r.status === 'running') return { percentageComplete: Math.min(99, Math.max(0, Math.floor(r.details?.percentComplete ?? 0))), complete: false };
    } catch (err) {
      if (!isNamed(err, ELEMENT_ERROR.ASYNC_HANDLE_DOES_NOT_EXIST) && !(err instanceof StorageError && err.code === 'NOT_FOUND')) throw err;
    }
  }
  const failed = jobs[0]?.completed && !jobs[0].success ? jobs[0] : undefined;
  if (failed) throw new StorageError('BACKEND_ERROR', `the copy of volume '${volumeId}' failed on the array: ${failed.data.message ?? failed.data.name ?? 'no reason given'}`);
  return { percentageComplete: 100, complete: true };
}
