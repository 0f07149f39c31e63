/** vSnap volume operations behind CDM: snapshots, clone, mount, restore in place, to an alternate and to a new volume. */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { VsnapApi } from './api';
import { isLunType, toSnapshot, toVolume } from './mapper';
import type { VsnapSnapshot, VsnapVolume } from './types';

/** The snapshot, checked to belong to the volume (a snapshot of another volume is "not found" here). */
export async function snapshotOf(api: VsnapApi, volumeId: string, snapshotId: string): Promise<VsnapSnapshot> {
  await api.volume(volumeId);
  const snap = await api.snapshot(snapshotId);
  if (snap.parent_id !== volumeId) throw notFound(`snapshot of volume '${volumeId}'`, snapshotId);
  return snap;
}

async function snapshotByName(api: VsnapApi, volumeId: string, name: string): Promise<VsnapSnapshot> {
  const snap = (await api.snapshotsOf(volumeId)).find((s) => s.name === name);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}' named`, name);
  return snap;
}

export async function createSnapshot(api: VsnapApi, volumeId: string, req: T.CreateSnapshotRequest): Promise<T.Snapshot> {
  const vol = await api.volume(volumeId);
  // ZFS keeps a snapshot in its volume's pool; another pool cannot be honoured.
  if (req.poolId !== undefined && req.poolId !== vol.pool_id) {
    throw invalidArgument(`snapshots of volume '${volumeId}' live in its pool '${vol.pool_id}', not '${req.poolId}'`, 'poolId');
  }
  return toSnapshot(await api.createSnapshot(volumeId, req.name));
}

export async function deleteSnapshot(api: VsnapApi, volumeId: string, snapshotId: string): Promise<void> {
  await snapshotOf(api, volumeId, snapshotId);
  await api.deleteSnapshot(snapshotId);
}

/**
 * A new volume holding exactly the snapshot's content and independent of it: created empty with
 * the source's type and size, then filled by a full copy. A failed copy removes the new volume.
 */
async function independentCopy(api: VsnapApi, source: VsnapVolume, snapshotId: string, name: string, poolId: string): Promise<VsnapVolume> {
  const created = await api.createVolume({
    name,
    volume_type: source.volume_type === 'filebackedlun' ? 'lun' : source.volume_type,
    pool_id: poolId,
    size_total: source.size_total,
  });
  try {
    return await api.volumeAction(created.id, { action: 'restore', snapshot_id: snapshotId });
  } catch (err) {
    await api.deleteVolume(created.id).catch(() => undefined);
    throw err;
  }
}

export async function cloneVolume(api: VsnapApi, volumeId: string, req: T.CloneRequest): Promise<T.Volume> {
  const source = await api.volume(volumeId);
  const snap = req.snapshot.id ? await snapshotOf(api, volumeId, req.snapshot.id) : await snapshotByName(api, volumeId, req.snapshot.name ?? '');
  if (req.snapshot.id && req.snapshot.name && req.snapshot.name !== snap.name) {
    throw invalidArgument(`snapshot '${req.snapshot.id}' is named '${snap.name}', not '${req.snapshot.name}'`, 'snapshot.name');
  }
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== '0');
  if (bad !== undefined) throw invalidArgument(`this array has the single server group '0', not '${bad}'`, 'serverGroupKeys');
  if (req.instantSplit) {
    // An instantly split clone is a full, independent copy.
    return toVolume(await independentCopy(api, source, snap.id, req.name, source.pool_id));
  }
  return toVolume(await api.cloneSnapshot(snap.id, req.name));
}

export async function mountVolume(api: VsnapApi, volumeId: string, allowedHosts: string[]): Promise<{ path: string }> {
  const vol = await api.volume(volumeId);
  if (vol.volume_type !== 'filesystem') {
    throw invalidArgument(`volume '${volumeId}' is a ${vol.volume_type}: only filesystem volumes are mounted (exported); map a LUN to a host instead`);
  }
  // Mounting twice is harmless: the existing export is the answer.
  const share = vol.share_id ? await api.share(vol.share_id) : await api.createShare(volumeId, allowedHosts);
  return { path: share.name };
}

/** Newest first by creation time, then by numeric id (ids grow with creation). */
function isNewest(snaps: VsnapSnapshot[], id: string): boolean {
  const newer = (s: VsnapSnapshot, than: VsnapSnapshot) =>
    Number(s.time_created) !== Number(than.time_created) ? Number(s.time_created) > Number(than.time_created) : Number(s.id) > Number(than.id);
  const newest = snaps.reduce<VsnapSnapshot | undefined>((a, s) => (!a || newer(s, a) ? s : a), undefined);
  return newest?.id === id;
}

export async function restoreVolume(api: VsnapApi, volumeId: string, req: T.RestoreRequest): Promise<T.Volume> {
  await snapshotOf(api, volumeId, req.snapshotId);
  // Rolling back to the newest snapshot is instant; to an older one ZFS would destroy the newer
  // snapshots, so the content is copied back instead and every snapshot is kept.
  const newest = isNewest(await api.snapshotsOf(volumeId), req.snapshotId);
  return toVolume(await api.volumeAction(volumeId, { action: newest ? 'rollback' : 'restore', snapshot_id: req.snapshotId }));
}

export async function restoreToAlternate(api: VsnapApi, volumeId: string, req: T.RestoreToAlternateRequest): Promise<T.Volume> {
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
