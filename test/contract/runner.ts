/**
 * Runs the checks in order against one plugin and collects a result per check: passed, failed (where and why) or
 * skipped (why).
 */
import { type Check, ContractFailure, Skip } from './check';
import { ALL_CHECKS, ALWAYS } from './checks';
import { ContractClient } from './client';
import { SuiteContext, type SuiteOptions } from './context';
import { ContractSpec } from './spec';

/** Groups whose checks run without a session (they test logging in, or its absence). */
const SESSIONLESS = new Set(['info', 'session', 'errors: sessions']);

export interface CheckResult {
  group: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  /** Why it was skipped, or what failed. */
  reason?: string;
  /** Where it failed: the endpoint, the HTTP status and the JSON path of the first mismatch. */
  endpoint?: string;
  httpStatus?: number;
  path?: string;
  notes?: string[];
}

export interface SuiteReport {
  plugin: { url: string; id?: string; name?: string; version?: string };
  array: string;
  serverId?: string;
  flags?: { supports: Record<string, boolean>; config: Record<string, boolean> };
  fixture: string;
  startedAt: string;
  durationMs: number;
  httpCalls: number;
  summary: { passed: number; failed: number; skipped: number };
  results: CheckResult[];
}

export async function runSuite(
  opts: SuiteOptions,
  checks: Check[] = ALL_CHECKS,
  onResult?: (r: CheckResult) => void,
): Promise<SuiteReport> {
  const known = new Set(checks.map((c) => c.group));
  const unknown = (opts.only ?? []).filter((g) => !known.has(g));
  if (unknown.length)
    throw new Error(`unknown group(s) ${unknown.join(', ')}; the groups are: ${[...known].join(', ')}`);
  const started = Date.now();
  const spec = new ContractSpec();
  const api = new ContractClient(opts.url, spec, opts.timeoutMs);
  const ctx = new SuiteContext(api, opts);
  const results: CheckResult[] = [];
  const selected = opts.only?.length
    ? checks.filter((c) => ALWAYS.has(c.group) || opts.only!.includes(c.group))
    : checks;
  try {
    for (const check of selected) {
      ctx.notes = [];
      const t0 = Date.now();
      const result: CheckResult = { group: check.group, name: check.name, status: 'passed', ms: 0 };
      try {
        // Everything past logging in needs the session; without one, say so rather than fail with 401s.
        if (!SESSIONLESS.has(check.group)) void ctx.sid;
        await check.run(ctx);
      } catch (err) {
        if (err instanceof Skip) {
          result.status = 'skipped';
          result.reason = err.message;
        } else if (err instanceof ContractFailure) {
          Object.assign(result, {
            status: 'failed',
            reason: err.message,
            endpoint: err.endpoint,
            httpStatus: err.status,
            path: err.path,
          });
        } else {
          result.status = 'failed';
          result.reason = `the check itself broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        }
      }
      result.ms = Date.now() - t0;
      if (ctx.notes.length) result.notes = ctx.notes;
      results.push(result);
      onResult?.(result);
    }
  } finally {
    await Promise.allSettled([api.close(), ctx.ownsFixture ? ctx.fixture?.close() : undefined]);
  }
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  return {
    plugin: { url: opts.url, ...ctx.info },
    array: `${opts.array.host}:${opts.array.port}`,
    serverId: ctx.server?.id,
    flags: ctx.server ? { supports: ctx.server.supports, config: ctx.server.config } : undefined,
    fixture: ctx.fixtureNote,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    httpCalls: api.calls,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    results,
  };
}
