// Request parameter readers: every bad or missing parameter becomes a 400 InvalidParameterError.
import type { Request } from 'express';
import { invalid } from './errors';

export type Body = Record<string, unknown>;

/** The parsed JSON body; a request must send an object (an empty body was already turned into `{}`). */
export function bodyOf(req: Request): Body {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('Request body must be a JSON object');
  }
  return body as Body;
}

export function has(body: Body, key: string): boolean {
  return body[key] !== undefined;
}

export function requireString(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`Parameter ${key} is required and must be a string`);
  return value;
}

export function optString(body: Body, key: string): string | undefined {
  return has(body, key) && body[key] !== null ? requireString(body, key) : undefined;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(`Parameter ${key} must be a boolean`);
  return value;
}

/** Ids are strings on the wire; a client that sends a number means the same object. */
export function requireId(body: Body, key: string): string {
  const value = body[key];
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value !== '') return value; // a malformed id simply matches nothing: 404
  throw invalid(`Parameter ${key} is required`);
}

/** Sizes are byte counts sent as strings ("1073741824") or numbers; null means "no limit". */
export function parseSize(value: unknown, key: string): number | null {
  if (value === null) return null;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(`Parameter ${key} must be a positive number of bytes`);
  return n;
}

export function stringList(body: Body, key: string, required: boolean): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw invalid(`Parameter ${key} is required`);
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(`Parameter ${key} must be a list of strings`);
  }
  return value as string[];
}

/**
 * Names of pools, volumes and snapshots become ZFS dataset names, so they follow ZFS's alphabet.
 * @see https://openzfs.github.io/openzfs-docs/man/master/8/zfs.8.html (naming)
 */
export function checkDatasetName(name: string, what: string): string {
  if (name.length > 256 || !/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) {
    throw invalid(`Invalid ${what} name "${name}": use at most 256 letters, digits, "_", "-", ".", ":"`);
  }
  return name;
}

/** First value of a query parameter (express may give a list when it is repeated). */
export function query(req: Request, key: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Path parameter (express 5 types them loosely). */
export function param(req: Request, key: string): string {
  const value: unknown = (req.params as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

export function nonNegativeInt(raw: string | undefined, key: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw invalid(`Parameter ${key} must be a non-negative integer`);
  return Number(raw);
}
