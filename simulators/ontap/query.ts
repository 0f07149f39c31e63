// ONTAP collection conventions: query filters on fields, `fields=` selection, `max_records` paging with `_links.next`,
// `return_records`.
import type { Request, Response } from 'express';
import { invalidValue, unexpected } from './errors';
import type { Settings } from './settings';

export type Json = Record<string, unknown>;

/** A collection as the engine sees it: records in creation order, their JSON view, and the fields that view has. */
export interface Collection<R extends { seq: number }> {
  /** Path of the collection, e.g. `/api/storage/volumes` (used in `_links`). */
  href: string;
  /** The records in seq order (an iterable, so a large collection need not be copied for a page). */
  records(): Iterable<R>;
  view(record: R): Json;
  /** Every dotted field path of the view (array members are addressed through the array, `initiators.name`). */
  fields: readonly string[];
  /** Fields every record returns whatever `fields=` asks (ONTAP's key fields). */
  keys: readonly string[];
}

/**
 * Query parameters that are not filters. `start.seq` is the cursor this simulator puts in `_links.next`; SnapMirror's
 * `list_destinations_only` picks a side.
 */
const RESERVED = new Set([
  'fields',
  'max_records',
  'return_records',
  'return_timeout',
  'start.seq',
  'list_destinations_only',
]);

export function queryOf(req: Request): URLSearchParams {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** A path the resource has: a field, an object holding fields, or anything under an open (`x.*`) documented object. */
const known = (fields: readonly string[], path: string): boolean =>
  fields.some((f) =>
    f.endsWith('.*')
      ? path === f.slice(0, -2) || path.startsWith(f.slice(0, -1))
      : f === path || f.startsWith(`${path}.`),
  );

/** Leaf values at a dotted path, looking through arrays. */
export function valuesAt(value: unknown, path: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (path.length === 0) return value === undefined ? [] : [value];
  if (typeof value !== 'object' || value === null) return [];
  return valuesAt((value as Json)[path[0]], path.slice(1));
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
}

/** One alternative of ONTAP's query syntax: `x`, `!x`, `x*`, `<n`, `>n`, `<=n`, `>=n`. */
function matchOne(leaves: unknown[], pattern: string): boolean {
  if (pattern.startsWith('!')) return !matchOne(leaves, pattern.slice(1));
  const cmp = /^(<=|>=|<|>)(.+)$/.exec(pattern);
  if (cmp) {
    const bound = Number(cmp[2]);
    return leaves.some((leaf) => {
      const n = typeof leaf === 'number' ? leaf : Number.NaN;
      return cmp[1] === '<' ? n < bound : cmp[1] === '>' ? n > bound : cmp[1] === '<=' ? n <= bound : n >= bound;
    });
  }
  if (pattern.includes('*')) return leaves.some((leaf) => wildcard(pattern).test(String(leaf)));
  return leaves.some((leaf) => String(leaf).toLowerCase() === pattern.toLowerCase());
}

export function matches(view: Json, field: string, pattern: string): boolean {
  const leaves = valuesAt(view, field.split('.'));
  return pattern.split('|').some((alt) => matchOne(leaves, alt));
}

/** Copy of the parts of `view` that `paths` name (with everything under them). */
export function project(view: Json, paths: string[]): Json {
  const out: Json = {};
  for (const path of paths) copyPath(view, out, path.split('.'));
  return out;
}

function copyPath(from: unknown, to: Json, path: string[]): void {
  if (typeof from !== 'object' || from === null || Array.isArray(from)) return;
  const [head, ...rest] = path;
  const value = (from as Json)[head];
  if (value === undefined) return;
  if (rest.length === 0) {
    to[head] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = Array.isArray(to[head]) ? (to[head] as Json[]) : value.map(() => ({}));
    value.forEach((item, i) => copyPath(item, existing[i], rest));
    to[head] = existing;
    return;
  }
  const child = typeof to[head] === 'object' && to[head] !== null ? (to[head] as Json) : {};
  copyPath(value, child, rest);
  to[head] = child;
}

/** The fields a `fields=` value selects, checked against the collection; `undefined` means everything. */
export function selectedFields(
  fields: readonly string[],
  keys: readonly string[],
  param: string | null,
): string[] | undefined {
  if (param === null) return [...keys, '_links'];
  const asked = param
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (asked.includes('*') || asked.includes('**')) return undefined;
  for (const f of asked) if (!known(fields, f)) throw invalidValue('fields', f);
  return [...new Set([...keys, ...asked, '_links'])];
}

function positiveInt(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1) throw invalidValue(name, raw);
  return n;
}

/** GET on a collection: filter, page, project, and answer the ONTAP envelope. */
export function answerCollection<R extends { seq: number }>(
  req: Request,
  res: Response,
  c: Collection<R>,
  settings: Settings,
): void {
  const params = queryOf(req);
  for (const key of params.keys()) if (!RESERVED.has(key) && !known(c.fields, key)) throw unexpected(key);
  const max = positiveInt(params, 'max_records');
  const after = Number(params.get('start.seq') ?? 0);
  const filters = [...params.entries()].filter(([k]) => !RESERVED.has(k));
  // As ONTAP does, the fields a query filters on come back with each record (a client finds what it matched on).
  const select = selectedFields(c.fields, [...c.keys, ...filters.map(([k]) => k)], params.get('fields'));
  const matches_ = (r: R) => {
    if (filters.length === 0) return true;
    const view = c.view(r);
    return filters.every(([k, v]) => matches(view, k, v));
  };
  const self = { href: `${c.href}${params.size ? `?${params}` : ''}` };
  if (params.get('return_records') === 'false') {
    let count = 0;
    for (const r of c.records()) if (matches_(r)) count++;
    res.json({ num_records: count, _links: { self } });
    return;
  }
  // The simulator's page-size fault caps every page, so clients must follow `_links.next`.
  const size = Math.min(max ?? Number.POSITIVE_INFINITY, settings.maxPageSize || Number.POSITIVE_INFINITY);
  // Like an indexed array: a page costs what it holds, not the size of the collection.
  const page: R[] = [];
  let more = false;
  for (const r of c.records()) {
    if (r.seq <= after || !matches_(r)) continue;
    if (page.length === size) {
      more = true;
      break;
    }
    page.push(r);
  }
  const body: Json = {
    records: page.map((r) => (select ? project(c.view(r), select) : c.view(r))),
    num_records: page.length,
    _links: { self } as Json,
  };
  if (more) {
    const next = new URLSearchParams([...params.entries()].filter(([k]) => k !== 'start.seq'));
    next.set('start.seq', String(page[page.length - 1].seq));
    (body._links as Json).next = { href: `${c.href}?${next}` };
  }
  res.json(body);
}

const RECORD_PARAMS = new Set(['fields', 'return_timeout', 'max_records', 'return_records']);

/** GET on one record: every field, or those `fields=` asks for. */
export function answerRecord(
  req: Request,
  res: Response,
  view: Json,
  fields: readonly string[],
  keys: readonly string[],
): void {
  const params = queryOf(req);
  // ONTAP takes the collection parameters on a single object too (the NetApp collection sends max_records to every
  // GET); they change nothing there.
  for (const key of params.keys()) if (!RECORD_PARAMS.has(key)) throw unexpected(key);
  positiveInt(params, 'max_records');
  // `fields=` with nothing in it is no selection at all.
  const asked = params.get('fields');
  const select = asked !== null && asked.trim() !== '' ? selectedFields(fields, keys, asked) : undefined;
  res.json(select ? project(view, select) : view);
}

/** Every dotted leaf path of a sample view: how a resource declares the fields it has. */
export function fieldsOf(sample: Json, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(sample)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const inner = Array.isArray(v) ? v[0] : v;
    if (typeof inner === 'object' && inner !== null) out.push(path, ...fieldsOf(inner as Json, path));
    else out.push(path);
  }
  return out;
}
