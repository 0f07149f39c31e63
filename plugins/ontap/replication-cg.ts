/** Consistency-group replication on ONTAP: every member gets a DP replica of the same name on the target (a peered cluster, or this one in a locally peered SVM) and a relationship; group snapshots go over each. */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { SnapMirrorApi } from './api-snapmirror';
import type { Ctx } from './inventory';
import { noTarget, outgoing, sendSnapshot } from './replication';
import { arrayNamed, arrays, peerSvm } from './targets';
import type { OntapConsistencyGroup, OntapRelationship, OntapVolume } from './types';
import { volumeOf } from './volumes';

/** The vault policy replicas are made with: it takes no snapshot of its own, CDM names what to send. */
const REPLICA_POLICY = 'XDPDefault';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function members(ctx: Ctx, svm: string, cg: OntapConsistencyGroup): Promise<{ volume: OntapVolume; path: string }[]> {
  const svmName = (await ctx.api.svm(svm)).name;
  const vols = await Promise.all((cg.volumes ?? []).map((v) => volumeOf(ctx, svm, v.uuid)));
  return vols.map((volume) => ({ volume, path: `${svmName}:${volume.name}` }));
}

/** The arrays every member of the group replicates to (cluster peers, or this cluster). */
export async function cgTargets(ctx: Ctx, svm: string, cg: OntapConsistencyGroup): Promise<T.ReplicationTarget[]> {
  const list = await members(ctx, svm, cg);
  if (list.length === 0) return [];
  const rels = await outgoing(ctx, list.map((m) => m.path));
  return (await arrays(ctx))
    .filter((a) => list.every((m) => rels.some((r) => r.source.path === m.path && r.destination.cluster?.name === a.name)))
    .map(({ id, name, hostAddress }) => ({ id, name, hostAddress }));
}

/** Waits until an initialized relationship is snapmirrored (its baseline transfer done). */
async function awaitMirrored(remote: SnapMirrorApi, uuid: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    const rel = await remote.relationship(uuid);
    if (rel.state === 'snapmirrored') return;
    if (['failed', 'aborted', 'hard_aborted'].includes(rel.transfer?.state ?? '')) throw new StorageError('BACKEND_ERROR', `initializing SnapMirror relationship ${uuid} failed (${rel.transfer?.state})`);
    if (Date.now() + delay > deadline) throw new StorageError('BACKEND_TIMEOUT', `SnapMirror relationship ${uuid} is still ${rel.state} after ${ms} ms`);
    await sleep(delay);
  }
}

/**
 * add-replication-target: for each member without a relationship to the target, a DP volume of the
 * same name and size in the SVM peered with this one on the target, a relationship, initialized.
 */
export async function cgAddReplicationTarget(ctx: Ctx, svm: string, id: string, req: T.CgAddReplicationTargetRequest, waitMs: number): Promise<T.ReplicationTarget> {
  const cg = await ctx.san.cg(svm, id);
  const target = await arrayNamed(ctx, req.targetName);
  const svmPeer = await peerSvm(ctx, svm, target.name);
  if (!svmPeer?.peer?.svm?.name) throw new StorageError('CONFLICT', `SVM '${svm}' is not peered for SnapMirror with an SVM of cluster '${target.name}': create the SVM peer (POST /api/svm/peers) first`);
  const remoteSvm = svmPeer.peer.svm.name;
  const localName = svmPeer.svm?.name ?? (await ctx.api.svm(svm)).name;
  const remote = target.api();
  const list = await members(ctx, svm, cg);
  const rels: OntapRelationship[] = await outgoing(ctx, list.map((m) => m.path));
  for (const { volume, path } of list) {
    if (rels.some((r) => r.source.path === path && r.destination.cluster?.name === target.name)) continue;
    const existing = await remote.api.client.all<OntapVolume>('/storage/volumes', { 'svm.name': remoteSvm, name: volume.name, fields: 'uuid,name,type' }).catch(() => []);
    if (existing[0] && existing[0].type !== 'dp') throw new StorageError('CONFLICT', `cluster '${target.name}' already has a read-write volume '${volume.name}' in SVM '${remoteSvm}': it cannot be a replica`);
    if (!existing[0]) await remote.api.createVolume({ name: volume.name, svm: { name: remoteSvm }, size: volume.size, type: 'dp', guarantee: { type: 'none' } });
    const uuid = await remote.createRelationship({ source: { path: `${localName}:${volume.name}` }, destination: { path: `${remoteSvm}:${volume.name}` }, policy: { name: REPLICA_POLICY } });
    await remote.patchRelationship(uuid, { state: 'snapmirrored' });
    await awaitMirrored(remote, uuid, waitMs);
  }
  return { id: target.id, name: target.name, hostAddress: target.hostAddress };
}

/** Before a replicated group snapshot: every member must have a relationship, or nothing is taken. */
export async function cgRelationships(ctx: Ctx, svm: string, cg: OntapConsistencyGroup): Promise<OntapRelationship[]> {
  const list = await members(ctx, svm, cg);
  const rels = await outgoing(ctx, list.map((m) => m.path));
  const missing = list.filter((m) => !rels.some((r) => r.source.path === m.path));
  if (list.length === 0 || missing.length) throw noTarget(`consistency group '${cg.name}' (member${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m.volume.name}'`).join(', ') || 'none'})`);
  return rels;
}

export const sendGroupSnapshot = (ctx: Ctx, rels: OntapRelationship[], name: string): Promise<void> => sendSnapshot(ctx, rels, name);
