// Space accounting: what a volume uses (live data and the blocks only its snapshots hold) and what an aggregate has
// left.
import { BLOCK_SIZE, type BlockMap, type PreparedChange } from '../../shared/blocks';
import { noSpace } from '../errors';
import type { AggregateRecord, FileSet, VolumeRecord } from './model';
import type { OntapState } from './state';

/** ONTAP's smallest FlexVol volume. */
export const MIN_VOLUME_BYTES = 20 * 1024 * 1024;

export function blockIds(files: Iterable<BlockMap>, into = new Set<number>()): Set<number> {
  for (const map of files) for (const id of map.blocks.values()) into.add(id);
  return into;
}

export interface VolumeSpace {
  /** Bytes the active file system references. */
  live: number;
  /** Bytes only snapshots hold (what deleting every snapshot would free). */
  snapshotOnly: number;
  used: number;
  reserve: number;
  /** Size of the active file system: the volume size less the snapshot reserve. */
  afsTotal: number;
  available: number;
}

export function volumeSpace(state: OntapState, volume: VolumeRecord): VolumeSpace {
  const live = blockIds(volume.files.values());
  const snaps = new Set<number>();
  for (const s of state.snapshotsOf(volume.uuid)) blockIds(s.files.values(), snaps);
  let snapshotOnly = 0;
  for (const id of snaps) if (!live.has(id)) snapshotOnly++;
  const reserve = Math.floor((volume.size * volume.snapshot_reserve_percent) / 100);
  const afsTotal = volume.size - reserve;
  const liveBytes = live.size * BLOCK_SIZE;
  const snapBytes = snapshotOnly * BLOCK_SIZE;
  // Snapshot data beyond the reserve spills into the active file system, as in WAFL.
  const spill = Math.max(0, snapBytes - reserve);
  return {
    live: liveBytes,
    snapshotOnly: snapBytes,
    used: liveBytes + snapBytes,
    reserve,
    afsTotal,
    available: Math.max(0, afsTotal - liveBytes - spill),
  };
}

export interface AggregateSpace {
  size: number;
  used: number;
  available: number;
  /** Bytes held back for space-guaranteed volumes beyond what they have written. */
  reserved: number;
}

export function aggregateSpace(state: OntapState, aggregate: AggregateRecord): AggregateSpace {
  let reserved = 0;
  for (const v of state.volumesIn(aggregate.uuid)) {
    if (v.guarantee === 'volume') reserved += Math.max(0, v.size - volumeSpace(state, v).used);
  }
  const used = aggregate.store.usedBytes + reserved;
  return { size: aggregate.size, used, available: Math.max(0, aggregate.size - used), reserved };
}

/** Apply a content change if the volume and, for a thin volume, its aggregate have room for it. */
export function commitWithin(
  state: OntapState,
  volume: VolumeRecord,
  file: BlockMap | undefined,
  change: PreparedChange,
): void {
  const space = volumeSpace(state, volume);
  const before = file ? state.storeOf(volume).referencedBytes(file) : 0;
  const liveAfter = space.live - before + change.referencedAfter;
  const spill = Math.max(0, space.snapshotOnly - space.reserve);
  if (change.netBytes > 0 && liveAfter + spill > space.afsTotal) {
    throw noSpace(
      `Volume "${volume.name}" has no space left: ${space.available} bytes available, ${change.netBytes} more needed`,
    );
  }
  if (volume.guarantee === 'none') {
    const aggr = state.aggregate(volume.aggregate);
    const free = aggregateSpace(state, aggr).available;
    if (change.netBytes > free)
      throw noSpace(`Aggregate "${aggr.name}" has ${free} bytes available; ${change.netBytes} more are needed`);
  }
  change.commit();
}

/** A shallow copy of a volume's files sharing every block: what a snapshot or a FlexClone starts from. */
export function shareFiles(state: OntapState, volume: VolumeRecord, files: FileSet): FileSet {
  const store = state.storeOf(volume);
  return new Map([...files].map(([name, map]) => [name, store.share(map)]));
}

export function releaseFiles(state: OntapState, aggregate: string, files: FileSet): void {
  const store = state.aggregate(aggregate).store;
  for (const map of files.values()) store.release(map);
  files.clear();
}
