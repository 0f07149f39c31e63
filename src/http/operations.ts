/**
 * What the person running the plugin reaches outside the CDM contract, with no session and no rate limit:
 * GET /healthz (the process answers), GET /readyz (what it depends on answers) and GET /metrics (Prometheus).
 */
import { timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
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

export function operationsRoutes(opts: OperationsOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const r = await readiness(opts.readiness);
    res
      .status(r.ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(
        r.ready ? { status: 'ready', checks: r.checks } : { status: 'not ready', failing: r.failing, checks: r.checks },
      );
  });
  if (opts.metrics) {
    const metrics = opts.metrics;
    const token = opts.metricsToken;
    const guard: RequestHandler = (req, res, next) => {
      if (!token) return next();
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (m && sameToken(m[1], token)) return next();
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      next(new StorageError('UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>'));
    };
    router.get('/metrics', guard, async (_req, res) => {
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.exposition());
    });
  }
  return router;
}

/** Counts every answer by the route template it matched (or `unmatched`), method and status. */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const method = req.method;
    res.on('finish', () => {
      const template = req.route?.path as string | undefined;
      const route = template ? `${req.baseUrl}${template}` : res.statusCode === 404 ? 'unmatched' : 'before routing';
      metrics.request(route, method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/**
 * A HEAD is served as its GET: the spec and the routes know GETs only, and Node sends no body for a HEAD whatever
 * the handler writes (it decided so when the request arrived).
 */
export const headAsGet: RequestHandler = (req, _res, next) => {
  if (req.method === 'HEAD') req.method = 'GET';
  next();
};
