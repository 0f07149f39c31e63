// What a replication update moves: the blocks of each point in time that differ from the point before, read into
// whole 4096-byte blocks, and the compact `a-b,c` form the block indices travel in.
import { BLOCK_SIZE, type BlockMap, type BlockStore } from '../../shared/blocks';

/**
 * Indices whose block differs between `from` and `to` (blocks are immutable, so a different id is different
 * content), ascending. An index only `from` had is sent as zeros.
 */
export function changedBlocks(from: BlockMap | null, to: BlockMap): number[] {
  const all = new Set<number>([...to.blocks.keys(), ...(from ? from.blocks.keys() : [])]);
  return [...all].filter((i) => to.blocks.get(i) !== from?.blocks.get(i)).sort((a, b) => a - b);
}

/** The blocks at `indices`, each a whole BLOCK_SIZE bytes (unwritten bytes are zeros). */
export function readBlocks(store: BlockStore, map: BlockMap, indices: number[]): Buffer {
  const out = Buffer.alloc(indices.length * BLOCK_SIZE);
  indices.forEach((index, k) => {
    const id = map.blocks.get(index);
    if (id === undefined) return;
    const full = { length: (index + 1) * BLOCK_SIZE, blocks: new Map([[index, id]]) };
    store.read(full, index * BLOCK_SIZE, BLOCK_SIZE).copy(out, k * BLOCK_SIZE);
  });
  return out;
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

/** The indices of `a-b,c`, or undefined when the text is malformed or lists more than `max`. */
export function decodeRanges(text: string, max: number): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (b < a || out.length + (b - a + 1) > max) return undefined;
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}
