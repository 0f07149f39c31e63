/**
 * What the person running the plugin reaches outside the CDM contract, with no session and no rate limit:
 * GET /healthz (the process answers), GET /readyz (what it depends on answers) and GET /metrics (Prometheus).
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StorageError } from '../domain/errors';
import type { Metrics } from '../metrics';

/** One dependency readiness waits for: Redis, the embedded simulator. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (with why) when it does not. */
  check(): Promise<void>;
}

/** Longest a readiness probe waits for one dependency: a load balancer's probe must not hang. */
const CHECK_TIMEOUT_MS = 1000;

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function readiness(checks: ReadinessCheck[]) {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await within(CHECK_TIMEOUT_MS, c.check());
        return [c.name, { ok: true }] as const;
      } catch (err) {
        return [c.name, { ok: false, message: (err as Error).message || String(err) }] as const;
      }
    }),
  );
  const failing = results.filter(([, r]) => !r.ok).map(([name]) => name);
  return { ready: failing.length === 0, failing, checks: Object.fromEntries(results) };
}

/** Equal strings in constant time (a token compared byte by byte would leak its prefix through timing). */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface OperationsOptions {
  readiness: ReadinessCheck[];
  /** Unset: no /metrics (METRICS=off). */
  metrics?: Metrics;
  /** Bearer token /metrics requires (METRICS_TOKEN); open when unset. */
  metricsToken?: string;
}

/**
 * GET /healthz, /readyz and /metrics as one middleware: one table lookup, where three routes would cost every other
 * request three dispatches.
 */
export function operationsRoutes(opts: OperationsOptions): RequestHandler {
  const table: Record<string, RequestHandler> = {
    '/healthz': (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    },
    '/readyz': async (_req, res) => {
      const r = await readiness(opts.readiness);
      res
        .status(r.ready ? 200 : 503)
        .set('Cache-Control', 'no-store')
        .json(
          r.ready
            ? { status: 'ready', checks: r.checks }
            : { status: 'not ready', failing: r.failing, checks: r.checks },
        );
    },
  };
  const metrics = opts.metrics;
  if (metrics) {
    const token = opts.metricsToken;
    table['/metrics'] = async (req, res, next) => {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (token && !(m && sameToken(m[1], token))) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        return next(new StorageError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>'));
      }
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.exposition());
    };
  }
  return (req, res, next) => {
    const handler = req.method === 'GET' ? table[req.path] : undefined;
    if (!handler) return next();
    return handler(req, res, next);
  };
}
