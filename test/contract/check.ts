/**
 * The vocabulary of a check: how it fails (naming the endpoint, status and JSON path), how it skips (with a reason),
 * and its assertions.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Answer } from './client';
import type { SuiteContext } from './context';

export interface Check {
  /** The resource the check is about; the report groups by it. */
  group: string;
  /** What the check proves, read as a sentence. */
  name: string;
  run(ctx: SuiteContext): Promise<void>;
}

/** A check that cannot run here; the reason goes into the report. */
export class Skip extends Error {}

/** A departure from the contract, located as precisely as the check can. */
export class ContractFailure extends Error {
  constructor(
    message: string,
    readonly endpoint?: string,
    readonly status?: number,
    readonly path?: string,
  ) {
    super(message);
  }
}

export function skip(reason: string): never {
  throw new Skip(reason);
}

export function fail(message: string, res?: Answer, path?: string): never {
  throw new ContractFailure(message, res?.endpoint, res?.status, path);
}

export function ok(cond: unknown, message: string, res?: Answer, path?: string): asserts cond {
  if (!cond) fail(message, res, path);
}

/** A short rendering of a body for messages. */
export function brief(res: Answer): string {
  const t = res.text.length > 300 ? `${res.text.slice(0, 300)}...` : res.text;
  return t ? ` ${t}` : '';
}

export function expectStatus(res: Answer, ...codes: number[]): void {
  if (!codes.includes(res.status))
    fail(`expected ${codes.join(' or ')}, got ${res.status}${brief(res)}`, res, 'status');
}

/** The documented error: this status and this stable `type` in the spec's Error body (already schema-checked). */
export function expectError(res: Answer, status: number, type: string | string[]): void {
  const types = Array.isArray(type) ? type : [type];
  expectStatus(res, status);
  const got = (res.json as { error?: { type?: string } } | undefined)?.error?.type;
  ok(types.includes(got ?? ''), `expected error type ${types.join(' or ')}, got ${got}`, res, '$.error.type');
}

export function isUnsupported(res: Answer): boolean {
  return res.status === 501 && (res.json as { error?: { type?: string } } | undefined)?.error?.type === 'UNSUPPORTED';
}

export function expectUnsupported(res: Answer, why: string): void {
  if (!isUnsupported(res))
    fail(
      `${why}, so this must answer 501 UNSUPPORTED; got ${res.status}${brief(res)}`,
      res,
      res.status === 501 ? '$.error.type' : 'status',
    );
}

/** Epoch milliseconds, as the spec says (seconds would read as January 1970): after 2000, and not in the future. */
export function expectEpochMillis(value: number, res: Answer | undefined, path: string): void {
  ok(
    value > Date.UTC(2000, 0, 1) && value < Date.now() + 24 * 3600_000,
    `${value} is not a time in epoch milliseconds`,
    res,
    path,
  );
}

/** The JSON path of the first difference between two values, or undefined when they are equal. */
export function firstDifference(actual: unknown, expected: unknown, at = '$'): string | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `${at}.length`;
    for (let i = 0; i < actual.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${at}[${i}]`);
      if (d) return d;
    }
  }
  if (
    actual &&
    expected &&
    typeof actual === 'object' &&
    typeof expected === 'object' &&
    !Array.isArray(actual) &&
    !Array.isArray(expected)
  ) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const k of keys) {
      const d = firstDifference(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${at}.${k}`,
      );
      if (d) return d;
    }
  }
  return at;
}

const pick = (value: unknown, p: string): unknown =>
  p === '$'
    ? value
    : p
        .slice(2)
        .split(/\.|\[(\d+)\]/)
        .filter(Boolean)
        .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

/** Deep equality; the failure names the first path that differs and both values there. */
export function expectSame(actual: unknown, expected: unknown, what: string, res?: Answer, prefix = '$'): void {
  const d = firstDifference(actual, expected);
  if (!d) return;
  fail(
    `${what}: at ${d} got ${JSON.stringify(pick(actual, d))}, expected ${JSON.stringify(pick(expected, d))}`,
    res,
    d.replace(/^\$/, prefix),
  );
}

/** Polls until `probe` returns a value (not undefined), or fails with `what` after `ms`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
  every = 100,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) fail(`${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Builds a group's checks with less ceremony. */
export function group(name: string, checks: [string, (ctx: SuiteContext) => Promise<void>][]): Check[] {
  return checks.map(([title, run]) => ({ group: name, name: title, run }));
}
