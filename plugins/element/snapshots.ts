/** Element snapshots behind CDM: list, get, create (unique names per volume, as CDM needs) and delete. */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { POOL_ID, elementId, toSnapshot } from './mapper';
import type { ElementSnapshot } from './types';

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

export async function createSnapshot(
  api: ElementApi,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const vid = elementId(volumeId, 'volume');
  await api.volume(vid);
  // All of a cluster's volumes and snapshots share its drives: there is no other pool to put a snapshot in.
  if (req.poolId !== undefined && req.poolId !== POOL_ID) {
    throw invalidArgument(
      `snapshots of volume '${volumeId}' live in the cluster's pool '${POOL_ID}', not '${req.poolId}'`,
      'poolId',
    );
  }
  // Element allows two snapshots of one name; CDM names snapshots uniquely per volume.
  if ((await api.snapshotsOf(vid)).some((s) => s.name === req.name)) {
    throw new StorageError('CONFLICT', `volume '${volumeId}' already has a snapshot named '${req.name}'`);
  }
  return toSnapshot((await api.createSnapshot(vid, req.name, req.replicate ?? false)).snapshot);
}

export const getSnapshot = async (api: ElementApi, volumeId: string, snapshotId: string): Promise<T.Snapshot> =>
  toSnapshot(await snapshotOf(api, volumeId, snapshotId));

export async function deleteSnapshot(api: ElementApi, volumeId: string, snapshotId: string): Promise<void> {
  const snap = await snapshotOf(api, volumeId, snapshotId);
  await api.deleteSnapshot(snap.snapshotID);
}
