/**
 * Consistency groups behind CDM on ONTAP's own: membership changes, group snapshots on every member at
 * once, condense, and group replication (every member gets a DP replica of the same name on the target,
 * a peered cluster or this one in a locally peered SVM, and a relationship; group snapshots go over each).
 */
import { StorageError, invalidArgument, unsupported } from '../../src/domain/errors';
import { until } from '../shared/http';
import type * as T from '../../src/domain/types';
import type { OntapApi } from './api';
import type { Ctx } from './connection';
import { toCgSnapshot, toConsistencyGroup } from './mapper';
import { arrayNamed, arrays, noTarget, outgoing, peerSvm, sendSnapshot } from './replication';
import type { OntapCgSnapshot, OntapConsistencyGroup, OntapRelationship, OntapVolume } from './types';
import { volumeOf } from './volumes';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function listConsistencyGroups(ctx: Ctx, svm: string, page: T.Page): Promise<T.ConsistencyGroup[]> {
  const [, cgs] = await Promise.all([ctx.api.svm(svm), ctx.api.cgsPage(svm, page)]);
  return cgs.map(toConsistencyGroup);
}

export async function getConsistencyGroup(ctx: Ctx, svm: string, id: string): Promise<T.ConsistencyGroup> {
  const cg = await ctx.api.cg(svm, id);
  return { ...toConsistencyGroup(cg), targets: await cgTargets(ctx, svm, cg) };
}

export async function cgAddVolume(
  ctx: Ctx,
  svm: string,
  id: string,
  req: T.CgAddVolumeRequest,
): Promise<T.ConsistencyGroup> {
  const cg = await ctx.api.cg(svm, id);
  if (req.isIncremental) throw unsupported('incremental consistency groups are not supported on ONTAP');
  const volume = await volumeOf(ctx, svm, req.volumeId);
  if (req.poolId !== undefined && req.poolId !== volume.aggregates?.[0]?.uuid) {
    throw invalidArgument(
      `volume '${req.volumeId}' is on aggregate '${volume.aggregates?.[0]?.uuid}'; adding it to a group does not move it to '${req.poolId}'`,
      'poolId',
    );
  }
  if (!(cg.volumes ?? []).some((v) => v.uuid === req.volumeId)) {
    await ctx.api.patchCg(id, { volumes: [{ uuid: req.volumeId, provisioning_options: { action: 'add' } }] });
  }
  return getConsistencyGroup(ctx, svm, id);
}

export async function cgRemoveVolume(
  ctx: Ctx,
  svm: string,
  id: string,
  req: T.CgRemoveVolumeRequest,
): Promise<T.ConsistencyGroup> {
  const cg = await ctx.api.cg(svm, id);
  const members = new Set((cg.volumes ?? []).map((v) => v.uuid));
  const leaving = [...new Set(req.volumeIds)].filter((v) => members.has(v));
  if (leaving.length > 0)
    await ctx.api.patchCg(id, {
      volumes: leaving.map((uuid) => ({ uuid, provisioning_options: { action: 'remove' } })),
    });
  return getConsistencyGroup(ctx, svm, id);
}

/** `<prefix>_<UTC timestamp>`, unique to the millisecond as CDM snapshot names are. */
export function snapshotName(prefix: string | undefined, at = new Date()): string {
  const stamp =
    at.toISOString().replace(/[-:]/g, '').replace('T', '_').replace(/\..*/, '') +
    `${at.getUTCMilliseconds()}`.padStart(3, '0');
  return `${prefix || 'cdm'}_${stamp}`;
}

export async function cgTakeSnapshot(
  ctx: Ctx,
  svm: string,
  id: string,
  req: T.CgTakeSnapshotRequest,
): Promise<T.ConsistencyGroupSnapshot> {
  const cg = await ctx.api.cg(svm, id);
  if (req.isIncremental) throw unsupported('incremental consistency groups are not supported on ONTAP');
  // Replication is checked before the snapshot: a group without a target gets nothing.
  const rels = req.replicate ? await cgRelationships(ctx, svm, cg) : [];
  const name = snapshotName(req.prefix);
  const uuid = await ctx.api.createCgSnapshot(id, name);
  if (!uuid) throw new StorageError('BACKEND_ERROR', `the array did not report the group snapshot '${name}' it made`);
  // Member snapshots carry the group snapshot's name: each goes over its member's relationship.
  if (req.replicate) await sendSnapshot(ctx, rels, name);
  return { id: uuid, name };
}

export async function listCgSnapshots(
  ctx: Ctx,
  svm: string,
  id: string,
  page: T.Page,
): Promise<T.ConsistencyGroupSnapshot[]> {
  await ctx.api.cg(svm, id);
  return (await ctx.api.cgSnapshotsPage(id, page)).map(toCgSnapshot);
}

/**
 * Removes old group snapshots: among those whose names start with one of the prefixes (all when
 * none is given), the newest `numberOfInstances` stay, and of the others only those older than
 * `ageInDays` go (all of them when no age is given). A snapshot a clone depends on stays. With
 * neither a count nor an age, nothing goes.
 */
export async function cgCondense(ctx: Ctx, svm: string, id: string, req: T.CgCondenseRequest): Promise<void> {
  await ctx.api.cg(svm, id);
  // Without a count or an age there is no rule to apply: condensing removes nothing rather than everything.
  if (req.numberOfInstances === undefined && req.ageInDays === undefined) return;
  const prefixes = req.snapshotPrefixes ?? [];
  const matching = (await ctx.api.cgSnapshotsAll(id)).filter(
    (s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)),
  );
  const newestFirst = matching.sort(
    (a, b) => Date.parse(b.create_time ?? '') - Date.parse(a.create_time ?? '') || b.name.localeCompare(a.name),
  );
  const keep = req.numberOfInstances ?? 0;
  const cutoff = req.ageInDays === undefined ? Number.POSITIVE_INFINITY : Date.now() - req.ageInDays * DAY_MS;
  const doomed: OntapCgSnapshot[] = newestFirst
    .slice(keep)
    .filter((s) => Date.parse(s.create_time ?? '') < cutoff || req.ageInDays === undefined);
  for (const s of doomed) {
    try {
      await ctx.api.deleteCgSnapshot(id, s.uuid);
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'CONFLICT')) throw err;
    }
  }
}

// Group replication.

/** The vault policy replicas are made with: it takes no snapshot of its own, CDM names what to send. */
const REPLICA_POLICY = 'XDPDefault';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function members(
  ctx: Ctx,
  svm: string,
  cg: OntapConsistencyGroup,
): Promise<{ volume: OntapVolume; path: string }[]> {
  const svmName = (await ctx.api.svm(svm)).name;
  const vols = await Promise.all((cg.volumes ?? []).map((v) => volumeOf(ctx, svm, v.uuid)));
  return vols.map((volume) => ({ volume, path: `${svmName}:${volume.name}` }));
}

/** The arrays every member of the group replicates to (cluster peers, or this cluster). */
export async function cgTargets(ctx: Ctx, svm: string, cg: OntapConsistencyGroup): Promise<T.ReplicationTarget[]> {
  const list = await members(ctx, svm, cg);
  if (list.length === 0) return [];
  const rels = await outgoing(
    ctx,
    list.map((m) => m.path),
  );
  return (await arrays(ctx))
    .filter((a) =>
      list.every((m) => rels.some((r) => r.source.path === m.path && r.destination.cluster?.name === a.name)),
    )
    .map(({ id, name, hostAddress }) => ({ id, name, hostAddress }));
}

/** Waits until an initialized relationship is snapmirrored (its baseline transfer done). */
async function awaitMirrored(remote: OntapApi, uuid: string, ms: number): Promise<void> {
  const started = Date.now();
  const deadline = until(ms, remote.client.deadline);
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    const rel = await remote.relationship(uuid);
    if (rel.state === 'snapmirrored') return;
    if (['failed', 'aborted', 'hard_aborted'].includes(rel.transfer?.state ?? ''))
      throw new StorageError(
        'BACKEND_ERROR',
        `initializing SnapMirror relationship ${uuid} failed (${rel.transfer?.state})`,
      );
    if (Date.now() + delay > deadline)
      throw new StorageError(
        'BACKEND_TIMEOUT',
        `SnapMirror relationship ${uuid} is still ${rel.state} after ${Date.now() - started} ms`,
      );
    await sleep(delay);
  }
}

/**
 * add-replication-target: for each member without a relationship to the target, a DP volume of the
 * same name and size in the SVM peered with this one on the target, a relationship, initialized.
 */
export async function cgAddReplicationTarget(
  ctx: Ctx,
  svm: string,
  id: string,
  req: T.CgAddReplicationTargetRequest,
  waitMs: number,
): Promise<T.ReplicationTarget> {
  const cg = await ctx.api.cg(svm, id);
  const target = await arrayNamed(ctx, req.targetName);
  const svmPeer = await peerSvm(ctx, svm, target.name);
  if (!svmPeer?.peer?.svm?.name)
    throw new StorageError(
      'CONFLICT',
      `SVM '${svm}' is not peered for SnapMirror with an SVM of cluster '${target.name}': create the SVM peer (POST /api/svm/peers) first`,
    );
  const remoteSvm = svmPeer.peer.svm.name;
  const ownName = svmPeer.svm?.name ?? (await ctx.api.svm(svm)).name;
  const remote = target.api();
  // The destination names the source SVM in its paths by its own local name for it.
  const localName =
    (await remote.peerLocalName(remoteSvm, ownName, (await ctx.api.cluster()).name).catch(() => undefined)) ?? ownName;
  const list = await members(ctx, svm, cg);
  const rels: OntapRelationship[] = await outgoing(
    ctx,
    list.map((m) => m.path),
  );
  for (const { volume, path } of list) {
    if (rels.some((r) => r.source.path === path && r.destination.cluster?.name === target.name)) continue;
    const existing = await remote.client
      .all<OntapVolume>('/storage/volumes', { 'svm.name': remoteSvm, name: volume.name, fields: 'uuid,name,type' })
      .catch(() => []);
    if (existing[0] && existing[0].type !== 'dp')
      throw new StorageError(
        'CONFLICT',
        `cluster '${target.name}' already has a read-write volume '${volume.name}' in SVM '${remoteSvm}': it cannot be a replica`,
      );
    if (!existing[0])
      await remote.createVolume({
        name: volume.name,
        svm: { name: remoteSvm },
        size: volume.size,
        type: 'dp',
        guarantee: { type: 'none' },
      });
    const uuid = await remote.createRelationship({
      source: { path: `${localName}:${volume.name}` },
      destination: { path: `${remoteSvm}:${volume.name}` },
      policy: { name: REPLICA_POLICY },
    });
    await remote.patchRelationship(uuid, { state: 'snapmirrored' });
    await awaitMirrored(remote, uuid, waitMs);
  }
  return { id: target.id, name: target.name, hostAddress: target.hostAddress };
}

/** Before a replicated group snapshot: every member must have a relationship, or nothing is taken. */
export async function cgRelationships(ctx: Ctx, svm: string, cg: OntapConsistencyGroup): Promise<OntapRelationship[]> {
  const list = await members(ctx, svm, cg);
  const rels = await outgoing(
    ctx,
    list.map((m) => m.path),
  );
  const missing = list.filter((m) => !rels.some((r) => r.source.path === m.path));
  if (list.length === 0 || missing.length)
    throw noTarget(
      `consistency group '${cg.name}' (member${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m.volume.name}'`).join(', ') || 'none'})`,
    );
  return rels;
}
