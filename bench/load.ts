/** One load run with autocannon on loopback: requests per second and latency percentiles. */
import autocannon from 'autocannon';
import { cpuMs } from './procs';

export interface LoadResult {
  rps: number;
  /** CPU time the server process spent per request, in microseconds (less sensitive to a busy machine than req/s). */
  cpuUsPerRequest?: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Seconds. */
  duration?: number;
  /** The server's pid, to measure its CPU time per request. */
  pid?: number;
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const cpuBefore = opts.pid ? cpuMs(opts.pid) : 0;
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: opts.body,
    connections: opts.connections ?? 10,
    duration: opts.duration ?? 5,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUsPerRequest:
      opts.pid && result.requests.total ? ((cpuMs(opts.pid) - cpuBefore) * 1000) / result.requests.total : undefined,
  };
}

/** A short warm-up so JIT and connection pools are hot before measuring. */
export const warm = (opts: LoadOptions) => load({ ...opts, duration: 1 });
