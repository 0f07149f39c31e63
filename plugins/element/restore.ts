/**
 * Element restores behind CDM: in place (RollbackToSnapshot), into another volume (CopyVolume) and into a new one (a
 * clone waited for).
 */
import { StorageError, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { POOL_ID, elementId } from './mapper';
import { snapshotOf } from './snapshots';
import { type CopyOptions, cloneFrom, getVolume, waitForJob } from './volumes';

/** RollbackToSnapshot: the volume's content becomes the snapshot's; every snapshot, older or newer, stays. */
export async function restoreVolume(api: ElementApi, volumeId: string, req: T.RestoreRequest): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.snapshotId);
  await api.rollback(snap.volumeID, snap.snapshotID);
  return getVolume(api, volumeId);
}

/**
 * CopyVolume writes the snapshot's content over an existing volume of the same size; the target keeps its identity and
 * snapshots.
 */
export async function restoreToAlternate(
  api: ElementApi,
  volumeId: string,
  req: T.RestoreToAlternateRequest,
  opts: CopyOptions,
): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.sourceSnapshotId);
  if (req.targetVolumeId === volumeId) return restoreVolume(api, volumeId, { snapshotId: req.sourceSnapshotId });
  const target = await api.volume(elementId(req.targetVolumeId, 'volume'));
  const copy = await api.copyVolume({
    volumeID: snap.volumeID,
    dstVolumeID: target.volumeID,
    snapshotID: snap.snapshotID,
  });
  await waitForJob(api, copy.asyncHandle, `the copy into volume '${req.targetVolumeId}'`, opts);
  return getVolume(api, req.targetVolumeId);
}

/** A new, independent volume: a clone of the snapshot, answered once its copy has completed. */
export async function restoreToNew(
  api: ElementApi,
  volumeId: string,
  req: T.RestoreToNewRequest,
  opts: CopyOptions,
): Promise<T.Volume> {
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
      await api
        .deleteVolume(clone.volumeID)
        .then(() => api.purgeVolume(clone.volumeID))
        .catch(() => undefined);
    }
    throw err;
  }
  return getVolume(api, String(clone.volumeID));
}
