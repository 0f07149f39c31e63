/**
 * vSnap volumes behind CDM: list (the page read from the streamed list), get, delete, clone (a ZFS clone, or a full
 * copy when split at once) and mount (an NFS share).
 */
import { invalidArgument } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { VsnapApi } from './api';
import { SERVER_ID, toVolume } from './mapper';
import { snapshotByName, snapshotOf } from './snapshots';
import type { VsnapVolume } from './types';
import { type CursorScope, pageByCursor } from '../shared/cursors';
import { type ListIndexes, after } from '../shared/list-index';

/** Where the volume lists of appliances are held between the pages of a walk, and under which key. */
export interface VolumeWalk {
  index: ListIndexes<VsnapVolume>;
  array: string;
  cursors?: CursorScope;
}

/**
 * A CDM page of volumes, in volume id (creation) order. The appliance cannot page, so one read of its list (the fields
 * CDM needs) serves every page of a walk: a walk starting over (offset 0) reads it again, later pages take it from the
 * per-appliance index, and the cursor of an offset is the last id the previous page held.
 */
export async function listVolumes(api: VsnapApi, page: T.Page, walk: VolumeWalk): Promise<T.Volume[]> {
  const items = await walk.index.list(walk.array, page.start === 0, api.volumeIndex);
  const chosen = await pageByCursor(walk.cursors, page, async (cursor, n) => {
    const from = cursor === undefined ? 0 : after(items, cursor);
    const part = items.slice(from, from + n);
    return { items: part, next: from + n < items.length ? part[part.length - 1].id : undefined };
  });
  return chosen.map(toVolume);
}

export const getVolume = async (api: VsnapApi, volumeId: string): Promise<T.Volume> =>
  toVolume(await api.volume(volumeId));

export async function deleteVolume(api: VsnapApi, volumeId: string): Promise<void> {
  await api.deleteVolume(volumeId);
}

/**
 * A new volume holding exactly the snapshot's content and independent of it: created empty with
 * the source's type and size, then filled by a full copy. A failed copy removes the new volume.
 */
export async function independentCopy(
  api: VsnapApi,
  source: VsnapVolume,
  snapshotId: string,
  name: string,
  poolId: string,
): Promise<VsnapVolume> {
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
  const snap = req.snapshot.id
    ? await snapshotOf(api, volumeId, req.snapshot.id)
    : await snapshotByName(api, volumeId, req.snapshot.name ?? '');
  if (req.snapshot.id && req.snapshot.name && req.snapshot.name !== snap.name) {
    throw invalidArgument(
      `snapshot '${req.snapshot.id}' is named '${snap.name}', not '${req.snapshot.name}'`,
      'snapshot.name',
    );
  }
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== SERVER_ID);
  if (bad !== undefined)
    throw invalidArgument(`this array has the single server group '${SERVER_ID}', not '${bad}'`, 'serverGroupKeys');
  if (req.instantSplit) {
    // An instantly split clone is a full, independent copy.
    return toVolume(await independentCopy(api, source, snap.id, req.name, source.pool_id));
  }
  return toVolume(await api.cloneSnapshot(snap.id, req.name));
}

export async function mountVolume(
  api: VsnapApi,
  volumeId: string,
  allowedHosts: string[],
): Promise<{ path: string | null }> {
  const vol = await api.volume(volumeId);
  // A block volume (LUN) is usable as soon as it exists: vSnap has no offline or read-only state for it. It has no
  // path; hosts reach it through a mapping.
  if (vol.volume_type !== 'filesystem') return { path: null };
  // Mounting twice is harmless: the existing export is the answer.
  const share = vol.share_id ? await api.share(vol.share_id) : await api.createShare(volumeId, allowedHosts);
  return { path: share.name };
}
