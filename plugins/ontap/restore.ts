/**
 * Restores: in place by volume SnapRestore, into another volume or a new one by copying the snapshot's files and LUNs
 * (storage/file/copy).
 */
import { invalidArgument, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { Ctx } from './connection';
import type { OntapFile, OntapVolume } from './types';
import { snapshotOf } from './snapshots';
import { getVolume, requireVolume, volumeOf } from './volumes';

/**
 * Volume SnapRestore: the volume becomes the snapshot again. ONTAP keeps every snapshot, newer
 * ones too, so CDM's catalogue of the volume's snapshots stays true.
 */
export async function restoreVolume(ctx: Ctx, svm: string, volume: string, req: T.RestoreRequest): Promise<T.Volume> {
  await volumeOf(ctx, svm, volume);
  await snapshotOf(ctx, volume, req.snapshotId);
  await ctx.api.patchVolume(volume, { restore_to: { snapshot: { uuid: req.snapshotId } } });
  return getVolume(ctx, svm, volume);
}

const isData = (f: OntapFile) => f.type === 'file' || f.type === 'lun';

/**
 * Copies what the snapshot holds into `target` so that its files equal the snapshot's: every file and
 * LUN is copied over (a lone LUN into the target's lone LUN, whatever their names), and files of the
 * target the snapshot does not have are removed. LUNs of the target stay (hosts may map them).
 */
async function copySnapshotInto(
  ctx: Ctx,
  svm: string,
  source: string,
  snapshotName: string,
  target: OntapVolume,
): Promise<void> {
  const [from, into] = await Promise.all([
    ctx.api.files(source, `.snapshot/${snapshotName}`),
    ctx.api.files(target.uuid, '/'),
  ]);
  const files = from.filter(isData);
  const targetLuns = into.filter((f) => f.type === 'lun');
  const sourceLuns = files.filter((f) => f.type === 'lun');
  const destinationOf = (f: OntapFile): string =>
    f.type === 'lun' && sourceLuns.length === 1 && targetLuns.length === 1 ? targetLuns[0].name : f.name;
  if (files.length > 0) {
    await ctx.api.copyFiles(
      svm,
      files.map((f) => ({
        from: { volume: source, path: `.snapshot/${snapshotName}/${f.name}` },
        to: { volume: target.uuid, path: destinationOf(f) },
      })),
    );
  }
  const kept = new Set(files.map(destinationOf));
  for (const stale of into.filter((f) => f.type === 'file' && !kept.has(f.name)))
    await ctx.api.deleteFile(target.uuid, stale.name);
}

export async function restoreToAlternate(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.RestoreToAlternateRequest,
): Promise<T.Volume> {
  await volumeOf(ctx, svm, volume);
  const snap = await snapshotOf(ctx, volume, req.sourceSnapshotId);
  if (req.targetVolumeId === volume) return restoreVolume(ctx, svm, volume, { snapshotId: snap.uuid });
  const target = await requireVolume(ctx, svm, req.targetVolumeId);
  if (target.type === 'dp')
    throw invalidArgument(
      `volume '${target.uuid}' is a data-protection volume: its content comes from its SnapMirror source`,
      'targetVolumeId',
    );
  await copySnapshotInto(ctx, svm, volume, snap.name, target);
  return getVolume(ctx, svm, target.uuid);
}

/**
 * A new volume with the snapshot's content, independent of it from the start: created with the
 * source's size and guarantee on the chosen aggregate, then filled by copy. A failed copy removes it.
 */
export async function restoreToNew(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.RestoreToNewRequest,
): Promise<T.Volume> {
  const source = await volumeOf(ctx, svm, volume);
  const snap = await snapshotOf(ctx, volume, req.sourceSnapshotId);
  const pool = req.targetPoolIds?.[0] ?? source.aggregates?.[0]?.uuid;
  if (!pool) throw invalidArgument('name the pool of the new volume in targetPoolIds', 'targetPoolIds');
  const allowed = (await ctx.api.svm(svm)).aggregates?.map((a) => a.uuid);
  if (allowed?.length && !allowed.includes(pool)) throw notFound('pool', pool);
  await ctx.api.aggregate(pool);
  const id = await ctx.api.createVolume({
    name: req.targetVolumeName,
    svm: { uuid: svm },
    aggregates: [{ uuid: pool }],
    size: source.size ?? source.space?.size,
    guarantee: { type: source.guarantee?.type ?? 'none' },
    space: { snapshot: { reserve_percent: source.space?.snapshot?.reserve_percent ?? 0 } },
  });
  try {
    await copySnapshotInto(ctx, svm, volume, snap.name, await requireVolume(ctx, svm, id));
  } catch (err) {
    await ctx.api.deleteVolume(id).catch(() => undefined);
    throw err;
  }
  return getVolume(ctx, svm, id);
}
