/**
 * Operation locks shared by every plugin instance: mutations of one object run one at a time, others answer 409 at
 * once.
 */
import type { Coordinator } from '../coordination/coordinator';
import { StorageError } from './errors';

export interface LockOptions {
  /** Lease of a lock, renewed every third of it while its holder runs (a crashed holder's lock frees after this). */
  ttlMs: number;
  /** Told when a lock is found held and the call answers 409 (metrics). */
  onConflict?: () => void;
}

/**
 * Runs fn holding every named lock (taken in a fixed order, so two callers cannot deadlock).
 * A lock already held answers CONFLICT without waiting; locks are released after fn, whether it
 * succeeded or failed, and extended while it runs.
 */
export async function withLocks<T>(
  coord: Coordinator,
  keys: { key: string; what: string }[],
  opts: LockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const sorted = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => a.key.localeCompare(b.key));
  const held: { key: string; token: string }[] = [];
  const releaseAll = () => Promise.allSettled(held.map((h) => coord.release(h.key, h.token)));
  try {
    for (const k of sorted) {
      const token = await coord.acquire(k.key, opts.ttlMs);
      if (!token) opts.onConflict?.();
      if (!token)
        throw new StorageError(
          'CONFLICT',
          `another operation on ${k.what} is in progress; retry when it has finished`,
          { retryAfter: 1 },
        );
      held.push({ key: k.key, token });
    }
  } catch (err) {
    await releaseAll();
    throw err;
  }
  // Renewed every third of the lease: two renewals may fail (a Redis hiccup) before a live holder loses its lock.
  const keepAlive = setInterval(() => {
    for (const h of held) void coord.extend(h.key, h.token, opts.ttlMs).catch(() => undefined);
  }, opts.ttlMs / 3);
  keepAlive.unref();
  try {
    return await fn();
  } finally {
    clearInterval(keepAlive);
    await releaseAll();
  }
}
