/**
 * vSnap restores behind CDM: in place (rollback to the newest snapshot, else a copy back that keeps every snapshot),
 * into another volume, into a new one.
 */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { VsnapApi } from './api';
import { isLunType, toVolume } from './mapper';
import { snapshotOf } from './snapshots';
import type { VsnapSnapshot } from './types';
import { independentCopy } from './volumes';

/** Newest first by creation time, then by numeric id (ids grow with creation). */
function isNewest(snaps: VsnapSnapshot[], id: string): boolean {
  const newer = (s: VsnapSnapshot, than: VsnapSnapshot) =>
    Number(s.time_created) !== Number(than.time_created)
      ? Number(s.time_created) > Number(than.time_created)
      : Number(s.id) > Number(than.id);
  const newest = snaps.reduce<VsnapSnapshot | undefined>((a, s) => (!a || newer(s, a) ? s : a), undefined);
  return newest?.id === id;
}

export async function restoreVolume(api: VsnapApi, volumeId: string, req: T.RestoreRequest): Promise<T.Volume> {
  await snapshotOf(api, volumeId, req.snapshotId);
  // Rolling back to the newest snapshot is instant; to an older one ZFS would destroy the newer
  // snapshots, so the content is copied back instead and every snapshot is kept.
  const newest = isNewest(await api.snapshotsOf(volumeId), req.snapshotId);
  return toVolume(
    await api.volumeAction(volumeId, { action: newest ? 'rollback' : 'restore', snapshot_id: req.snapshotId }),
  );
}

export async function restoreToAlternate(
  api: VsnapApi,
  volumeId: string,
  req: T.RestoreToAlternateRequest,
): Promise<T.Volume> {
  await snapshotOf(api, volumeId, req.sourceSnapshotId);
  if (req.targetVolumeId === volumeId) return restoreVolume(api, volumeId, { snapshotId: req.sourceSnapshotId });
  await api.volume(req.targetVolumeId);
  return toVolume(await api.volumeAction(req.targetVolumeId, { action: 'restore', snapshot_id: req.sourceSnapshotId }));
}

export async function restoreToNew(api: VsnapApi, volumeId: string, req: T.RestoreToNewRequest): Promise<T.Volume> {
  const snap = await snapshotOf(api, volumeId, req.sourceSnapshotId);
  const source = await api.volume(volumeId);
  const poolId = req.targetPoolIds?.[0] ?? source.pool_id;
  await api.pool(poolId);
  if (isLunType(source.volume_type) && !source.size_total) {
    throw new StorageError('INVALID_ARGUMENT', `volume '${volumeId}' has no size to give the new volume`);
  }
  return toVolume(await independentCopy(api, source, snap.id, req.targetVolumeName, poolId));
}
