/**
 * CDM offsets turned into array cursors, one mechanism for every backend. CDM pages by `start` and `limit`; arrays page
 * by cursor (Element's next startVolumeID, ONTAP's `_links.next`, the last id seen of an in-process index). When a
 * page ends, the cursor at which the next offset starts is remembered (a few bytes, short expiry, shared by the
 * plugin instances), so the next page of a walk costs one array page instead of a skip over everything before it.
 * Only an offset without a remembered cursor (a random jump) pays the skip, and it leaves its cursors behind.
 *
 * Cursors point after an item in the array's own stable order (creation order): a volume created during a walk comes
 * after every one that existed before it, and a deleted one simply is not there, so a walk neither skips nor repeats a
 * volume that exists from its first page to its last.
 */
import type { CursorStore } from '../../src/backend';
import { MemoryCursorStore } from '../../src/coordination/cursors';
import type { Page } from '../../src/domain/types';

/** What one read of the array gives: its items, and where the next read goes on (undefined: the list ended). */
export interface Chunk<T> {
  items: T[];
  next?: string;
}

/**
 * One array read of up to `n` items after `cursor` (undefined: from the start of the list; `n` infinite: as many as
 * the array gives in one answer). `keysOnly`: the items are only counted (a skip), so the read may ask the array for
 * the least it can answer. A read never answers more than `n` items.
 */
export type ReadChunk<T> = (cursor: string | undefined, n: number, keysOnly: boolean) => Promise<Chunk<T>>;

/** Where a collection's cursors are kept: the store, and the collection's key (backend, array, collection, filter). */
export interface CursorScope {
  store: CursorStore;
  key: string;
}

/** Items read per call while skipping to an offset nobody left a cursor for. */
const SKIP_BATCH = 500;

/** A scope of `parts` (backend, array, collection, filter...), or none without a store (pages then always skip). */
export function cursorScope(store: CursorStore | undefined, ...parts: (string | number)[]): CursorScope | undefined {
  return store ? { store, key: parts.map((p) => encodeURIComponent(String(p))).join(':') } : undefined;
}

/** The store configured, or one of this process (an adapter made without the plugin's stores, as in tests). */
export const cursorStoreOr = (store: CursorStore | undefined): CursorStore => store ?? new MemoryCursorStore();

const keyAt = (scope: CursorScope, limit: number, offset: number) => `${scope.key}:${limit}:${offset}`;

/** A remembered cursor, or none when the store cannot answer now (a skip then finds it). */
async function recall(scope: CursorScope | undefined, limit: number, offset: number): Promise<string | undefined> {
  if (!scope) return undefined;
  return (await scope.store.get(keyAt(scope, limit, offset)).catch(() => null)) ?? undefined;
}

function remember(scope: CursorScope | undefined, limit: number, offset: number, cursor: string): Promise<void> {
  // Best effort: a cursor not kept costs the next page a skip, never an error.
  return scope ? scope.store.set(keyAt(scope, limit, offset), cursor).catch(() => undefined) : Promise.resolve();
}

/** Everything from `cursor` to the end of the list, in reads as long as the array chooses. */
async function readRest<T>(read: ReadChunk<T>, cursor: string | undefined): Promise<T[]> {
  const out: T[] = [];
  for (let at = cursor, first = true; first || at !== undefined; first = false) {
    const chunk = await read(at, Number.POSITIVE_INFINITY, false);
    out.push(...chunk.items);
    at = chunk.items.length === 0 ? undefined : chunk.next;
  }
  return out;
}

/** The cursor `count` items into the list (keys only), or null when the list ends before. */
async function skip<T>(read: ReadChunk<T>, count: number): Promise<string | null> {
  let cursor: string | undefined;
  for (let skipped = 0; skipped < count;) {
    const chunk = await read(cursor, Math.min(SKIP_BATCH, count - skipped), true);
    skipped += chunk.items.length;
    cursor = chunk.next;
    if (cursor === undefined || chunk.items.length === 0) return null;
  }
  return cursor ?? null;
}

/**
 * The CDM page `page` of a collection the array pages by cursor. With a remembered cursor for `page.start` it costs one
 * array read of the page; otherwise the items before it are skipped (keys only) and the cursor found is remembered.
 */
export async function pageByCursor<T>(scope: CursorScope | undefined, page: Page, read: ReadChunk<T>): Promise<T[]> {
  if (page.limit === undefined) {
    if (page.start === 0) return readRest(read, undefined);
    const from = await skip(read, page.start);
    return from === null ? [] : readRest(read, from);
  }
  const limit = page.limit;
  let cursor: string | undefined;
  if (page.start > 0) {
    cursor = await recall(scope, limit, page.start);
    if (cursor === undefined) {
      const found = await skip(read, page.start);
      if (found === null) return [];
      cursor = found;
      await remember(scope, limit, page.start, cursor);
    }
  }
  const items: T[] = [];
  while (items.length < limit) {
    const chunk = await read(cursor, limit - items.length, false);
    items.push(...chunk.items);
    cursor = chunk.next;
    if (cursor === undefined || chunk.items.length === 0) break;
  }
  if (cursor !== undefined && items.length >= limit) await remember(scope, limit, page.start + limit, cursor);
  return items.slice(0, limit);
}
