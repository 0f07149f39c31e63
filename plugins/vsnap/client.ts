/** vSnap wire client: Basic auth on every call, JSON in and out, the {error: {type, message}} body as VsnapApiError. */
import type { Dispatcher } from 'undici';
import { StorageError } from '../../src/domain/errors';
import { type HttpAnswer, type HttpCall, basicAuth, send } from '../shared/http';
import { JsonPager, type PageOf } from '../shared/json-pager';
import { VsnapApiError } from './errors';

export interface VsnapClientOptions {
  /** `http(s)://host:port` of the appliance (its API lives under /api). */
  origin: string;
  username: string;
  password: string;
  dispatcher: Dispatcher;
  timeoutMs: number;
}

export type Query = Record<string, string | undefined>;

export class VsnapClient {
  private readonly auth: string;

  constructor(private readonly opts: VsnapClientOptions) {
    this.auth = basicAuth(opts.username, opts.password);
  }

  get origin(): string {
    return this.opts.origin;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('GET', path, undefined, query);
  }

  /**
   * One page of a list answer `{"<key>": [...]}`, read as it streams: only the page's elements are
   * parsed and kept (the vSnap API cannot page, and a full list of 100,000 volumes is ~25 MB of JSON).
   */
  async getPage<T>(path: string, key: string, start: number, end: number): Promise<PageOf<T>> {
    const url = this.url(path);
    const answer = await this.send('GET', url, undefined, () => new JsonPager<T>(key, start, end));
    if (answer.collected) {
      try {
        return (answer.collected as JsonPager<T>).result();
      } catch {
        throw new StorageError('BACKEND_ERROR', `the array answered GET ${url.pathname} with a body that is not a "${key}" list (HTTP ${answer.status})`);
      }
    }
    throw this.failure('GET', url, answer);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  delete<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('DELETE', path, undefined, query);
  }

  private async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, query?: Query): Promise<T> {
    const url = this.url(path, query);
    const answer = await this.send(method, url, body);
    const parsed = this.parse(method, url, answer);
    if (answer.status >= 200 && answer.status < 300) return parsed as T;
    throw this.failure(method, url, answer);
  }

  private url(path: string, query?: Query): URL {
    const url = new URL(`/api${path}`, this.opts.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  /** One exchange with the appliance's auth and budget; `collect` streams a 2xx body (see send). */
  private send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: URL, body?: unknown, collect?: HttpCall['collect']): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: this.auth, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return send({
      method,
      url: url.toString(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.opts.timeoutMs,
      dispatcher: this.opts.dispatcher,
      // Only reads are retried: a create that reached the array must not be sent twice.
      retries: method === 'GET' ? 2 : 0,
      collect,
    });
  }

  private parse(method: string, url: URL, answer: HttpAnswer): unknown {
    try {
      return answer.text === '' ? {} : JSON.parse(answer.text);
    } catch {
      throw new StorageError('BACKEND_ERROR', `the array answered ${method} ${url.pathname} with a body that is not JSON (HTTP ${answer.status})`);
    }
  }

  /** The vendor's error body of a failed call as a VsnapApiError. */
  private failure(method: string, url: URL, answer: HttpAnswer): Error {
    const err = (this.parse(method, url, answer) as { error?: { type?: string; message?: string } }).error;
    return new VsnapApiError(answer.status, err?.type ?? 'UnknownError', err?.message ?? `HTTP ${answer.status}`);
  }
}
