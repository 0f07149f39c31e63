/**
 * SCP snapshots behind CDM: list, get, create and delete (each 202, waited for). The service names snapshots itself;
 * the name CDM gives is kept beside it, so CDM finds its snapshots by name.
 */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ScpApi } from './api';
import { type CdmNames, toSnapshot } from './mapper';
import type { ScpSnapshot } from './types';

/** The volume's snapshots with their CDM names (the volume must exist). */
export async function named(api: ScpApi, names: CdmNames, volumeId: string): Promise<[ScpSnapshot, string][]> {
  const snaps = (await api.snapshots(volumeId)).snapshots;
  const cdm = await names.snapshots(snaps);
  return snaps.map((s, i) => [s, cdm[i]]);
}

export async function snapshotOf(api: ScpApi, volumeId: string, snapshotId: string): Promise<ScpSnapshot> {
  const snap = (await api.snapshots(volumeId)).snapshots.find((s) => s.id === snapshotId);
  if (!snap) throw notFound(`snapshot of volume '${volumeId}'`, snapshotId);
  return snap;
}

/** The snapshot a clone or restore names, by id or by CDM name (both given: they must agree). */
export async function snapshotFor(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  ref: { id?: string; name?: string },
): Promise<ScpSnapshot> {
  const all = await named(api, names, volumeId);
  const hit = all.find(([s, n]) => (ref.id ? s.id === ref.id : n === ref.name));
  if (!hit) throw notFound(`snapshot of volume '${volumeId}'${ref.id ? '' : ' named'}`, ref.id ?? ref.name ?? '');
  if (ref.id && ref.name && ref.name !== hit[1])
    throw invalidArgument(`snapshot '${ref.id}' is named '${hit[1]}', not '${ref.name}'`, 'snapshot.name');
  if (hit[0].state !== 'available')
    throw new StorageError('CONFLICT', `snapshot '${hit[0].id}' is ${hit[0].state}, not available`);
  return hit[0];
}

export const listSnapshots = async (api: ScpApi, names: CdmNames, volumeId: string, page: T.Page) =>
  applyPage(await named(api, names, volumeId), page).map(([s, n]) => toSnapshot(s, n));

export async function getSnapshot(api: ScpApi, names: CdmNames, volumeId: string, id: string): Promise<T.Snapshot> {
  const hit = (await named(api, names, volumeId)).find(([s]) => s.id === id);
  if (!hit) throw notFound(`snapshot of volume '${volumeId}'`, id);
  return toSnapshot(...hit);
}

/**
 * POST /v1/snapshots answers the snapshot `creating`; CDM gets it `available`. A snapshot lives with its volume, in
 * the volume's disk type (its pool).
 */
export async function createSnapshot(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const since = Date.now();
  const vol = await api.volume(volumeId);
  if (req.poolId !== undefined && req.poolId !== vol.type_name)
    throw invalidArgument(
      `snapshots of volume '${volumeId}' live in its pool '${vol.type_name}', not '${req.poolId}'`,
      'poolId',
    );
  if ((await named(api, names, volumeId)).some(([, n]) => n === req.name))
    throw new StorageError('CONFLICT', `volume '${volumeId}' already has a snapshot named '${req.name}'`);
  const { snapshot } = await api.createSnapshot(volumeId);
  await names.setSnapshot(snapshot.name, req.name);
  const done = await api.settle(`snapshot ${snapshot.id} of volume '${volumeId}'`, since, async () => {
    const s = (await api.snapshots(volumeId)).snapshots.find((x) => x.id === snapshot.id);
    if (!s) throw new StorageError('BACKEND_ERROR', `snapshot ${snapshot.id} of volume '${volumeId}' went away`);
    return s.state === 'available' ? s : undefined;
  });
  return toSnapshot(done, req.name);
}

export async function deleteSnapshot(api: ScpApi, names: CdmNames, volumeId: string, id: string): Promise<void> {
  const since = Date.now();
  const snap = await snapshotOf(api, volumeId, id);
  await api.deleteSnapshot(volumeId, id);
  await api.settle(`deleting snapshot ${id}`, since, async () =>
    (await api.snapshots(volumeId)).snapshots.some((s) => s.id === id) ? undefined : true,
  );
  // A replica in another region may still hold the snapshot, under the same name: its CDM name stays for it.
  if ((await api.replications(volumeId)).length === 0) await names.forgetSnapshot(snap.name);
}
