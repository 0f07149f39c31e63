// The source side of a SnapMirror transfer: picks the snapshots the policy asks for, computes what changed since the
// common snapshot, and pushes it to the destination at the rate in force.
import { BLOCK_SIZE } from '../../shared/blocks';
import { pacedTransfer } from '../../shared/transfer';
import type { SimContext } from '../context';
import { ONTAP_ERROR, conflict, notFound } from '../errors';
import { linkOf } from './intercluster-link';
import type { RelationshipRecord, SnapshotRecord, TransferRecord, VolumeRecord } from './model';
import { destroySnapshot, planCreateSnapshot } from './snapshots';
import { endVolume } from './relationships';

/** What the destination asks the source to send, from its policy and the request. */
export interface SendRequest {
  uuid: string;
  source_snapshot?: string;
  /** The policy's create_snapshot_on_source. */
  create: boolean;
  /** copy_all_source_snapshots, copy_latest_source_snapshot, or the snapshots carrying a retention label. */
  pick: 'all' | 'latest' | 'labels';
  labels: string[];
  /** KB/s, 0 = unlimited. */
  throttle: number;
  type: TransferRecord['type'];
}

/** One snapshot's worth of change: which blocks of which files, and their bytes in order. */
export interface Manifest {
  snapshot: { name: string; comment: string; snapmirror_label: string; create_time: number; volume_size: number };
  base?: string;
  files: { name: string; length: number; blocks: number[] }[];
  luns: { file: string; size: number; os_type: string; comment: string }[];
  length: number;
}

interface Segment {
  manifest: Manifest;
  content: Buffer;
}

const stamp = (at: Date): string =>
  at
    .toISOString()
    .replace(/T/, '_')
    .replace(/[-:]/g, '')
    .replace(/\..*/, '')
    .replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');

/**
 * The blocks of `snap` that differ from `base` (all written blocks when there is no base), read now: later writes
 * cannot touch them.
 */
function segment(
  ctx: SimContext,
  volume: VolumeRecord,
  snap: SnapshotRecord,
  base: SnapshotRecord | undefined,
): Segment {
  const store = ctx.state.storeOf(volume);
  const files: Manifest['files'] = [];
  const parts: Buffer[] = [];
  for (const [name, map] of snap.files) {
    const old = base?.files.get(name);
    const indexes = new Set([...map.blocks.keys(), ...(old ? old.blocks.keys() : [])]);
    const changed = [...indexes].filter((i) => map.blocks.get(i) !== old?.blocks.get(i)).sort((a, b) => a - b);
    for (const i of changed) {
      const block = Buffer.alloc(BLOCK_SIZE);
      store.read(map, i * BLOCK_SIZE, BLOCK_SIZE).copy(block);
      parts.push(block);
    }
    files.push({ name, length: map.length, blocks: changed });
  }
  const content = Buffer.concat(parts);
  const manifest: Manifest = {
    snapshot: {
      name: snap.name,
      comment: snap.comment,
      snapmirror_label: snap.snapmirror_label,
      create_time: snap.create_time,
      volume_size: snap.volume_size,
    },
    ...(base ? { base: base.name } : {}),
    files,
    luns: snap.luns.map((l) => ({ file: l.file, size: l.size, os_type: l.os_type, comment: l.comment })),
    length: content.length,
  };
  return { manifest, content };
}

/** The snapshots to send, oldest first, creating SnapMirror's own snapshot when the policy says so. */
function pick(ctx: SimContext, rel: RelationshipRecord, volume: VolumeRecord, req: SendRequest): SnapshotRecord[] {
  const { state } = ctx;
  if (req.source_snapshot) {
    const named = state.snapshotsOf(volume.uuid).find((s) => s.name === req.source_snapshot);
    if (!named)
      throw notFound(
        `Snapshot "${req.source_snapshot}" not found in source volume "${rel.source.path}"`,
        'source_snapshot',
      );
    return [named];
  }
  let created: SnapshotRecord | undefined;
  if (req.create) {
    rel.created_snapshots++;
    created = planCreateSnapshot(state, volume, {
      uuid: state.newUuid(),
      name: `snapmirror.${rel.uuid}_${rel.created_snapshots}.${stamp(new Date())}`,
      comment: '',
      label: 'sm_created',
    })();
  }
  const all = state.snapshotsOf(volume.uuid);
  const common = rel.common_snapshot ? all.find((s) => s.name === rel.common_snapshot) : undefined;
  const newer = common ? all.filter((s) => s.seq > common.seq) : all;
  if (req.pick === 'latest') return newer.slice(-1);
  if (req.pick === 'all') return newer;
  const labelled = newer.filter((s) => s === created || req.labels.includes(s.snapmirror_label));
  // A vault baseline (initialize) starts from the newest labelled snapshot, not the whole history.
  return req.type === 'initialize' && !common && !created ? labelled.slice(-1) : labelled;
}

/**
 * Prepares a transfer on the source: the snapshots, their change sets and the record; the engine
 * starts on the next turn and pushes to the destination (which already holds its own record).
 */
export function startSending(ctx: SimContext, rel: RelationshipRecord, req: SendRequest): TransferRecord {
  const { state } = ctx;
  // Another transfer, that is: on an intra-cluster relationship the destination's record of this one is already here.
  const running = state
    .transfersOf(rel.uuid)
    .find((x) => x.uuid !== req.uuid && (x.state === 'queued' || x.state === 'transferring'));
  if (running)
    throw conflict(
      ONTAP_ERROR.TRANSFER_IN_PROGRESS,
      `A transfer (${running.uuid}) is in progress on relationship "${rel.uuid}"`,
      'uuid',
    );
  const volume = endVolume(state, rel, 'source');
  const snaps = pick(ctx, rel, volume, req);
  let base = rel.common_snapshot
    ? state.snapshotsOf(volume.uuid).find((s) => s.name === rel.common_snapshot)
    : undefined;
  const segments = snaps.map((s) => {
    const seg = segment(ctx, volume, s, base);
    base = s;
    return seg;
  });
  const now = Date.now();
  const total = segments.reduce((n, s) => n + s.content.length, 0);
  const t: TransferRecord = {
    uuid: req.uuid,
    seq: state.nextSeq(),
    relationship: rel.uuid,
    state: segments.length ? 'queued' : 'success',
    snapshots: snaps.map((s) => s.name),
    snapshot: snaps[snaps.length - 1]?.name ?? '',
    bytes_transferred: 0,
    total_bytes: total,
    start_time: now,
    last_updated_time: now,
    ...(segments.length ? {} : { end_time: now }),
    throttle: req.throttle,
    type: req.type,
  };
  // An intra-cluster transfer is listed once, by the destination's record (kept up to date as the bytes arrive); this
  // copy stays the engine's.
  if (!state.transfers.has(t.uuid)) state.transfers.set(t.uuid, t);
  state.changed();
  if (segments.length) setImmediate(() => void run(ctx, rel, t, segments));
  return t;
}

/** Chunks small enough that progress moves several times a second at the rate in force. */
const chunkFor = (rate: number): number => Math.max(4096, Math.min(64 * 1024, Math.floor(rate / 8 / 4096) * 4096));

async function run(ctx: SimContext, rel: RelationshipRecord, t: TransferRecord, segments: Segment[]): Promise<void> {
  const { state } = ctx;
  if (ctx.disposed || t.state !== 'queued') return;
  const controller = new AbortController();
  ctx.sending.set(t.uuid, controller);
  const { signal } = controller;
  // The rate in force when the transfer starts, capped by the throttle (KB/s).
  const base = ctx.faults.replicationRate(ctx.replicationRate);
  const rate = t.throttle > 0 ? Math.min(base, t.throttle * 1024) : base;
  const link = linkOf(ctx, rel);
  let done = 0;
  Object.assign(t, { state: 'transferring', last_updated_time: Date.now() });
  try {
    for (const [i, seg] of segments.entries()) {
      t.snapshot = seg.manifest.snapshot.name;
      await link.begin(t.uuid, i, seg.manifest, signal);
      await pacedTransfer({
        content: seg.content,
        rate,
        chunkSize: chunkFor(rate),
        signal,
        send: (offset, chunk) => link.data(t.uuid, i, offset, chunk, signal),
        onProgress: (sent) => Object.assign(t, { bytes_transferred: done + sent, last_updated_time: Date.now() }),
      });
      await link.commit(t.uuid, i, signal);
      done += seg.content.length;
      rel.common_snapshot = seg.manifest.snapshot.name;
    }
    Object.assign(t, {
      state: 'success',
      bytes_transferred: done,
      end_time: Date.now(),
      last_updated_time: Date.now(),
    });
    pruneOwnSnapshots(ctx, rel);
  } catch (err) {
    const aborted = signal.aborted;
    const message = aborted
      ? `Transfer aborted: ${signal.reason instanceof Error ? signal.reason.message : 'canceled'}`
      : `Transfer failed: ${err instanceof Error ? err.message : String(err)}`;
    Object.assign(t, {
      state: aborted ? 'aborted' : 'failed',
      end_time: Date.now(),
      last_updated_time: Date.now(),
      error: { code: Number(ONTAP_ERROR.PEER_UNREACHABLE), message },
    });
  } finally {
    ctx.sending.delete(t.uuid);
    if (!ctx.disposed) state.changed();
  }
  if (ctx.disposed) return;
  // The destination closes its record too; if it is gone, its own watchdog says so.
  await link.end(t.uuid, t.state, t.error?.message ?? null, t.bytes_transferred).catch(() => undefined);
}

/** SnapMirror keeps only its newest own snapshot of a relationship on the source: the common one. */
function pruneOwnSnapshots(ctx: SimContext, rel: RelationshipRecord): void {
  const { state } = ctx;
  const volume = state.volumes.get(rel.source.volume_uuid ?? '');
  if (!volume) return;
  for (const s of state.snapshotsOf(volume.uuid)) {
    if (
      s.name.startsWith(`snapmirror.${rel.uuid}_`) &&
      s.name !== rel.common_snapshot &&
      state.clonesOfSnapshot(s.uuid).length === 0
    )
      destroySnapshot(state, s);
  }
}

/** Stops a transfer this cluster is sending (abort asked on the destination). */
export function abortSending(ctx: SimContext, uuid: string, reason: string): void {
  ctx.sending.get(uuid)?.abort(new Error(reason));
}
