// What a transfer sends: the blocks of a map that differ from a base map, back to back.
import { BLOCK_SIZE, type BlockMap } from '../../shared/blocks';
import type { ElementState } from './state';

/**
 * Blocks of `snap` that differ from `base` (all its blocks without one): block ids are shared, so equal ids mean equal
 * data.
 */
export function delta(state: ElementState, snap: BlockMap, base?: BlockMap): { indexes: number[]; content: Buffer } {
  const all = new Set(snap.blocks.keys());
  for (const i of base?.blocks.keys() ?? []) all.add(i);
  const indexes = [...all].filter((i) => snap.blocks.get(i) !== base?.blocks.get(i)).sort((a, b) => a - b);
  const content = Buffer.alloc(indexes.length * BLOCK_SIZE);
  indexes.forEach((index, k) => state.store.read(snap, index * BLOCK_SIZE, BLOCK_SIZE).copy(content, k * BLOCK_SIZE));
  return { indexes, content };
}
