/**
 * Idempotent creates: identical creates within a window yield one object; the same name with other parameters answers
 * 409.
 */
import { createHash } from 'node:crypto';
import type { Coordinator } from '../coordination/coordinator';
import { StorageError } from './errors';

export interface CreateRecordOptions {
  /** Coordination key naming the object (kind, scope and name). */
  key: string;
  /** Human name of the object for messages, e.g. "snapshot 'daily'". */
  what: string;
  /** The parameters that must match for a repeat to be the same create. */
  params: unknown;
  /** How long a finished create is remembered: repeats within it get the same object. */
  windowMs: number;
  /** How long a repeat waits for an identical create still running. */
  waitMs: number;
  /**
   * Lease of the record of a create under way, renewed by its live creator every third of it: the record of a creator
   * that died frees after at most this, and a repeat then creates. @default 15000
   */
  leaseMs?: number;
  /** Told once when a repeat has to wait for an identical create still running (metrics). */
  onWait?: () => void;
}

interface CreateRecord {
  p: string;
  id?: string;
}

const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('base64url');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `create` once for a burst of identical requests (across plugin instances): the first one
 * creates, the others wait and get the same object through `fetch`. Older objects of the same name
 * are left to the array, which answers its own conflict: a repeat long after is not a retry, and
 * handing back an old snapshot as new would lose data.
 */
export async function createOnce<T extends { id: string }>(
  coord: Coordinator,
  opts: CreateRecordOptions,
  create: () => Promise<T>,
  fetch: (id: string) => Promise<T>,
): Promise<T> {
  const p = hashOf(opts.params);
  const deadline = Date.now() + opts.waitMs;
  const lease = opts.leaseMs ?? 15_000;
  let waited = false;
  for (;;) {
    const running = JSON.stringify({ p } satisfies CreateRecord);
    if (await coord.putIfAbsent(opts.key, running, lease)) {
      // The record is a lease like a lock: renewed while this create runs (extend compares the value as a token).
      const renew = setInterval(() => void coord.extend(opts.key, running, lease).catch(() => undefined), lease / 3);
      renew.unref();
      let created: T;
      try {
        created = await create();
      } catch (err) {
        await coord.remove(opts.key).catch(() => undefined);
        throw err;
      } finally {
        clearInterval(renew);
      }
      await coord.put(opts.key, JSON.stringify({ p, id: created.id } satisfies CreateRecord), opts.windowMs);
      return created;
    }
    const raw = await coord.get(opts.key);
    if (raw) {
      const rec = JSON.parse(raw) as CreateRecord;
      if (rec.p !== p) throw new StorageError('CONFLICT', `${opts.what} was just created with other parameters`);
      if (rec.id) {
        try {
          return await fetch(rec.id);
        } catch (err) {
          // Deleted since: forget the record and create again.
          if (!(err instanceof StorageError && err.code === 'NOT_FOUND')) throw err;
          await coord.remove(opts.key);
          continue;
        }
      }
    }
    if (Date.now() > deadline)
      throw new StorageError('CONFLICT', `an identical create of ${opts.what} is still in progress`, { retryAfter: 1 });
    if (!waited) opts.onWait?.();
    waited = true;
    await sleep(25);
  }
}
