/**
 * Prometheus metrics (prom-client), one registry per app: requests by route template, array calls by vendor
 * operation, Redis errors, sessions, lock conflicts and create waits, and the process's own metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { ArrayCallEvent } from './backend';

/** Latency buckets in seconds: a cached read answers in a millisecond, a slow array call in tens of seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new Registry();
  /** Its `_count` is the number of requests answered: no separate counter is kept on the hot path. */
  private readonly requestSeconds = new Histogram({
    name: 'cdm_plugin_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (its _count: requests answered), by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly arrayCalls = new Counter({
    name: 'cdm_plugin_array_calls_total',
    help: 'Calls to arrays, by backend, vendor operation and outcome (ok, http_4xx, http_5xx, timeout, unreachable, transport)',
    labelNames: ['backend', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly arraySeconds = new Histogram({
    name: 'cdm_plugin_array_call_duration_seconds',
    help: 'Time of one call to an array, by backend and vendor operation',
    labelNames: ['backend', 'operation'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly redisErrors = new Counter({
    name: 'cdm_plugin_redis_errors_total',
    help: 'Redis failures: commands a request needed that failed, and connection errors',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly lockConflicts = new Counter({
    name: 'cdm_plugin_lock_conflicts_total',
    help: 'Changes refused at once (409) because another operation held the object',
    registers: [this.registry],
  });
  private readonly createWaits = new Counter({
    name: 'cdm_plugin_create_waits_total',
    help: 'Repeated creates that waited for an identical create still running',
    registers: [this.registry],
  });

  private readonly backend: string;

  constructor(opts: { backend: string; activeSessions?: () => Promise<number | undefined> }) {
    this.backend = opts.backend;
    collectDefaultMetrics({ register: this.registry, prefix: 'cdm_plugin_' });
    const count = opts.activeSessions;
    if (count) {
      new Gauge({
        name: 'cdm_plugin_sessions_active',
        help: 'Sessions held in the session store (sampled when scraped)',
        registers: [this.registry],
        async collect() {
          const n = await count().catch(() => undefined);
          if (n !== undefined) this.set(n);
        },
      });
    }
  }

  /** One histogram child per route, method and status, looked up by one string instead of hashing labels each time. */
  private readonly requestChildren = new Map<string, { observe(v: number): void }>();

  request(route: string, method: string, status: number, seconds: number): void {
    const key = `${route} ${method} ${status}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = this.requestSeconds.labels(route, method, String(status));
      this.requestChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** The children of one vendor operation and outcome, looked up by one string (prom-client hashes labels per call). */
  private readonly callChildren = new Map<string, { count: { inc(): void }; seconds: { observe(v: number): void } }>();

  /** The observer the array clients call (BackendOptions.observeCall). */
  arrayCall = (e: ArrayCallEvent): void => {
    const key = `${e.operation} ${e.outcome}`;
    let child = this.callChildren.get(key);
    if (!child) {
      child = {
        count: this.arrayCalls.labels(this.backend, e.operation, e.outcome),
        seconds: this.arraySeconds.labels(this.backend, e.operation),
      };
      this.callChildren.set(key, child);
    }
    child.count.inc();
    child.seconds.observe(e.seconds);
  };

  // Arrow functions: they are handed out as callbacks.
  redisError = (kind: 'command' | 'connection'): void => {
    this.redisErrors.inc({ kind });
  };

  lockConflict = (): void => {
    this.lockConflicts.inc();
  };

  createWaited = (): void => {
    this.createWaits.inc();
  };

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
