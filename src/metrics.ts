/**
 * Prometheus metrics (prom-client), one registry per app: requests by route template, array calls by vendor
 * operation, Redis errors, sessions, lock conflicts and create waits, and the process's own metrics.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

import type { ArrayCallEvent } from './backend';
import { type CounterSeries, type HistogramSeries, SeriesCounter, SeriesHistogram } from './metric-series';

/** Latency buckets in seconds: a cached read answers in a millisecond, a slow array call in tens of seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new Registry();
  // Requests and array calls are counted on every request: their series allocate nothing and hash nothing per call
  // (metric-series.ts); the rare events below use prom-client's own counters.
  /** Its `_count` is the number of requests answered: no separate counter is kept on the hot path. */
  private readonly requestSeconds = new SeriesHistogram(
    'cdm_plugin_http_request_duration_seconds',
    'Time to answer an HTTP request (its _count: requests answered), by route template, method and status',
    BUCKETS,
    this.registry,
  );
  private readonly arrayCalls = new SeriesCounter(
    'cdm_plugin_array_calls_total',
    'Calls to arrays, by backend, vendor operation and outcome (ok, http_4xx, http_5xx, timeout, unreachable, transport)',
    this.registry,
  );
  private readonly arraySeconds = new SeriesHistogram(
    'cdm_plugin_array_call_duration_seconds',
    'Time of one call to an array, by backend and vendor operation',
    BUCKETS,
    this.registry,
  );
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

  /** The request series by route, method and status: three map lookups, no key built. */
  private readonly requestSeries = new Map<string, Map<string, Map<number, HistogramSeries>>>();

  request(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.requestSeries.get(route);
    if (!byMethod) this.requestSeries.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      series = this.requestSeconds.labelled({ route, method, status: String(status) });
      byStatus.set(status, series);
    }
    series.observe(seconds);
  }

  /** The array call series by vendor operation (its latency) and outcome (its count). */
  private readonly callSeries = new Map<string, { seconds: HistogramSeries; outcomes: Map<string, CounterSeries> }>();

  /** The observer the array clients call (BackendOptions.observeCall). */
  arrayCall = (e: ArrayCallEvent): void => {
    let op = this.callSeries.get(e.operation);
    if (!op) {
      const labels = { backend: this.backend, operation: e.operation };
      op = { seconds: this.arraySeconds.labelled(labels), outcomes: new Map() };
      this.callSeries.set(e.operation, op);
    }
    let count = op.outcomes.get(e.outcome);
    if (!count) {
      count = this.arrayCalls.labelled({ backend: this.backend, operation: e.operation, outcome: e.outcome });
      op.outcomes.set(e.outcome, count);
    }
    count.inc();
    op.seconds.observe(e.seconds);
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
