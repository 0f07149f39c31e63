/**
 * Element JSON-RPC wire client: Basic auth, POST /json-rpc/<version>, HTTP status first, then the `error` member of a
 * 200.
 */
import type { Logger } from 'pino';
import { StorageError } from '../../src/domain/errors';
import { ArrayClient } from '../shared/array-client';
import type { ArrayWire } from '../shared/http';
import { ElementApiError, isRetryable } from './errors';

/** Where and as whom the client calls the cluster's management VIP (MVIP), and how it speaks. */
export interface ElementClientOptions extends ArrayWire {
  /** The API version to speak, resolved once (see api.ts negotiateVersion). */
  version: () => Promise<string>;
  /** Method names and timings at debug level; never params (they can carry CHAP secrets and pairing keys). */
  logger?: Logger;
}

export type Params = Record<string, unknown>;

/** Attempts for a call refused with a "try again" error (xDBVersionMismatch...), which never ran. */
const VENDOR_ATTEMPTS = 4;
/** A 502/503/504 (after send() retried a read): the cluster, or a proxy before it, is briefly unable to serve. */
const TRANSIENT_HTTP = new Set([502, 503, 504]);

/** Get* and List* calls change nothing: they may be sent again after a transport failure. */
export const isRead = (method: string): boolean => /^(Get|List)/.test(method);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Back-off before a call refused with "try again" is sent again: exponential, full jitter. */
const backoffMs = (attempt: number) => Math.random() * 100 * 2 ** attempt;

/**
 * One Element cluster's JSON-RPC endpoint. Method errors arrive as HTTP 200 with an `error` member;
 * only authentication failures change the status (to 401, with an HTML page).
 * What real clients do (the official SDK, the Cinder and Trident drivers) decides the details the API reference leaves
 * open.
 */
export class ElementClient extends ArrayClient {
  private nextId = 1;

  constructor(private readonly opts: ElementClientOptions) {
    super(opts);
  }

  /** Calls `method` on the negotiated version, or on `version` when given (version discovery uses 7.0). */
  async call<T>(method: string, params: Params = {}, version?: string): Promise<T> {
    const v = version ?? (await this.opts.version());
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        const result = await this.once<T>(method, params, v);
        this.opts.logger?.debug({ method, ms: Date.now() - started }, 'element call');
        return result;
      } catch (err) {
        this.opts.logger?.debug(
          { method, ms: Date.now() - started, error: (err as ElementApiError).errorName ?? (err as Error).message },
          'element call failed',
        );
        // A "try again" refusal never ran, so even a write is sent again, if the back-off fits the deadline.
        const pause = backoffMs(attempt);
        if (attempt < VENDOR_ATTEMPTS && isRetryable(err) && Date.now() + pause + 50 < (this.deadline ?? Infinity)) {
          await sleep(pause);
          continue;
        }
        throw err;
      }
    }
  }

  private async once<T>(method: string, params: Params, version: string): Promise<T> {
    const id = this.nextId++;
    const url = `${this.origin}/json-rpc/${version}`;
    // Only reads are sent again after a dropped connection or a 502/503/504: a create that reached the cluster must not
    // run twice.
    const answer = await this.exchange(
      'POST',
      url,
      { method, params, id },
      { retry: isRead(method), operation: method },
    );
    // Element answers a bad login with 401 and an HTML page: the status decides before any parsing.
    if (answer.status === 401) throw new StorageError('UNAUTHORIZED', 'the array refused the credentials');
    if (answer.status === 403) throw new StorageError('FORBIDDEN', `the array refused ${method} for this user`);
    const body = parse(answer.text);
    if (answer.status !== 200) {
      const named = body?.error?.name ? ` ${body.error.name}: ${body.error.message ?? ''}` : '';
      if (TRANSIENT_HTTP.has(answer.status)) {
        throw new StorageError(
          'BACKEND_UNAVAILABLE',
          `the array answered ${method} with HTTP ${answer.status}${named}`,
          { retryAfter: 5 },
        );
      }
      throw new StorageError('BACKEND_ERROR', `the array answered ${method} with HTTP ${answer.status}${named}`);
    }
    if (!body) throw new StorageError('BACKEND_ERROR', `the array answered ${method} with a body that is not JSON-RPC`);
    if (body.id !== undefined && body.id !== null && body.id !== id) {
      throw new StorageError('BACKEND_ERROR', `the array answered ${method} for request ${String(body.id)}, not ${id}`);
    }
    if (body.error)
      throw new ElementApiError(body.error.name ?? 'xUnknown', body.error.message ?? 'no message', body.error.code);
    if (body.result === undefined)
      throw new StorageError('BACKEND_ERROR', `the array answered ${method} with neither result nor error`);
    return body.result as T;
  }
}

interface RpcAnswer {
  id?: unknown;
  result?: unknown;
  error?: { name?: string; message?: string; code?: number };
}

function parse(text: string): RpcAnswer | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as RpcAnswer) : undefined;
  } catch {
    return undefined;
  }
}
