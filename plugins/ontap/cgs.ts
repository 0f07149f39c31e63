/** Consistency groups behind CDM on ONTAP's own: membership changes, group snapshots on every member at once, condense. */
import { StorageError, invalidArgument, unsupported } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { Ctx } from './inventory';
import { toCgSnapshot, toConsistencyGroup } from './mapper';
import type { OntapCgSnapshot } from './types';
import { cgRelationships, cgTargets, sendGroupSnapshot } from './replication-cg';
import { volumeOf } from './volumes';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function listConsistencyGroups(ctx: Ctx, svm: string, page: T.Page): Promise<T.ConsistencyGroup[]> {
  const [, cgs] = await Promise.all([ctx.api.svm(svm), ctx.san.cgsPage(svm, page)]);
  return cgs.map(toConsistencyGroup);
}

export async function getConsistencyGroup(ctx: Ctx, svm: string, id: string): Promise<T.ConsistencyGroup> {
  const cg = await ctx.san.cg(svm, id);
  return { ...toConsistencyGroup(cg), targets: await cgTargets(ctx, svm, cg) };
}

export async function cgAddVolume(ctx: Ctx, svm: string, id: string, req: T.CgAddVolumeRequest): Promise<T.ConsistencyGroup> {
  const cg = await ctx.san.cg(svm, id);
  if (req.isIncremental) throw unsupported('incremental consistency groups are not supported on ONTAP');
  const volume = await volumeOf(ctx, svm, req.volumeId);
  if (req.poolId !== undefined && req.poolId !== volume.aggregates?.[0]?.uuid) {
    throw invalidArgument(`volume '${req.volumeId}' is on aggregate '${volume.aggregates?.[0]?.uuid}'; adding it to a group does not move it to '${req.poolId}'`, 'poolId');
  }
  if (!(cg.volumes ?? []).some((v) => v.uuid === req.volumeId)) {
    await ctx.san.patchCg(id, { volumes: [{ uuid: req.volumeId, provisioning_options: { action: 'add' } }] });
  }
  return getConsistencyGroup(ctx, svm, id);
}

export async function cgRemoveVolume(ctx: Ctx, svm: string, id: string, req: T.CgRemoveVolumeRequest): Promise<T.ConsistencyGroup> {
  const cg = await ctx.san.cg(svm, id);
  const members = new Set((cg.volumes ?? []).map((v) => v.uuid));
  const leaving = [...new Set(req.volumeIds)].filter((v) => members.has(v));
  if (leaving.length > 0) await ctx.san.patchCg(id, { volumes: leaving.map((uuid) => ({ uuid, provisioning_options: { action: 'remove' } })) });
  return getConsistencyGroup(ctx, svm, id);
}

/** `<prefix>_<UTC timestamp>`, unique to the millisecond as CDM snapshot names are. */
export function snapshotName(prefix: string | undefined, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '_').replace(/\..*/, '') + `${at.getUTCMilliseconds()}`.padStart(3, '0');
  return `${prefix || 'cdm'}_${stamp}`;
}

export async function cgTakeSnapshot(ctx: Ctx, svm: string, id: string, req: T.CgTakeSnapshotRequest): Promise<T.ConsistencyGroupSnapshot> {
  const cg = await ctx.san.cg(svm, id);
  if (req.isIncremental) throw unsupported('incremental consistency groups are not supported on ONTAP');
  // Replication is checked before the snapshot: a group without a target gets nothing.
  const rels = req.replicate ? await cgRelationships(ctx, svm, cg) : [];
  const name = snapshotName(req.prefix);
  const uuid = await ctx.san.createCgSnapshot(id, name);
  if (!uuid) throw new StorageError('BACKEND_ERROR', `the array did not report the group snapshot '${name}' it made`);
  // Member snapshots carry the group snapshot's name: each goes over its member's relationship.
  if (req.replicate) await sendGroupSnapshot(ctx, rels, name);
  return { id: uuid, name };
}

export async function listCgSnapshots(ctx: Ctx, svm: string, id: string, page: T.Page): Promise<T.ConsistencyGroupSnapshot[]> {
  await ctx.san.cg(svm, id);
  return (await ctx.san.cgSnapshotsPage(id, page)).map(toCgSnapshot);
}

/**
 * Removes old group snapshots: among those whose names start with one of the prefixes (all when
 * none is given), the newest `numberOfInstances` stay, and of the others only those older than
 * `ageInDays` go (all of them when no age is given). A snapshot a clone depends on stays. With
 * neither a count nor an age, nothing goes.
 */
export async function cgCondense(ctx: Ctx, svm: string, id: string, req: T.CgCondenseRequest): Promise<void> {
  await ctx.san.cg(svm, id);
  // Without a count or an age there is no rule to apply: condensing removes nothing rather than everything.
  if (req.numberOfInstances === undefined && req.ageInDays === undefined) return;
  const prefixes = req.snapshotPrefixes ?? [];
  const matching = (await ctx.san.cgSnapshotsAll(id)).filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)));
  const newestFirst = matching.sort((a, b) => Date.parse(b.create_time ?? '') - Date.parse(a.create_time ?? '') || b.name.localeCompare(a.name));
  const keep = req.numberOfInstances ?? 0;
  const cutoff = req.ageInDays === undefined ? Number.POSITIVE_INFINITY : Date.now() - req.ageInDays * DAY_MS;
  const doomed: OntapCgSnapshot[] = newestFirst.slice(keep).filter((s) => Date.parse(s.create_time ?? '') < cutoff || req.ageInDays === undefined);
  for (const s of doomed) {
    try {
      await ctx.san.deleteCgSnapshot(id, s.uuid);
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'CONFLICT')) throw err;
    }
  }
}
