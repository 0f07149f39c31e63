/**
 * A short-lived per-array memory of what an array says that changes rarely (a volume's record, whether it holds LUNs,
 * the running copy jobs), so a forwarded read costs one vendor call in the common case. Everything held for an array
 * is dropped as soon as the plugin itself changes something on that array (changed()), so a read right after a change
 * through this plugin instance sees it; a change made elsewhere (the array's own UI, another plugin instance) is seen
 * within ttlMs.
 */

/**
 * The key of one array in the memo and the cursor store: what it reports as its id and where it answers, since two
 * arrays may report the same id (two appliances cloned from one image) and must never share what is held.
 */
export const arrayKey = (origin: string, storageId: string): string => `${storageId}@${origin}`;

interface Held {
  value: Promise<unknown>;
  expiresAt: number;
}

export class ArrayMemo {
  private readonly arrays = new Map<string, Map<string, Held>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxPerArray = 20_000,
    private readonly maxArrays = 64,
  ) {}

  /** The plugin changed something on `array`: nothing held for it is answered again. */
  changed(array: string): void {
    this.arrays.delete(array);
  }

  /** The value held for `key` on `array`, or `load`ed (concurrent misses share one load; failures are not kept). */
  get<T>(array: string, key: string, load: () => Promise<T>): Promise<T> {
    const held = this.of(array);
    const now = Date.now();
    const hit = held.get(key);
    if (hit && hit.expiresAt > now) return hit.value as Promise<T>;
    const value = load();
    this.put(held, key, value, now);
    value.catch(() => held.get(key)?.value === value && held.delete(key));
    return value;
  }

  /** Keeps what a wider read found (a listed page) so the reads that follow need not ask again. */
  set<T>(array: string, key: string, value: T): void {
    this.put(this.of(array), key, Promise.resolve(value), Date.now());
  }

  private of(array: string): Map<string, Held> {
    let held = this.arrays.get(array);
    if (!held) {
      if (this.arrays.size >= this.maxArrays) this.arrays.delete(this.arrays.keys().next().value as string);
      held = new Map();
      this.arrays.set(array, held);
    }
    return held;
  }

  private put(held: Map<string, Held>, key: string, value: Promise<unknown>, now: number): void {
    held.delete(key);
    if (held.size >= this.maxPerArray) held.delete(held.keys().next().value as string);
    held.set(key, { value, expiresAt: now + this.ttlMs });
  }
}

/** A memo bound to one array, as the adapters' read paths take it. */
export interface ArrayReads {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  set<T>(key: string, value: T): void;
}

export const readsOf = (memo: ArrayMemo, array: string): ArrayReads => ({
  get: (key, load) => memo.get(array, key, load),
  set: (key, value) => memo.set(array, key, value),
});
