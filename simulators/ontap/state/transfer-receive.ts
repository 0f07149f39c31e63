// The destination side of a SnapMirror transfer: asks the source to send, stages what arrives, commits each snapshot to
// the DP volume with its name, applies retention, and watches the source.
import { BLOCK_SIZE } from '../../shared/blocks';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, conflict, invalid, notFound } from '../errors';
import { reachable } from './intercluster-client';
import { linkOf } from './intercluster-link';
import type { FileSet, LunRecord, RelationshipRecord, SnapshotRecord, TransferRecord } from './model';
import { releaseFiles, shareFiles } from './space';
import { dropLun, newSerial } from './luns';
import { activeTransfer, endVolume } from './relationships';
import { destroySnapshot } from './snapshots';
import type { Manifest, SendRequest } from './transfer-send';

const ACTIVE = new Set(['queued', 'transferring']);
const isActive = (t: TransferRecord | undefined): boolean => t !== undefined && ACTIVE.has(t.state);
/** A source that misses this many probes in a row (one a second) has gone away. */
const MISSES_TO_FAIL = 2;

export interface StartOptions {
  source_snapshot?: string;
  /** KB/s; the relationship's or the policy's when absent. */
  throttle?: number;
  type: TransferRecord['type'];
}

/**
 * Starts a transfer from the destination: the record here first (the source may start pushing at once), then the
 * source's answer.
 */
export async function startTransfer(
  ctx: SimContext,
  rel: RelationshipRecord,
  opts: StartOptions,
): Promise<TransferRecord> {
  const { state } = ctx;
  const running = activeTransfer(state, rel);
  if (running)
    throw conflict(
      ONTAP_ERROR.TRANSFER_IN_PROGRESS,
      `A transfer (${running.uuid}) is in progress on relationship "${rel.uuid}"`,
      'uuid',
    );
  const policy = state.policy(rel.policy);
  const link = linkOf(ctx, rel);
  const throttle = opts.throttle ?? rel.throttle ?? policy.throttle;
  const now = Date.now();
  const t: TransferRecord = {
    uuid: state.newUuid(),
    seq: state.nextSeq(),
    relationship: rel.uuid,
    state: 'queued',
    snapshots: [],
    snapshot: opts.source_snapshot ?? '',
    bytes_transferred: 0,
    total_bytes: 0,
    start_time: now,
    last_updated_time: now,
    throttle,
    type: opts.type,
  };
  state.transfers.set(t.uuid, t);
  const req: SendRequest = {
    uuid: t.uuid,
    ...(opts.source_snapshot ? { source_snapshot: opts.source_snapshot } : {}),
    create: policy.create_snapshot_on_source,
    pick: policy.copy_all_source_snapshots ? 'all' : policy.copy_latest_source_snapshot ? 'latest' : 'labels',
    labels: policy.retention.map((r) => r.label),
    throttle,
    type: opts.type,
  };
  try {
    const answer = await link.send(req);
    Object.assign(t, {
      snapshots: answer.snapshots,
      snapshot: answer.snapshots[answer.snapshots.length - 1] ?? '',
      total_bytes: answer.total_bytes,
    });
    // Nothing new to send: done at once.
    if (answer.snapshots.length === 0 && isActive(t)) finish(ctx, t, 'success', null);
  } catch (err) {
    state.transfers.delete(t.uuid);
    if (err instanceof OntapError)
      throw new OntapError(err.status >= 500 ? 400 : err.status, err.code, err.message, err.target);
    throw err;
  }
  state.changed();
  if (isActive(t)) watch(ctx, t.uuid, 0);
  return t;
}

/** Ends a transfer here; a success brings an uninitialized relationship to snapmirrored. */
export function finish(
  ctx: SimContext,
  t: TransferRecord,
  outcome: TransferRecord['state'],
  message: string | null,
  bytes?: number,
): void {
  if (!isActive(t)) return;
  const now = Date.now();
  Object.assign(t, {
    state: outcome,
    end_time: now,
    last_updated_time: now,
    ...(bytes !== undefined ? { bytes_transferred: bytes } : {}),
  });
  if (outcome !== 'success')
    t.error = { code: Number(ONTAP_ERROR.PEER_UNREACHABLE), message: message ?? `Transfer ${outcome}` };
  ctx.receiving.delete(t.uuid);
  const rel = ctx.state.relationships.get(t.relationship);
  if (rel && outcome === 'success' && rel.state === 'uninitialized') rel.state = 'snapmirrored';
  ctx.state.changed();
}

/** Probes the source once a second while the transfer runs: a source that stopped answering fails it. */
function watch(ctx: SimContext, uuid: string, misses: number): void {
  ctx.later(1000, () => {
    const t = ctx.state.transfers.get(uuid);
    const rel = t && ctx.state.relationships.get(t.relationship);
    const peer = rel?.peer ? ctx.state.clusterPeers.get(rel.peer) : undefined;
    if (!t || !isActive(t) || !peer) return;
    void reachable(ctx, peer, 800).then((up) => {
      if (ctx.disposed || !isActive(t)) return;
      const missed = up ? 0 : misses + 1;
      if (missed >= MISSES_TO_FAIL)
        finish(
          ctx,
          t,
          'failed',
          `Transfer failed: the source cluster "${peer.name}" (${peer.ip_addresses.join(', ')}) does not answer`,
        );
      else watch(ctx, uuid, missed);
    });
  });
}

function receivingTransfer(ctx: SimContext, uuid: string): TransferRecord {
  const t = ctx.state.transfers.get(uuid);
  if (!t) throw notFound(`Transfer "${uuid}" not found`, 'uuid');
  if (!isActive(t)) throw conflict(ONTAP_ERROR.RELATIONSHIP_STATE, `Transfer "${uuid}" is ${t.state}`, 'state');
  return t;
}

export function beginSegment(ctx: SimContext, uuid: string, segment: number, manifest: Manifest): void {
  const t = receivingTransfer(ctx, uuid);
  if (!Number.isSafeInteger(manifest.length) || manifest.length < 0 || manifest.length > 1024 ** 3)
    throw invalid('Bad segment length', 'manifest.length');
  const staging: Staging = { staged: Buffer.alloc(manifest.length), received: 0, segment, manifest };
  ctx.receiving.set(uuid, staging);
  Object.assign(t, { state: 'transferring', snapshot: manifest.snapshot.name, last_updated_time: Date.now() });
}

interface Staging {
  staged: Buffer;
  received: number;
  segment: number;
  manifest: Manifest;
}

const stagingOf = (ctx: SimContext, uuid: string, segment: number): Staging => {
  const s = ctx.receiving.get(uuid) as Staging | undefined;
  if (!s || s.segment !== segment)
    throw conflict(ONTAP_ERROR.RELATIONSHIP_STATE, `Transfer "${uuid}" is not receiving segment ${segment}`);
  return s;
};

export function receiveChunk(ctx: SimContext, uuid: string, segment: number, offset: number, data: Buffer): void {
  const t = receivingTransfer(ctx, uuid);
  const s = stagingOf(ctx, uuid, segment);
  if (offset + data.length > s.staged.length)
    throw invalid(`Chunk at ${offset} goes past the segment's ${s.staged.length} bytes`, 'offset');
  data.copy(s.staged, offset);
  s.received += data.length;
  t.bytes_transferred += data.length;
  t.last_updated_time = Date.now();
}

/** The snapshot arrives whole or not at all: the DP volume changes only here. */
export function commitSegment(ctx: SimContext, uuid: string, segment: number): void {
  const { state } = ctx;
  const t = receivingTransfer(ctx, uuid);
  const s = stagingOf(ctx, uuid, segment);
  const rel = state.relationship(t.relationship);
  const volume = endVolume(state, rel, 'destination');
  const m = s.manifest;
  if (s.received !== m.length)
    throw invalid(`Segment ${segment} of transfer "${uuid}" is incomplete: ${s.received} of ${m.length} bytes`);
  const existing = state.snapshotsOf(volume.uuid);
  const base = m.base ? existing.find((x) => x.name === m.base) : undefined;
  if (m.base && !base)
    throw conflict(
      ONTAP_ERROR.RELATIONSHIP_STATE,
      `No common snapshot: "${m.base}" is not on the destination volume "${volume.name}"`,
    );
  if (existing.some((x) => x.name === m.snapshot.name))
    throw conflict(
      ONTAP_ERROR.DUPLICATE_ENTRY,
      `Snapshot "${m.snapshot.name}" is already on the destination volume "${volume.name}"`,
    );
  const store = state.storeOf(volume);
  const files: FileSet = new Map();
  let at = 0;
  for (const f of m.files) {
    const from = base?.files.get(f.name);
    const map = from ? store.share(from) : store.newMap();
    for (const i of f.blocks) {
      store.prepareWrite(map, i * BLOCK_SIZE, s.staged.subarray(at, at + BLOCK_SIZE)).commit();
      at += BLOCK_SIZE;
    }
    map.length = f.length;
    files.set(f.name, map);
  }
  releaseFiles(state, volume.aggregate, volume.files);
  volume.files = files;
  volume.size = Math.max(volume.size, m.snapshot.volume_size);
  syncLuns(ctx, volume.uuid, m.luns);
  const snap: SnapshotRecord = {
    uuid: state.newUuid(),
    seq: state.nextSeq(),
    name: m.snapshot.name,
    volume: volume.uuid,
    comment: m.snapshot.comment,
    snapmirror_label: m.snapshot.snapmirror_label,
    create_time: m.snapshot.create_time,
    volume_size: volume.size,
    files: shareFiles(state, volume, files),
    luns: state.lunsOf(volume.uuid).map((l) => ({ ...l })),
  };
  state.snapshots.set(snap.uuid, snap);
  rel.common_snapshot = snap.name;
  ctx.receiving.delete(uuid);
  applyRetention(ctx, rel);
  state.changed();
}

/** The DP volume's LUNs follow the source's: same files and sizes, serial numbers of their own. */
function syncLuns(ctx: SimContext, volumeUuid: string, luns: Manifest['luns']): void {
  const { state } = ctx;
  const volume = state.volume(volumeUuid);
  const current = state.lunsOf(volume.uuid);
  for (const l of current) if (!luns.some((x) => x.file === l.file)) dropLun(state, l, true);
  for (const l of luns) {
    const have = current.find((x) => x.file === l.file);
    if (have) Object.assign(have, { size: l.size, os_type: l.os_type });
    else {
      const lun: LunRecord = {
        uuid: state.newUuid(),
        seq: state.nextSeq(),
        svm: volume.svm,
        volume: volume.uuid,
        file: l.file,
        size: l.size,
        os_type: l.os_type,
        serial: newSerial(state),
        enabled: true,
        comment: l.comment,
        create_time: Date.now(),
      };
      state.luns.set(lun.uuid, lun);
    }
  }
}

/**
 * Retention rules: snapshots carrying a rule's label are kept up to its count, oldest pruned; the common snapshot and
 * clone parents stay.
 */
function applyRetention(ctx: SimContext, rel: RelationshipRecord): void {
  const { state } = ctx;
  const policy = state.policies.get(rel.policy);
  const volume = endVolume(state, rel, 'destination');
  for (const rule of policy?.retention ?? []) {
    const labelled = state.snapshotsOf(volume.uuid).filter((x) => x.snapmirror_label === rule.label);
    const excess = labelled.slice(0, Math.max(0, labelled.length - rule.count));
    for (const x of excess)
      if (x.name !== rel.common_snapshot && state.clonesOfSnapshot(x.uuid).length === 0) destroySnapshot(state, x);
  }
}

/** PATCH state aborted on the destination: stop here at once, and ask the source to stop sending. */
export async function abortTransfer(
  ctx: SimContext,
  t: TransferRecord,
  how: 'aborted' | 'hard_aborted',
): Promise<void> {
  if (!isActive(t))
    throw conflict(
      ONTAP_ERROR.RELATIONSHIP_STATE,
      `Transfer "${t.uuid}" is ${t.state}: only a queued or running transfer can be aborted`,
      'state',
    );
  finish(ctx, t, how, 'Transfer aborted by the administrator');
  const rel = ctx.state.relationships.get(t.relationship);
  if (rel)
    await linkOf(ctx, rel)
      .abort(t.uuid)
      .catch(() => undefined);
}
