/** Replication on ONTAP behind CDM: snapshots sent over the volume's SnapMirror relationship (to a peered cluster or within this one), and their progress read from the clusters. */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { type TransferFacts, replicationStatus } from '../shared/replication';
import { SnapMirrorApi } from './api-snapmirror';
import type { Ctx } from './inventory';
import { millis, toSnapshot } from './mapper';
import { arrays, destinationOf } from './targets';
import type { OntapRelationship, OntapTransfer, OntapVolume } from './types';
import { snapshotOf, volumeOf } from './volumes';

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
  return new SnapMirrorApi(ctx.api).outgoing(paths);
}

/**
 * Sends a snapshot over every relationship of its volume: a transfer started on each destination with
 * that snapshot named. `noneStarted` runs when the call fails before any transfer started (nothing
 * carries the snapshot then), before the error is thrown.
 */
export async function sendSnapshot(ctx: Ctx, rels: OntapRelationship[], snapshot: string, noneStarted?: () => Promise<void>): Promise<void> {
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

/** createSnapshot with replicate: the relationship is checked before the snapshot is taken, so a volume without one gets nothing. */
export async function createReplicatedSnapshot(ctx: Ctx, svm: string, volume: string, req: T.CreateSnapshotRequest, take: () => Promise<T.Snapshot>): Promise<T.Snapshot> {
  const vol = await volumeOf(ctx, svm, volume);
  const rels = await outgoing(ctx, [await pathOf(ctx, svm, vol)]);
  if (rels.length === 0) throw noTarget(`volume '${vol.name}'`);
  const snap = await take();
  // No transfer carries the snapshot: take it back so a retry starts clean, as the other backends do.
  await sendSnapshot(ctx, rels, req.name, () => ctx.api.deleteSnapshot(volume, snap.id).then(() => undefined, () => undefined));
  return snap;
}

/** ISO-8601 durations (PT1H2M3.5S) in ms. */
export function durationMs(iso: string | undefined): number {
  const m = iso ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso) : null;
  if (!m) return 0;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Math.round(Number(m[4] ?? 0) * 1000);
}

const STATES: Record<string, T.ReplicationState> = { queued: 'queued', transferring: 'transferring', success: 'completed', failed: 'failed', aborted: 'failed', hard_aborted: 'failed' };

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
    message: state === 'failed' ? (t.error_info?.message ?? (aborted ? 'the transfer was aborted' : 'the transfer failed')) : null,
  };
}

/**
 * The transfer that carried the snapshot, read from the source cluster first (its engine knows how
 * far it got, and that a destination went away), then from the destinations.
 */
export async function snapshotProgress(ctx: Ctx, svm: string, volume: string, id: string): Promise<T.SnapshotReplicationStatus> {
  const vol = await volumeOf(ctx, svm, volume);
  const snap = toSnapshot(await snapshotOf(ctx, volume, id));
  const rels = await outgoing(ctx, [await pathOf(ctx, svm, vol)]);
  const source = new SnapMirrorApi(ctx.api);
  for (const rel of rels) {
    const seen = await source.transfersOf(rel.uuid, snap.name).catch(() => []);
    if (seen.length) return replicationStatus(factsOf(snap.name, snap.creationTime, seen[seen.length - 1]));
  }
  for (const rel of rels) {
    const dest = await destinationOf(ctx, rel).catch(() => undefined);
    const seen = dest ? await dest.transfersOf(rel.uuid, snap.name).catch(() => []) : [];
    if (seen.length) return replicationStatus(factsOf(snap.name, snap.creationTime, seen[seen.length - 1]));
  }
  throw new StorageError('CONFLICT', `snapshot ${snap.name} was not replicated: no SnapMirror transfer of it is known to the source or destination clusters`);
}
