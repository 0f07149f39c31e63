// Request body checks in ONTAP's terms: unexpected fields, typed values (numbers may come as strings), references by
// uuid or name.
import type { Request } from 'express';
import { invalidValue, notFound, required, unexpected } from './errors';
import type { Json } from './query';
import type { OntapState } from './state/state';
import type { SvmRecord } from './state/model';

export type Body = Json;

export const bodyOf = (req: Request): Body => (req.body ?? {}) as Body;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function param(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
}

/** Refuse fields the endpoint does not take. `allowed` lists dotted paths; an object path allows all below it. */
export function allowOnly(body: Body, allowed: readonly string[], prefix = ''): void {
  for (const [k, v] of Object.entries(body)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (allowed.includes(path)) continue;
    if (isObject(v) && allowed.some((a) => a.startsWith(`${path}.`))) {
      allowOnly(v, allowed, path);
      continue;
    }
    throw unexpected(path);
  }
}

export function optString(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidValue(field, v);
  return v;
}

export function reqString(body: Body, field: string): string {
  const v = optString(body, field);
  if (v === undefined || v === '') throw required(field);
  return v;
}

/** Integers may be sent as numbers or as numeric strings (the policy document sends "throttle": "100"). */
export function optInt(body: Body, field: string, min = 0): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw invalidValue(field, v);
  return n;
}

export function optBool(body: Body, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalidValue(field, v);
}

export function optObject(body: Body, field: string): Body | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalidValue(field, v);
  return v;
}

/** `{uuid?, name?}`: a reference to another object; when both are given they must name the same one. */
export interface Ref {
  uuid?: string;
  name?: string;
}

export function optRef(body: Body, field: string): Ref | undefined {
  return body[field] === undefined ? undefined : refValue(body[field], field);
}

/** A reference given as a value (an array item, say): `{uuid?, name?}` with at least one of them. */
export function refValue(value: unknown, field: string): Ref {
  if (!isObject(value)) throw invalidValue(field, value);
  const ref = { uuid: optString(value, 'uuid'), name: optString(value, 'name') };
  if (!ref.uuid && !ref.name) throw required(`${field}.uuid`);
  return ref;
}

export function resolve<T extends { uuid: string; name: string }>(
  items: Iterable<T>,
  ref: Ref,
  field: string,
  what: string,
): T {
  const list = [...items];
  const hit = ref.uuid ? list.find((i) => i.uuid === ref.uuid) : list.find((i) => i.name === ref.name);
  if (!hit || (ref.uuid && ref.name && hit.name !== ref.name)) {
    throw notFound(`${what} "${ref.uuid ?? ref.name}" not found`, `${field}.${ref.uuid ? 'uuid' : 'name'}`);
  }
  return hit;
}

export function svmRef(state: OntapState, body: Body, field = 'svm'): SvmRecord {
  const ref = optRef(body, field);
  if (!ref) throw required(`${field}.uuid`);
  return resolve(state.svms.values(), ref, field, 'SVM');
}

/** ONTAP object names: letters, digits and underscores, starting with a letter or underscore. */
export function checkName(name: string, field: string, max = 203): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) || name.length > max) throw invalidValue(field, name);
  return name;
}
