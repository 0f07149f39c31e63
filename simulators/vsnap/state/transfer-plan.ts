// What a replication session sends: every block of a snapshot (full) or the blocks changed since a base snapshot
// (incremental), as one byte stream.
import { BLOCK_SIZE, type BlockMap, type BlockStore } from '../../shared/blocks';

/** Chunk size of a transfer: whole blocks, so each chunk maps onto a list of block indices. */
export const TRANSFER_CHUNK = 16 * BLOCK_SIZE;

export interface TransferPlan {
  /** The blocks to send, in index order, concatenated (only the volume's last block may be short). */
  content: Buffer;
  /** Block index of each BLOCK_SIZE slice of `content`. */
  indices: number[];
}

const blockCount = (map: BlockMap): number => Math.ceil(map.length / BLOCK_SIZE);

/** `zfs send S`: the whole logical content, holes included (arrays count logical bytes). */
export function fullPlan(store: BlockStore, snap: BlockMap): TransferPlan {
  return { content: store.read(snap), indices: Array.from({ length: blockCount(snap) }, (_, i) => i) };
}

/**
 * `zfs send -i B S`: the blocks whose content differs from B. Snapshots of one volume share unchanged
 * blocks by reference, so a different block id at an index is a change (a block B had and S has not reads as zeros).
 */
export function deltaPlan(store: BlockStore, base: BlockMap, snap: BlockMap): TransferPlan {
  const indices: number[] = [];
  for (let i = 0; i < blockCount(snap); i++) if (snap.blocks.get(i) !== base.blocks.get(i)) indices.push(i);
  const content = Buffer.concat(indices.map((i) => store.read(snap, i * BLOCK_SIZE, BLOCK_SIZE)));
  return { content, indices };
}

/** The indices a chunk at `offset` of `length` bytes carries, as compact ranges ("0-15", "3,7,9-12"). */
export function blocksOf(plan: TransferPlan, offset: number, length: number): string {
  return encodeRanges(plan.indices.slice(offset / BLOCK_SIZE, Math.ceil((offset + length) / BLOCK_SIZE)));
}

export function encodeRanges(indices: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? String(indices[i]) : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The inverse of encodeRanges; undefined when the text is not a list of increasing ranges. */
export function decodeRanges(text: string, max: number): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from + out.length >= max || (out.length > 0 && from <= out[out.length - 1])) return undefined;
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}
