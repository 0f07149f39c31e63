// Block-level copy-on-write content store shared by the simulators: 4096-byte blocks shared by reference, and the space
// they take.
//
// A dataset (live volume, snapshot, clone) is a BlockMap: block index -> block id. Blocks are immutable;
// a write puts new blocks into the live map only, so snapshots and clones that share the old ones keep
// them. A block lives while some map references it, which is what ZFS space accounting measures.

export const BLOCK_SIZE = 4096;

export interface BlockMap {
  /** Content length in bytes; bytes never written read as zeros. */
  length: number;
  blocks: Map<number, number>;
}

interface Block {
  data: Buffer;
  refs: number;
}

/** A change checked against free space before it is applied. */
export interface PreparedChange {
  /** Bytes of blocks the change allocates minus bytes of blocks it frees. */
  readonly netBytes: number;
  /** Bytes the map will reference once the change is committed (what a quota limits). */
  readonly referencedAfter: number;
  commit(): void;
}

export interface BlockStoreJson {
  next_id: number;
  /** Block id -> base64 content; a block shared by many maps is stored once. */
  blocks: Record<string, string>;
}

export interface BlockMapJson {
  length: number;
  blocks: [number, number][];
}

export class BlockStore {
  private readonly blocks = new Map<number, Block>();
  private nextId = 1;

  /** Bytes of the distinct blocks referenced by anything in the pool. */
  get usedBytes(): number {
    return this.blocks.size * BLOCK_SIZE;
  }

  newMap(): BlockMap {
    return { length: 0, blocks: new Map() };
  }

  /** A shallow copy sharing every block: what a snapshot or a clone starts from. */
  share(map: BlockMap): BlockMap {
    for (const id of map.blocks.values()) this.block(id).refs++;
    return { length: map.length, blocks: new Map(map.blocks) };
  }

  release(map: BlockMap): void {
    for (const id of map.blocks.values()) this.unref(id);
    map.blocks.clear();
    map.length = 0;
  }

  referencedBytes(map: BlockMap): number {
    return map.blocks.size * BLOCK_SIZE;
  }

  /**
   * Bytes only this map holds. A block sits at one index of any map that holds it (writes allocate,
   * snapshots copy index for index), so refs === 1 means nobody else references it.
   */
  uniqueBytes(map: BlockMap): number {
    let unique = 0;
    for (const id of map.blocks.values()) if (this.block(id).refs === 1) unique++;
    return unique * BLOCK_SIZE;
  }

  read(map: BlockMap, offset = 0, length = Math.max(0, map.length - offset)): Buffer {
    const end = Math.min(map.length, offset + length);
    const out = Buffer.alloc(Math.max(0, end - offset));
    if (out.length === 0) return out;
    for (let index = Math.floor(offset / BLOCK_SIZE); index * BLOCK_SIZE < end; index++) {
      const id = map.blocks.get(index);
      if (id === undefined) continue;
      const blockStart = index * BLOCK_SIZE;
      const from = Math.max(offset, blockStart);
      const to = Math.min(end, blockStart + BLOCK_SIZE);
      this.block(id).data.copy(out, from - offset, from - blockStart, to - blockStart);
    }
    return out;
  }

  /** Copy-on-write: every touched block index gets a new block; old blocks only referenced here are freed. */
  prepareWrite(map: BlockMap, offset: number, data: Buffer): PreparedChange {
    const end = offset + data.length;
    const writes = new Map<number, Buffer>();
    for (let index = Math.floor(offset / BLOCK_SIZE); index * BLOCK_SIZE < end; index++) {
      const blockStart = index * BLOCK_SIZE;
      const block = Buffer.alloc(BLOCK_SIZE);
      const old = map.blocks.get(index);
      if (old !== undefined) this.block(old).data.copy(block);
      const from = Math.max(offset, blockStart);
      const to = Math.min(end, blockStart + BLOCK_SIZE);
      data.copy(block, from - blockStart, from - offset, to - offset);
      writes.set(index, block);
    }
    const freed = [...writes.keys()].filter((index) => this.soleRef(map.blocks.get(index))).length;
    const added = [...writes.keys()].filter((index) => !map.blocks.has(index)).length;
    return {
      netBytes: (writes.size - freed) * BLOCK_SIZE,
      referencedAfter: (map.blocks.size + added) * BLOCK_SIZE,
      commit: () => {
        for (const [index, block] of writes) {
          const old = map.blocks.get(index);
          map.blocks.set(index, this.allocate(block));
          if (old !== undefined) this.unref(old);
        }
        map.length = Math.max(map.length, end);
      },
    };
  }

  /**
   * Replace the content of `map` with a full copy of `source` (which may live in another pool's store),
   * as `zfs send | zfs recv` writes new blocks rather than sharing the sender's.
   */
  prepareReplace(map: BlockMap, sourceStore: BlockStore, source: BlockMap): PreparedChange {
    const copies = [...source.blocks].map(([index, id]) => [index, Buffer.from(sourceStore.block(id).data)] as const);
    const length = source.length;
    let freed = 0;
    for (const id of map.blocks.values()) if (this.block(id).refs === 1) freed++;
    return {
      netBytes: (copies.length - freed) * BLOCK_SIZE,
      referencedAfter: copies.length * BLOCK_SIZE,
      commit: () => {
        this.release(map);
        for (const [index, data] of copies) map.blocks.set(index, this.allocate(data));
        map.length = length;
      },
    };
  }

  toJSON(): BlockStoreJson {
    const blocks: Record<string, string> = {};
    for (const [id, block] of this.blocks) blocks[String(id)] = block.data.toString('base64');
    return { next_id: this.nextId, blocks };
  }

  /** Blocks come back unreferenced; `adopt` each saved map, then `sweep` what nobody adopted. */
  static fromJSON(json: BlockStoreJson): BlockStore {
    const store = new BlockStore();
    store.nextId = json.next_id;
    for (const [id, base64] of Object.entries(json.blocks)) {
      const data = Buffer.alloc(BLOCK_SIZE);
      Buffer.from(base64, 'base64').copy(data);
      store.blocks.set(Number(id), { data, refs: 0 });
    }
    return store;
  }

  adopt(json: BlockMapJson): BlockMap {
    const map: BlockMap = { length: json.length, blocks: new Map(json.blocks) };
    for (const id of map.blocks.values()) this.block(id).refs++;
    return map;
  }

  sweep(): void {
    for (const [id, block] of this.blocks) if (block.refs === 0) this.blocks.delete(id);
  }

  private soleRef(id: number | undefined): boolean {
    return id !== undefined && this.block(id).refs === 1;
  }

  private allocate(data: Buffer): number {
    const id = this.nextId++;
    this.blocks.set(id, { data, refs: 1 });
    return id;
  }

  private unref(id: number): void {
    const block = this.block(id);
    if (--block.refs === 0) this.blocks.delete(id);
  }

  private block(id: number): Block {
    const block = this.blocks.get(id);
    if (!block) throw new Error(`block ${id} is missing from the store`);
    return block;
  }
}

export function mapToJSON(map: BlockMap): BlockMapJson {
  return { length: map.length, blocks: [...map.blocks] };
}
