/**
 * A per-array in-process index of a list the array cannot page (vSnap): one read of the list serves every page of a
 * walk. Bounded (arrays held, items per array), dropped after a short idle time, read again when a walk starts over
 * (a page at offset 0), when it is older than its maximum age, and as soon as the plugin itself changes something on
 * that array (changed()). Items are kept sorted by id in creation order so cursors (the last id seen) survive a
 * refresh.
 */

export interface ListIndexOptions {
  /** Dropped after this long unused, ms. */
  idleMs: number;
  /** Read again when older than this, ms. */
  maxAgeMs: number;
  /** Lists longer than this are served but not kept. */
  maxItems: number;
  /** Arrays held at most (the least recently used goes first). */
  maxArrays: number;
}

interface Entry<T> {
  items?: T[];
  builtAt: number;
  loading?: Promise<T[]>;
  timer?: NodeJS.Timeout;
}

/** Creation order of ids: numeric ids by value (shorter first), any others as strings. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the first item whose id comes after `id` (items sorted by compareIds). */
export function after<T extends { id: string }>(items: readonly T[], id: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(items[mid].id, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The item held before with the element's id, if `same` finds it unchanged; else `make(element)`. Nothing new is made
 * for an unchanged item (V8 would soon allocate such long-lived items straight in the old generation, where each
 * discarded copy waits for a full collection).
 */
export function reuse<T extends { id: string }, E extends { id: string }>(
  previous: readonly T[] | undefined,
  element: E,
  same: (held: T, element: E) => boolean,
  make: (element: E) => T,
): T {
  if (previous) {
    const at = after(previous, element.id) - 1;
    const old = at >= 0 ? previous[at] : undefined;
    if (old && old.id === element.id && same(old, element)) return old;
  }
  return make(element);
}

export class ListIndexes<T extends { id: string }> {
  private readonly arrays = new Map<string, Entry<T>>();
  /** Bumped by every change, so a read that began before a change is not kept after it. */
  private generation = 0;

  constructor(private readonly opts: ListIndexOptions) {}

  /** The plugin changed something on `array`: the next page reads the list again. */
  changed(array: string): void {
    this.generation++;
    this.drop(array);
  }

  /** Items held for each array (for tests and the benchmark's memory figures). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.arrays].map(([k, e]) => [k, e.items?.length ?? 0]));
  }

  /** The array's list, sorted by id: the one held, or `load`ed (concurrent callers share one load). */
  async list(array: string, fresh: boolean, load: (previous?: readonly T[]) => Promise<T[]>): Promise<T[]> {
    const now = Date.now();
    let entry = this.arrays.get(array);
    if (entry?.items && !fresh && now - entry.builtAt < this.opts.maxAgeMs) {
      this.touch(array, entry);
      return entry.items;
    }
    if (entry?.loading) return entry.loading;
    if (!entry) {
      while (this.arrays.size >= this.opts.maxArrays) this.drop(this.arrays.keys().next().value as string);
      entry = { builtAt: 0 };
      this.arrays.set(array, entry);
    }
    const e = entry;
    // The list read again may reuse the items held that did not change (see reuse()), so repeated reads of a long list
    // leave little behind for the collector.
    const previous = e.items;
    const gen = this.generation;
    e.loading = load(previous).then((items) => items.sort((a, b) => compareIds(a.id, b.id)));
    try {
      const items = await e.loading;
      if (gen === this.generation && this.arrays.get(array) === e && items.length <= this.opts.maxItems) {
        e.items = items;
        e.builtAt = now;
        this.touch(array, e);
      } else if (!e.items) this.drop(array);
      return items;
    } catch (err) {
      if (!e.items && this.arrays.get(array) === e) this.drop(array);
      throw err;
    } finally {
      e.loading = undefined;
    }
  }

  private touch(array: string, e: Entry<T>): void {
    // Most recently used last, so the first key is the one to drop.
    this.arrays.delete(array);
    this.arrays.set(array, e);
    clearTimeout(e.timer);
    e.timer = setTimeout(() => this.arrays.get(array) === e && this.drop(array), this.opts.idleMs);
    e.timer.unref();
  }

  private drop(array: string): void {
    clearTimeout(this.arrays.get(array)?.timer);
    this.arrays.delete(array);
  }
}
