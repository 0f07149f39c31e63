/**
 * Replication on ONTAP behind CDM: snapshots sent over the volume's SnapMirror relationship (to a peered
 * cluster or within this one), their progress read from the clusters, and the arrays replicated to
 * (the cluster peers and, for intra-cluster SnapMirror, the cluster itself).
 */
import { StorageError, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { type TransferFacts, replicationStatus } from '../shared/replication';
import type { Ctx } from './connection';
import { millis, toSnapshot } from './mapper';
import type { OntapApi } from './api';
import type { OntapClusterPeer, OntapRelationship, OntapSvmPeer, OntapTransfer, OntapVolume } from './types';
import { createSnapshot, snapshotOf } from './snapshots';
import { volumeOf } from './volumes';

/** `svm:volume`, as SnapMirror paths name a volume on its own cluster. */
export async function pathOf(ctx: Ctx, svm: string, volume: OntapVolume): Promise<string> {
  return `${volume.svm?.name ?? (await ctx.api.svm(svm)).name}:${volume.name}`;
}

export const noTarget = (what: string) =>
  new StorageError(
    'CONFLICT',
    `${what} has no replication target: it is the source of no SnapMirror relationship. Set one up on a peered cluster, or on this one in an SVM peered locally: a DP volume (POST /api/storage/volumes with type "dp"), a relationship from this volume to it (POST /api/snapmirror/relationships on the destination), initialized (PATCH state "snapmirrored")`,
  );

/** Relationships that replicate these volumes, by `svm:volume` path. */
export async function outgoing(ctx: Ctx, paths: string[]): Promise<OntapRelationship[]> {
  return ctx.api.outgoing(paths);
}

/**
 * Sends a snapshot over every relationship of its volume: a transfer started on each destination with
 * that snapshot named. `noneStarted` runs when the call fails before any transfer started (nothing
 * carries the snapshot then), before the error is thrown.
 */
export async function sendSnapshot(
  ctx: Ctx,
  rels: OntapRelationship[],
  snapshot: string,
  noneStarted?: () => Promise<void>,
): Promise<void> {
  let started = 0;
  try {
    const known = await arrays(ctx);
    for (const rel of rels) {
      await (await destinationOf(ctx, rel, known)).startTransfer(rel.uuid, snapshot);
      started++;
    }
  } catch (err) {
    if (started === 0) await noneStarted?.();
    throw err;
  }
}

/**
 * createSnapshot with replicate: the relationship is checked before the snapshot is taken, so a volume without one gets
 * nothing.
 */
export async function createReplicatedSnapshot(
  ctx: Ctx,
  svm: string,
  volume: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const vol = await volumeOf(ctx, svm, volume);
  const rels = await outgoing(ctx, [await pathOf(ctx, svm, vol)]);
  if (rels.length === 0) throw noTarget(`volume '${vol.name}'`);
  const snap = await createSnapshot(ctx, svm, volume, req);
  // No transfer carries the snapshot: take it back so a retry starts clean, as the other backends do.
  await sendSnapshot(ctx, rels, req.name, () =>
    ctx.api.deleteSnapshot(volume, snap.id).then(
      () => undefined,
      () => undefined,
    ),
  );
  return snap;
}

/** ISO-8601 durations (PT1H2M3.5S) in ms. */
export function durationMs(iso: string | undefined): number {
  const m = iso ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso) : null;
  if (!m) return 0;
  return (
    ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 +
    Math.round(Number(m[4] ?? 0) * 1000)
  );
}

const STATES: Record<string, T.ReplicationState> = {
  queued: 'queued',
  transferring: 'transferring',
  success: 'completed',
  failed: 'failed',
  aborted: 'failed',
  hard_aborted: 'failed',
};

export function factsOf(name: string, creationTime: number, t: OntapTransfer): TransferFacts {
  const state = STATES[t.state ?? ''] ?? 'failed';
  const end = t.end_time ? millis(t.end_time) : null;
  const reference = end ?? (t.last_updated_time ? millis(t.last_updated_time) : Date.now());
  const aborted = t.state === 'aborted' || t.state === 'hard_aborted';
  return {
    name,
    creationTime,
    state,
    startTime: reference - durationMs(t.total_duration),
    endTime: state === 'completed' || state === 'failed' ? end : null,
    transferred: t.bytes_transferred ?? 0,
    total: t.total_bytes ?? 0,
    message:
      state === 'failed'
        ? (t.error_info?.message ?? (aborted ? 'the transfer was aborted' : 'the transfer failed'))
        : null,
  };
}

/**
 * The transfer that carried the snapshot, read from the source cluster first (its engine knows how
 * far it got, and that a destination went away), then from the destinations.
 */
export async function snapshotProgress(
  ctx: Ctx,
  svm: string,
  volume: string,
  id: string,
): Promise<T.SnapshotReplicationStatus> {
  const vol = await volumeOf(ctx, svm, volume);
  const snap = toSnapshot(await snapshotOf(ctx, volume, id));
  const rels = await outgoing(ctx, [await pathOf(ctx, svm, vol)]);
  const source = ctx.api;
  for (const rel of rels) {
    const seen = await source.transfersOf(rel.uuid, snap.name).catch(() => []);
    if (seen.length) return replicationStatus(factsOf(snap.name, snap.creationTime, seen[seen.length - 1]));
  }
  for (const rel of rels) {
    const dest = await destinationOf(ctx, rel).catch(() => undefined);
    const seen = dest ? await dest.transfersOf(rel.uuid, snap.name).catch(() => []) : [];
    if (seen.length) return replicationStatus(factsOf(snap.name, snap.creationTime, seen[seen.length - 1]));
  }
  throw new StorageError(
    'CONFLICT',
    `snapshot ${snap.name} was not replicated: no SnapMirror transfer of it is known to the source or destination clusters`,
  );
}

/**
 * A replication target: where a relationship ends, and the API that drives it there (relationships are driven on their
 * destination).
 */
export interface TargetArray extends T.ReplicationTarget {
  api(): OntapApi;
}

/** The cluster peers this cluster can replicate to (authenticated). */
export async function peers(ctx: Ctx): Promise<OntapClusterPeer[]> {
  return (await ctx.api.clusterPeers()).filter((p) => (p.authentication?.state ?? 'ok') === 'ok');
}

/** The REST API of a peered cluster, reached at the address its peer record gives (bare, on this cluster's port). */
function remoteApi(ctx: Ctx, peer: OntapClusterPeer): OntapApi {
  const address = peer.remote?.ip_addresses?.[0];
  if (!address || !ctx.remote)
    throw new StorageError('BACKEND_ERROR', `cluster peer '${peer.name}' has no address the plugin can reach`);
  return ctx.remote(address);
}

/** `host:port` of a peer, as this cluster's own: ONTAP lists peer addresses bare, and every cluster answers on one port. */
function peerHostAddress(ctx: Ctx, address: string): string {
  if (!address || /^\[.*\]:\d+$|^[^:]+:\d+$/.test(address) || ctx.target.port === undefined) return address;
  return `${address.includes(':') ? `[${address}]` : address}:${ctx.target.port}`;
}

/**
 * This cluster as a target of its own relationships: its cluster name, at the address this session
 * reaches it by (so no other credentials are needed: the session's API drives both ends).
 */
async function self(ctx: Ctx): Promise<TargetArray> {
  const cluster = await ctx.api.cluster();
  const host = ctx.target.ipAddress ?? ctx.target.hostname ?? '';
  return {
    id: cluster.uuid,
    name: cluster.name,
    hostAddress: `${host.includes(':') ? `[${host}]` : host}:${ctx.target.port}`,
    api: () => ctx.api,
  };
}

/** Every array a relationship of this cluster can end on: the peers, then the cluster itself. */
export async function arrays(ctx: Ctx): Promise<TargetArray[]> {
  const [known, me] = await Promise.all([peers(ctx), self(ctx)]);
  return [
    ...known.map((p) => ({
      id: p.uuid,
      name: p.name,
      hostAddress: peerHostAddress(ctx, p.remote?.ip_addresses?.[0] ?? ''),
      api: () => remoteApi(ctx, p),
    })),
    me,
  ];
}

/**
 * The SVM on cluster `cluster` that `svm` is peered with for SnapMirror (a local SVM peer when `cluster` is this one).
 */
export async function peerSvm(ctx: Ctx, svm: string, cluster: string): Promise<OntapSvmPeer | undefined> {
  const list = await ctx.api.svmPeers(svm, cluster);
  return list.find((p) => p.peer?.svm?.name && (p.applications ?? ['snapmirror']).includes('snapmirror'));
}

/**
 * /remotearray: the peered clusters, and this cluster itself when the SVM has a local SVM peer for
 * SnapMirror (only then can CDM make replicas on it); itself comes last, after the peers.
 */
export async function listRemoteArrays(ctx: Ctx, svm: string, page: T.Page): Promise<T.RemoteArray[]> {
  await ctx.api.svm(svm);
  const all = await arrays(ctx);
  const me = all[all.length - 1];
  const offered = (await peerSvm(ctx, svm, me.name)) ? all : all.slice(0, -1);
  return applyPage(
    offered.map(({ name, hostAddress }) => ({ name, hostAddress })),
    page,
  );
}

/** The array named `name` (a /remotearray name, or this cluster's own), or NOT_FOUND. */
export async function arrayNamed(ctx: Ctx, name: string): Promise<TargetArray> {
  const hit = (await arrays(ctx)).find((a) => a.name === name);
  if (!hit) throw notFound('remote array', name);
  return hit;
}

/** The API of the cluster holding the destination of a relationship, by the cluster name the relationship gives. */
export async function destinationOf(ctx: Ctx, rel: OntapRelationship, known?: TargetArray[]): Promise<OntapApi> {
  const name = rel.destination.cluster?.name;
  const hit = (known ?? (await arrays(ctx))).find((a) => a.name === name);
  if (!hit)
    throw new StorageError(
      'CONFLICT',
      `the destination cluster '${name}' of SnapMirror relationship ${rel.uuid} is neither this cluster nor a cluster peer of it`,
    );
  return hit.api();
}
