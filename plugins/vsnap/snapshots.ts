/** vSnap snapshots behind CDM: list, get, create (in the volume's own pool, as ZFS keeps them) and delete. */
import { invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { VsnapApi } from './api';
import { toSnapshot } from './mapper';
import type { VsnapSnapshot } from './types';

/** The snapshot, checked to belong to the volume (a snapshot of another volume is "not found" here). */
export async function snapshotOf(api: VsnapApi, volumeId: string, snapshotId: string): Promise<VsnapSnapshot> {
  await api.volume(volumeId);
  const snap = await api.snapshot(snapshotId);
  if (snap.parent_id !== volumeId) throw notFound(`snapshot of volume '${volumeId}'`, snapshotId);
  return snap;
}

export async function snapshotByName(api: VsnapApi, volumeId: string, name: string): Promise<VsnapSnapshot> {
  const snap = (await api.snapshotsOf(volumeId)).find((s) => s.name === name);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}' named`, name);
  return snap;
}

export const listSnapshots = async (api: VsnapApi, volumeId: string, page: T.Page): Promise<T.Snapshot[]> =>
  applyPage(await api.snapshotsOf(volumeId), page).map(toSnapshot);

export const getSnapshot = async (api: VsnapApi, volumeId: string, snapshotId: string): Promise<T.Snapshot> =>
  toSnapshot(await snapshotOf(api, volumeId, snapshotId));

export async function createSnapshot(
  api: VsnapApi,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const vol = await api.volume(volumeId);
  // ZFS keeps a snapshot in its volume's pool; another pool cannot be honoured.
  if (req.poolId !== undefined && req.poolId !== vol.pool_id) {
    throw invalidArgument(
      `snapshots of volume '${volumeId}' live in its pool '${vol.pool_id}', not '${req.poolId}'`,
      'poolId',
    );
  }
  return toSnapshot(await api.createSnapshot(volumeId, req.name));
}

export async function deleteSnapshot(api: VsnapApi, volumeId: string, snapshotId: string): Promise<void> {
  await snapshotOf(api, volumeId, snapshotId);
  await api.deleteSnapshot(snapshotId);
}
