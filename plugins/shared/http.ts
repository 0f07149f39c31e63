/**
 * Wire plumbing shared by the vendor clients: a keep-alive undici pool, each call bounded by its own budget and by the
 * request's deadline, bounded retries of reads, transport errors as StorageError.
 */
import { Agent, type Dispatcher, request } from 'undici';
import type { ArrayCallEvent, ArrayCallOutcome, CallContext } from '../../src/backend';
import { StorageError } from '../../src/domain/errors';

export interface HttpPoolOptions {
  /** Time to open a TCP (and TLS) connection, ms. */
  connectTimeoutMs: number;
  /** Accept self-signed array certificates. */
  tlsInsecure: boolean;
  /** Sockets kept per array. @default 16 */
  connections?: number;
}

/** One keep-alive agent per driver: it pools sockets per array origin. */
export function createAgent(opts: HttpPoolOptions): Agent {
  return new Agent({
    connections: opts.connections ?? 16,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: opts.connectTimeoutMs, rejectUnauthorized: !opts.tlsInsecure },
  });
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher: Dispatcher;
  /**
   * Extra attempts for idempotent calls after a dropped connection or a 502/503/504 answer, within the deadline.
   * @default 0
   */
  retries?: number;
  /** Epoch ms by which the request this call serves must be answered (see CallContext.deadline). */
  deadline?: number;
  /**
   * For a 2xx answer, its body is streamed into a collector made for the attempt instead of read
   * into `text` (a fresh one per attempt, so a retried read never sees half an earlier body).
   */
  collect?: () => { push(chunk: Buffer): void };
  /** The vendor operation, for metrics (see pathTemplate). @default the HTTP method */
  operation?: string;
  /** Told of the call once it has ended, retries included. */
  observe?: (e: ArrayCallEvent) => void;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The collector that took the body, when `collect` was given and the answer was a 2xx. */
  collected?: { push(chunk: Buffer): void };
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);
/** TLS refusals of the array's certificate, which configuration can fix. */
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** Failures after which the same idempotent call may well succeed on a fresh socket. */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNREFUSED']);

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

/** A transport failure as the domain error CDM should see. */
export function transportError(err: unknown, origin: string): StorageError {
  const code = codeOf(err);
  if (code && TIMEOUT_CODES.has(code)) {
    return new StorageError('BACKEND_TIMEOUT', `the array at ${origin} did not answer in time`, { cause: err });
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new StorageError('BACKEND_UNAVAILABLE', `the array at ${origin} cannot be reached (${code})`, {
      cause: err,
      retryAfter: 5,
    });
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return new StorageError(
      'BACKEND_ERROR',
      `the array at ${origin} does not speak HTTPS on that port (${code}); for an array serving plain HTTP set ARRAY_SCHEME=http`,
      { cause: err },
    );
  }
  if (code && UNTRUSTED_CERT_CODES.has(code)) {
    return new StorageError(
      'BACKEND_ERROR',
      `the TLS certificate of the array at ${origin} is not trusted (${code}); install its CA (NODE_EXTRA_CA_CERTS) or, for a self-signed array certificate, set ARRAY_TLS_INSECURE=on`,
      { cause: err },
    );
  }
  return new StorageError(
    'BACKEND_ERROR',
    `the connection to the array at ${origin} failed (${code ?? (err as Error)?.message ?? 'unknown'})`,
    { cause: err },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers after which the same read may well succeed: a proxy or the array briefly unable to serve. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** The earlier of `ms` from now and the request's deadline: what a polling loop may wait for. */
export const until = (ms: number, deadline?: number): number => Math.min(Date.now() + ms, deadline ?? Infinity);

/** The request ran out of time: the answer CDM gets is a 504, whatever call was under way. */
export function deadlineError(origin: string, cause?: unknown): StorageError {
  return new StorageError(
    'BACKEND_TIMEOUT',
    `the request's time (REQUEST_TIMEOUT_MS) ran out waiting for the array at ${origin}`,
    { cause },
  );
}

/** Back-off before attempt `attempt + 1`: exponential, full jitter (100, 200, 400 ms at most). */
const backoffMs = (attempt: number) => Math.random() * 100 * 2 ** attempt;

/** How a failed call ended, for metrics. */
function outcomeOf(err: unknown): ArrayCallOutcome {
  const code = err instanceof StorageError ? err.code : undefined;
  if (code === 'BACKEND_TIMEOUT') return 'timeout';
  if (code === 'BACKEND_UNAVAILABLE') return 'unreachable';
  return 'transport';
}

/** Sends one HTTP call and reads the whole answer; never hangs past timeoutMs. The call's observer hears how it ended. */
export async function send(call: HttpCall): Promise<HttpAnswer> {
  const observe = call.observe;
  if (!observe) return exchange(call);
  const started = performance.now();
  const operation = call.operation ?? call.method;
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const answer = await exchange(call);
    const outcome = answer.status >= 500 ? 'http_5xx' : answer.status >= 400 ? 'http_4xx' : 'ok';
    observe({ operation, seconds: seconds(), outcome });
    return answer;
  } catch (err) {
    observe({ operation, seconds: seconds(), outcome: outcomeOf(err) });
    throw err;
  }
}

/**
 * A request path as a metrics label: ids (numbers, uuids, long hex) become `{id}` and everything after a `files`
 * segment `{path}`, so one vendor operation is one label whatever object it names.
 */
export function pathTemplate(pathname: string): string {
  const out: string[] = [];
  for (const seg of pathname.split('/')) {
    if (out[out.length - 1] === 'files') {
      out.push('{path}');
      break;
    }
    out.push(
      /^\d+$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{16,}$/i.test(seg) ? '{id}' : seg,
    );
  }
  return out.join('/');
}

async function exchange(call: HttpCall): Promise<HttpAnswer> {
  const origin = new URL(call.url).host;
  const attempts = 1 + (call.retries ?? 0);
  const deadline = call.deadline ?? Infinity;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    if (left <= 0) throw deadlineError(origin);
    // One timer, to the millisecond, for the whole exchange: the call's own budget or what is left of the request's,
    // whichever ends first. undici's own timers tick coarsely (about every half second), so they only back it up.
    const byDeadline = left < call.timeoutMs;
    const budget = Math.min(call.timeoutMs, left);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), budget);
    let retryable: unknown;
    try {
      const res = await request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body,
        dispatcher: call.dispatcher,
        headersTimeout: budget + 1000,
        bodyTimeout: budget + 1000,
        signal: abort.signal,
      });
      if (call.collect && res.statusCode >= 200 && res.statusCode < 300) {
        const collected = call.collect();
        for await (const chunk of res.body) collected.push(chunk as Buffer);
        return { status: res.statusCode, text: '', collected };
      }
      const answer = { status: res.statusCode, text: await res.body.text() };
      if (!(attempt < attempts && RETRYABLE_STATUSES.has(answer.status))) return answer;
      retryable = answer;
    } catch (err) {
      const code = codeOf(err);
      if (abort.signal.aborted || (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError') {
        if (byDeadline) throw deadlineError(origin, err);
        throw new StorageError('BACKEND_TIMEOUT', `the array at ${origin} did not answer in time`, { cause: err });
      }
      if (!(attempt < attempts && code && RETRYABLE_CODES.has(code))) throw transportError(err, origin);
      retryable = err;
    } finally {
      clearTimeout(timer);
    }
    // Sent again only if the back-off and a little of the next attempt still fit before the deadline; else the
    // last answer (or failure) is the answer.
    const pause = backoffMs(attempt);
    if (Date.now() + pause + 50 >= deadline) {
      if (retryable instanceof Error) throw transportError(retryable, origin);
      return retryable as HttpAnswer;
    }
    await sleep(pause);
  }
}

/** `scheme://host:port` of an array, with IPv6 literals bracketed. */
export function originOf(scheme: string, host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** What every vendor client needs to reach one array with one account. */
export interface ArrayWire {
  origin: string;
  username: string;
  password: string;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Told of every call once it has ended (metrics). */
  observe?: (e: ArrayCallEvent) => void;
  /** The request the calls are made for. */
  call?: CallContext;
}

/**
 * A driver's keep-alive agent and, per session, where and how its vendor client calls the array:
 * the address CDM named (IP before hostname), the port or the backend's default.
 */
export function arrayWires(
  options: HttpPoolOptions & { scheme: string; timeoutMs: number; observeCall?: (e: ArrayCallEvent) => void },
  defaultPort: number,
) {
  const agent = createAgent(options);
  return {
    agent,
    wire: (
      target: { hostname?: string; ipAddress?: string; port?: number },
      creds: { username: string; password: string },
      call?: CallContext,
    ): ArrayWire => ({
      origin: originOf(options.scheme, target.ipAddress ?? target.hostname ?? '', target.port ?? defaultPort),
      username: creds.username,
      password: creds.password,
      dispatcher: agent,
      timeoutMs: options.timeoutMs,
      observe: options.observeCall,
      call,
    }),
  };
}
