/** ONTAP snapshots behind CDM: list, get, create and delete, each with the group snapshot it belongs to. */
import { invalidArgument } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { Ctx } from './connection';
import { toSnapshot } from './mapper';
import type { OntapSnapshot } from './types';
import { chunked, volumeOf } from './volumes';

/** The snapshot, checked to belong to the volume (a snapshot of another volume is "not found" here). */
export const snapshotOf = (ctx: Ctx, volume: string, id: string): Promise<OntapSnapshot> =>
  ctx.api.snapshot(volume, id);

/** Group snapshot ids of these member snapshots, from the consistency group the volume is in (if any). */
async function groupSnapshotIds(
  ctx: Ctx,
  svm: string,
  volume: string,
  snaps: OntapSnapshot[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (snaps.length === 0) return ids;
  const cg = await ctx.api.cgOfVolume(svm, volume);
  if (!cg) return ids;
  const names = [...new Set(snaps.map((s) => s.name))];
  const groupSnaps = await chunked(names, (part) => ctx.api.cgSnapshotsAll(cg.uuid, { name: part.join('|') }));
  for (const g of groupSnaps)
    for (const m of g.snapshot_volumes ?? []) if (m.volume.uuid === volume) ids.set(m.snapshot.uuid, g.uuid);
  return ids;
}

export async function listSnapshots(ctx: Ctx, svm: string, volume: string, page: T.Page): Promise<T.Snapshot[]> {
  await volumeOf(ctx, svm, volume);
  const snaps = await ctx.api.snapshotsPage(volume, page);
  const groups = await groupSnapshotIds(ctx, svm, volume, snaps);
  return snaps.map((s) => toSnapshot(s, groups.get(s.uuid) ?? null));
}

export async function getSnapshot(ctx: Ctx, svm: string, volume: string, id: string): Promise<T.Snapshot> {
  await volumeOf(ctx, svm, volume);
  const snap = await snapshotOf(ctx, volume, id);
  return toSnapshot(snap, (await groupSnapshotIds(ctx, svm, volume, [snap])).get(snap.uuid) ?? null);
}

export async function createSnapshot(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const vol = await volumeOf(ctx, svm, volume);
  // WAFL keeps a volume's snapshots in the volume itself: no other pool can be honoured.
  const pool = vol.aggregates?.[0]?.uuid;
  if (req.poolId !== undefined && req.poolId !== pool)
    throw invalidArgument(
      `snapshots of volume '${volume}' live in the volume, on its aggregate '${pool}', not '${req.poolId}'`,
      'poolId',
    );
  return toSnapshot(await ctx.api.createSnapshot(volume, req.name));
}

export async function deleteSnapshot(ctx: Ctx, svm: string, volume: string, id: string): Promise<void> {
  await volumeOf(ctx, svm, volume);
  await snapshotOf(ctx, volume, id);
  await ctx.api.deleteSnapshot(volume, id);
}
