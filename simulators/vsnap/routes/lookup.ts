// The seed's three ways to read a resource: the list, `/x/<id>` or `?id=`, and `?name=` (a single object).
import type { Request, Response } from 'express';
import { notFound } from '../errors';
import { byId } from '../state/state';
import { query } from '../validate';

export interface Lookup<T extends { id: string }> {
  /** Plural key of the list body, e.g. "volumes". */
  key: string;
  what: string;
  all(): T[];
  byId(id: string): T;
  byName?(name: string): T[];
  summary(item: T): unknown;
  detail(item: T): unknown;
  /** The hosts list shows `total` as a string (seed 10.2); every other list as a number. */
  totalAsString?: boolean;
  /** Names that may repeat (snapshots of different volumes) answer a list when several match. */
  namesMayRepeat?: boolean;
}

export function listOrFind<T extends { id: string }>(req: Request, res: Response, lookup: Lookup<T>): void {
  const id = query(req, 'id');
  if (id !== undefined) {
    res.json(lookup.detail(lookup.byId(id)));
    return;
  }
  const name = query(req, 'name');
  if (name !== undefined && lookup.byName) {
    const found = lookup.byName(name).sort(byId);
    if (found.length === 0) throw notFound(`${lookup.what} ${name} not found`);
    if (found.length === 1 || !lookup.namesMayRepeat) res.json(lookup.detail(found[0]));
    else res.json(list(lookup, found));
    return;
  }
  res.json(list(lookup, lookup.all().sort(byId)));
}

function list<T extends { id: string }>(lookup: Lookup<T>, items: T[]): Record<string, unknown> {
  return {
    [lookup.key]: items.map((item) => lookup.summary(item)),
    total: lookup.totalAsString ? String(items.length) : items.length,
  };
}
