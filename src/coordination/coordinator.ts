/** The coordination seam: locks, create records and rate counters shared by every plugin instance. */

export interface Coordinator {
  readonly kind: 'redis' | 'memory';
  /** Takes the lock when it is free: a token to release it with, or null when another holder has it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Extends a lock still held with this token; false when it was lost. */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if this token still holds it. */
  release(key: string, token: string): Promise<void>;
  /** Stores the value only when the key is absent; true when it was stored. */
  putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  put(key: string, value: string, ttlMs: number): Promise<void>;
  remove(key: string): Promise<void>;
  /** Counts one hit in the fixed window named by key: the count so far and the ms left in the window. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
}
