// Readers of JSON-RPC params: a missing required parameter is xMissingParameter, a wrong type xInvalidParameterType.
import { RpcError, X_INVALID_PARAMETER, missing, wrongType } from './errors';

export type Params = Record<string, unknown>;

const present = (p: Params, key: string) => p[key] !== undefined && p[key] !== null;

export function int(p: Params, key: string): number {
  if (!present(p, key)) throw missing(key);
  const v = p[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw wrongType(key, 'an integer');
  return v;
}

export const optInt = (p: Params, key: string): number | undefined => (present(p, key) ? int(p, key) : undefined);

export function str(p: Params, key: string): string {
  if (!present(p, key)) throw missing(key);
  const v = p[key];
  if (typeof v !== 'string') throw wrongType(key, 'a string');
  return v;
}

export const optStr = (p: Params, key: string): string | undefined => (present(p, key) ? str(p, key) : undefined);

export function bool(p: Params, key: string): boolean {
  if (!present(p, key)) throw missing(key);
  const v = p[key];
  if (typeof v !== 'boolean') throw wrongType(key, 'a boolean');
  return v;
}

export const optBool = (p: Params, key: string): boolean | undefined => (present(p, key) ? bool(p, key) : undefined);

export function intList(p: Params, key: string): number[] {
  if (!present(p, key)) throw missing(key);
  const v = p[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isSafeInteger(x)))
    throw wrongType(key, 'an array of integers');
  return v as number[];
}

export const optIntList = (p: Params, key: string): number[] | undefined =>
  present(p, key) ? intList(p, key) : undefined;

export function strList(p: Params, key: string): string[] {
  if (!present(p, key)) throw missing(key);
  const v = p[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw wrongType(key, 'an array of strings');
  return v as string[];
}

export const optStrList = (p: Params, key: string): string[] | undefined =>
  present(p, key) ? strList(p, key) : undefined;

/** `attributes`: a JSON object of at most 64 KiB, as Element limits it. */
export function optAttributes(p: Params, key = 'attributes'): Record<string, unknown> | undefined {
  if (!present(p, key)) return undefined;
  const v = p[key];
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(key, 'a JSON object');
  if (JSON.stringify(v).length > 65536)
    throw new RpcError(X_INVALID_PARAMETER, `Parameter '${key}' is larger than 64 KiB`);
  return v as Record<string, unknown>;
}

export function oneOf<T extends string>(p: Params, key: string, values: readonly T[]): T | undefined {
  const v = optStr(p, key);
  if (v !== undefined && !values.includes(v as T))
    throw new RpcError(X_INVALID_PARAMETER, `Parameter '${key}' must be one of ${values.join(', ')}`);
  return v as T | undefined;
}

/**
 * An enumerated value matched without regard to case ("mode": "sync" as in the ModifyVolumePair example), answered in
 * its documented spelling.
 */
export function oneOfAnyCase<T extends string>(p: Params, key: string, values: readonly T[]): T | undefined {
  const v = optStr(p, key);
  if (v === undefined) return undefined;
  const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!found) throw new RpcError(X_INVALID_PARAMETER, `Parameter '${key}' must be one of ${values.join(', ')}`);
  return found;
}
