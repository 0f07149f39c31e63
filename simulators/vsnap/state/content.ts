// Volume content changes: data-plane writes, ZFS rollback to a snapshot, and restore (a full copy of any snapshot).
import type { PreparedChange } from '../../shared/blocks';
import { inUse, invalid, noSpace } from '../errors';
import type { VolumeRecord } from './model';
import { poolFree } from './pools';
import { nowSeconds, type VsnapState } from './state';
import { optBool, requireId, requireString, type Body } from '../validate';
import { assertNoClones, assertWritable, destroySnapshot } from './volumes';

function contentOf(volume: VolumeRecord): NonNullable<VolumeRecord['content']> {
  if (!volume.content) throw invalid(`Volume ${volume.id} is a filebackedlun: its bytes live in its parent filesystem`);
  return volume.content;
}

/** Apply a change if the pool has room for its new blocks and the filesystem quota allows it. */
function commitWithin(state: VsnapState, volume: VolumeRecord, change: PreparedChange): void {
  if (volume.volume_type === 'filesystem' && volume.size_total !== null && change.referencedAfter > volume.size_total) {
    throw noSpace(`Volume ${volume.name} would exceed its size_total (quota) of ${volume.size_total} bytes`);
  }
  const free = poolFree(state, state.pool(volume.pool_id));
  if (change.netBytes > free) {
    throw noSpace(`Pool ${state.pool(volume.pool_id).name} has ${free} bytes free; ${change.netBytes} more are needed`);
  }
  change.commit();
  volume.time_updated = nowSeconds();
  state.changed();
}

/** PUT /sim/volume/<id>/data: write bytes at an offset, copy-on-write. */
export function writeVolume(state: VsnapState, volume: VolumeRecord, offset: number, data: Buffer): void {
  const content = contentOf(volume);
  assertWritable(state, volume);
  if (volume.volume_type === 'lun' && volume.size_total !== null && offset + data.length > volume.size_total) {
    throw invalid(
      `Write of ${data.length} bytes at offset ${offset} goes past the end of lun ${volume.name} (${volume.size_total} bytes)`,
    );
  }
  if (data.length === 0) return;
  commitWithin(state, volume, state.storeOf(volume).prepareWrite(content, offset, data));
}

/** POST /api/volume/<id> {action}: the two extensions documented in routes/volumes.ts. */
export function volumeAction(state: VsnapState, volume: VolumeRecord, body: Body): void {
  const action = requireString(body, 'action');
  assertWritable(state, volume);
  if (action === 'rollback') return rollbackVolume(state, volume, body);
  if (action === 'restore') return restoreVolume(state, volume, body);
  throw invalid(`Invalid action "${action}" for a volume: use rollback or restore`);
}

/**
 * `zfs rollback`: the live volume becomes the snapshot again. Like `zfs rollback` without -r, newer
 * snapshots block it; with destroy_newer (zfs rollback -r) they are destroyed, unless one has clones.
 */
function rollbackVolume(state: VsnapState, volume: VolumeRecord, body: Body): void {
  const snapshot = state.snapshot(requireId(body, 'snapshot_id'));
  const destroyNewer = optBool(body, 'destroy_newer') ?? false;
  if (snapshot.volume_id !== volume.id) {
    throw invalid(`Snapshot ${snapshot.id} is not a snapshot of volume ${volume.id}; use action restore to copy it`);
  }
  const content = contentOf(volume);
  const newer = state.snapshotsOf(volume.id).filter((s) => Number(s.id) > Number(snapshot.id));
  if (newer.length > 0 && !destroyNewer) {
    throw inUse(
      `Cannot roll back to ${snapshot.name}: more recent snapshots exist (${newer.map((s) => s.name).join(', ')}); send destroy_newer: true`,
    );
  }
  for (const s of newer) assertNoClones(state, s);
  for (const s of newer) destroySnapshot(state, s);
  const store = state.storeOf(volume);
  store.release(content);
  volume.content = store.share(snapshot.content);
  volume.time_updated = nowSeconds();
  state.changed();
}

/**
 * Like `zfs send S | zfs recv -F target` into the live dataset: the target's content becomes exactly S's
 * (new blocks, length included) while the target keeps its own snapshots.
 */
function restoreVolume(state: VsnapState, volume: VolumeRecord, body: Body): void {
  const snapshot = state.snapshot(requireId(body, 'snapshot_id'));
  const source = state.volume(snapshot.volume_id);
  const content = contentOf(volume);
  if (source.volume_type !== volume.volume_type) {
    throw invalid(
      `Snapshot ${snapshot.id} is of a ${source.volume_type}; volume ${volume.id} is a ${volume.volume_type}`,
    );
  }
  if (volume.volume_type === 'lun') {
    const needed = Math.max(source.size_total ?? 0, snapshot.content.length);
    if ((volume.size_total ?? 0) < needed) {
      throw invalid(`Lun ${volume.name} (${volume.size_total} bytes) is smaller than the source lun (${needed} bytes)`);
    }
  }
  commitWithin(state, volume, state.storeOf(volume).prepareReplace(content, state.storeOf(source), snapshot.content));
}
