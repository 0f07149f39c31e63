/**
 * ONTAP volumes behind CDM: list/get with their kind (LUNs or files), clone (FlexClone), mount (junction path), split,
 * delete.
 */
import { invalidArgument, notFound } from '../../src/domain/errors';
import { until } from '../shared/http';
import type * as T from '../../src/domain/types';
import type { Ctx } from './connection';
import { toVolume } from './mapper';
import type { OntapSnapshot, OntapVolume } from './types';

/** Filters that name many objects (`uuid=a|b|c`) are sent in chunks so URLs stay short. */
const CHUNK = 40;

export async function chunked<T>(ids: string[], fn: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await fn(ids.slice(i, i + CHUNK))));
  return out;
}

/** Which of these volumes hold LUNs (one LUN query per chunk of volumes). */
async function lunHolders(ctx: Ctx, volumes: OntapVolume[]): Promise<Set<string>> {
  const luns = await chunked(
    volumes.map((v) => v.uuid),
    (part) => ctx.api.lunsOf(part),
  );
  return new Set(luns.map((l) => l.location?.volume?.uuid ?? ''));
}

/** Listed volumes with their kind; the kinds are kept in the per-array memo for the reads that follow. */
export async function withKinds(ctx: Ctx, volumes: OntapVolume[]): Promise<T.Volume[]> {
  const holders = await lunHolders(ctx, volumes);
  for (const v of volumes) ctx.reads?.set(`holds-luns:${v.uuid}`, holders.has(v.uuid));
  return volumes.map((v) => toVolume(v, holders.has(v.uuid)));
}

/** Whether the volume holds LUNs: changes only when LUNs are made or removed, so held a few seconds per array. */
const holdsLuns = async (ctx: Ctx, uuid: string): Promise<boolean> => {
  const ask = async () => (await lunHolders(ctx, [{ uuid } as OntapVolume])).has(uuid);
  return ctx.reads ? ctx.reads.get(`holds-luns:${uuid}`, ask) : ask();
};

export async function listVolumes(ctx: Ctx, svm: string, page: T.Page): Promise<T.Volume[]> {
  const [, volumes] = await Promise.all([ctx.api.svm(svm), ctx.api.volumesPage(svm, page)]);
  return withKinds(ctx, volumes);
}

/** The volume of the server, or NOT_FOUND naming the server when that is what is missing. */
export async function volumeOf(ctx: Ctx, svm: string, id: string): Promise<OntapVolume> {
  try {
    return await ctx.api.volume(svm, id);
  } catch (err) {
    await ctx.api.svm(svm);
    throw err;
  }
}

/** One volume: the volume call, and its kind from the memo in the common case (else both calls at once). */
export async function getVolume(ctx: Ctx, svm: string, id: string): Promise<T.Volume> {
  const [volume, luns] = await Promise.all([volumeOf(ctx, svm, id), holdsLuns(ctx, id)]);
  return toVolume(volume, luns);
}

export async function deleteVolume(ctx: Ctx, svm: string, id: string): Promise<void> {
  await volumeOf(ctx, svm, id);
  await ctx.api.deleteVolume(id);
}

export async function mountVolume(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.MountRequest,
): Promise<{ path: string | null }> {
  const vol = await volumeOf(ctx, svm, volume);
  const luns = await ctx.api.lunsOf([volume]);
  if (luns.length > 0) {
    // A volume of LUNs is made usable by bringing its LUNs online; it has no path (hosts reach LUNs by mapping).
    for (const lun of luns) if (lun.enabled === false) await ctx.api.patchLun(lun.uuid, { enabled: true });
    return { path: null };
  }
  // Mounting twice is harmless: the junction the volume has is the answer.
  if (vol.nas?.path) return { path: vol.nas.path };
  const path = req.path ?? `/${vol.name}`;
  await ctx.api.patchVolume(volume, { nas: { path } });
  return { path };
}

/** By id or by name; both given must name the same snapshot. */
export async function resolveSnapshot(
  ctx: Ctx,
  volume: string,
  ref: { id?: string; name?: string },
): Promise<OntapSnapshot> {
  const snap = ref.id ? await ctx.api.snapshot(volume, ref.id) : await ctx.api.snapshotNamed(volume, ref.name ?? '');
  if (ref.id && ref.name && ref.name !== snap.name)
    throw invalidArgument(`snapshot '${ref.id}' is named '${snap.name}', not '${ref.name}'`, 'snapshot.name');
  return snap;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statusOf(v: OntapVolume): T.SplitStatus {
  if (!v.clone?.is_flexclone) return { percentageComplete: 100, complete: true };
  return {
    percentageComplete: Math.max(0, Math.min(99, Math.floor(v.clone.split_complete_percent ?? 0))),
    complete: false,
  };
}

/** A volume that is not (or no longer) a FlexClone has nothing left to split: 100 %, complete. */
export async function splitStatus(ctx: Ctx, svm: string, volume: string): Promise<T.SplitStatus> {
  return statusOf(await volumeOf(ctx, svm, volume));
}

export async function splitVolume(ctx: Ctx, svm: string, volume: string): Promise<T.SplitStatus> {
  const vol = await volumeOf(ctx, svm, volume);
  if (vol.clone?.is_flexclone && !vol.clone.split_initiated)
    await ctx.api.patchVolume(volume, { clone: { split_initiated: true } });
  return splitStatus(ctx, svm, volume);
}

/** Polls a split until the clone stands alone or `ms` pass; answers the last status. */
export async function awaitSplit(ctx: Ctx, svm: string, volume: string, ms: number): Promise<T.SplitStatus> {
  const deadline = until(ms, ctx.api.client.deadline);
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const status = await splitStatus(ctx, svm, volume);
    if (status.complete || Date.now() + delay > deadline) return status;
    await sleep(delay);
  }
}

/**
 * FlexClone of a snapshot. An instant split starts the split at once and waits (within the time
 * budget) for it to end, so the clone comes back independent of the snapshot.
 */
export async function cloneVolume(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.CloneRequest,
  splitWaitMs: number,
): Promise<T.Volume> {
  await volumeOf(ctx, svm, volume);
  const snap = await resolveSnapshot(ctx, volume, req.snapshot);
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== svm);
  if (bad !== undefined)
    throw invalidArgument(`a clone stays in its parent's SVM '${svm}', not '${bad}'`, 'serverGroupKeys');
  const id = await ctx.api.createVolume({
    name: req.name,
    svm: { uuid: svm },
    clone: { is_flexclone: true, parent_volume: { uuid: volume }, parent_snapshot: { uuid: snap.uuid } },
  });
  if (req.instantSplit) {
    await ctx.api.patchVolume(id, { clone: { split_initiated: true } });
    await awaitSplit(ctx, svm, id, splitWaitMs);
  }
  return getVolume(ctx, svm, id);
}

export async function requireVolume(ctx: Ctx, svm: string, id: string): Promise<OntapVolume> {
  const v = await volumeOf(ctx, svm, id).catch(() => undefined);
  if (!v) throw notFound('volume', id);
  return v;
}
