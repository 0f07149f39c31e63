/**
 * SCP restores behind CDM: in place (PUT /v1/snapshots/{id}/restore, every snapshot kept) and into a new volume made
 * from the snapshot. The service cannot restore into another existing volume (restore-to-alternate is off).
 */
import { StorageError, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { ScpApi } from './api';
import { type CdmNames, DISK_TYPES } from './mapper';
import { snapshotFor, snapshotOf } from './snapshots';
import { getVolume, untilAvailable, volumeFromSnapshot } from './volumes';

export async function restoreVolume(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  req: T.RestoreRequest,
): Promise<T.Volume> {
  const since = Date.now();
  await api.volume(volumeId);
  const snap = await snapshotOf(api, volumeId, req.snapshotId);
  await api.restoreSnapshot(volumeId, snap.id);
  await untilAvailable(api, volumeId, `restoring volume '${volumeId}' from snapshot ${snap.id}`, since);
  return getVolume(api, names, volumeId);
}

/** A new volume made from the snapshot; the service keeps the source's disk type, so the pool must be that one. */
export async function restoreToNew(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  req: T.RestoreToNewRequest,
): Promise<T.Volume> {
  const source = await api.volume(volumeId);
  const pool = req.targetPoolIds?.[0];
  if (pool !== undefined && !(DISK_TYPES as readonly string[]).includes(pool)) throw notFound('pool', pool);
  if (pool !== undefined && pool !== source.type_name)
    throw new StorageError(
      'INVALID_ARGUMENT',
      `a volume made from a snapshot of volume '${volumeId}' has its disk type '${source.type_name}', not '${pool}'`,
      { details: [{ path: 'targetPoolIds', message: `the only pool possible is '${source.type_name}'` }] },
    );
  const snap = await snapshotFor(api, names, volumeId, { id: req.sourceSnapshotId });
  return volumeFromSnapshot(api, names, source, snap, req.targetVolumeName);
}
