/**
 * The pagination check every list shares: `limit`/`start` sizes respected, pages disjoint and in the list's stable
 * order.
 */
import { expectSame, expectStatus, ok, skip } from '../check';
import type { SuiteContext } from '../context';

type Item = Record<string, unknown>;

/** Items are told apart by id; remote arrays have none, host LUN mappings are keyed by LUN. */
const keyOf = (item: Item): string => String(item.id ?? item.lunId ?? item.name);

/**
 * Reads the whole list twice (the order must not change), then pages through it: the first and
 * second page of k items are the list's first 2k items, without overlap; `start` past the end
 * answers an empty page and a `limit` above the size answers everything.
 */
export async function checkPaging(ctx: SuiteContext, listPath: string, key: string): Promise<void> {
  const read = async (query: string) => {
    const res = await ctx.api.get(`${listPath}${query}`);
    expectStatus(res, 200);
    return { res, items: ((res.json as Record<string, Item[]>)[key] ?? []).map(keyOf) };
  };
  const all = await read('');
  const again = await read('');
  expectSame(
    again.items,
    all.items,
    `two reads of ${listPath} disagree on the items or their order`,
    again.res,
    `$.${key}`,
  );
  const n = all.items.length;
  if (n < 2) skip(`${listPath} holds ${n} item(s); paging needs at least 2`);
  const k = n >= 4 ? 2 : 1;
  const first = await read(`?limit=${k}&start=0`);
  expectSame(
    first.items,
    all.items.slice(0, k),
    `limit=${k}&start=0 is not the first ${k} item(s) of the list`,
    first.res,
    `$.${key}`,
  );
  const second = await read(`?limit=${k}&start=${k}`);
  expectSame(
    second.items,
    all.items.slice(k, 2 * k),
    `limit=${k}&start=${k} is not items ${k}..${2 * k - 1} of the list`,
    second.res,
    `$.${key}`,
  );
  ok(!second.items.some((id) => first.items.includes(id)), 'consecutive pages overlap', second.res, `$.${key}`);
  const limitOnly = await read('?limit=1');
  expectSame(
    limitOnly.items,
    all.items.slice(0, 1),
    'limit=1 without start is not the first item',
    limitOnly.res,
    `$.${key}`,
  );
  const startOnly = await read(`?start=${n - 1}`);
  expectSame(
    startOnly.items,
    all.items.slice(n - 1),
    `start=${n - 1} without limit is not the rest of the list`,
    startOnly.res,
    `$.${key}`,
  );
  const past = await read(`?limit=${k}&start=${n}`);
  expectSame(past.items, [], `start=${n} (past the end) must answer an empty page`, past.res, `$.${key}`);
  const big = await read(`?limit=${n + 10}&start=0`);
  expectSame(big.items, all.items, `limit=${n + 10} must answer the whole list`, big.res, `$.${key}`);
  ctx.note(`${n} items, pages of ${k}`);
}
