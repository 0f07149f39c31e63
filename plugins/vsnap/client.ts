/** vSnap wire client: Basic auth on every call, JSON in and out, the {error: {type, message}} body as VsnapApiError. */
import { StorageError } from '../../src/domain/errors';
import { ArrayClient } from '../shared/array-client';
import type { ArrayWire, HttpAnswer } from '../shared/http';
import { JsonPager, type PageOf } from '../shared/json-pager';
import { VsnapApiError } from './errors';

/** Where and as whom the client calls the appliance (its API lives under /api of the origin). */
export type VsnapClientOptions = ArrayWire;

export type Query = Record<string, string | undefined>;

export class VsnapClient extends ArrayClient {
  /** Told when this client changes something on the appliance (the per-appliance index is then read again). */
  onChange?: () => void;

  get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('GET', path, undefined, query);
  }

  /**
   * One page of a list answer `{"<key>": [...]}`, read as it streams: only the page's elements are
   * parsed and kept (the vSnap API cannot page, and a full list of 100,000 volumes is ~25 MB of JSON).
   */
  async getPage<T>(
    path: string,
    key: string,
    start: number,
    end: number,
    map?: (element: unknown) => T,
  ): Promise<PageOf<T>> {
    const url = this.url(path);
    const answer = await this.exchange('GET', url.toString(), undefined, {
      retry: true,
      collect: () => new JsonPager<T>(key, start, end, map),
    });
    if (answer.collected) {
      try {
        return (answer.collected as JsonPager<T>).result();
      } catch {
        throw new StorageError(
          'BACKEND_ERROR',
          `the array answered GET ${url.pathname} with a body that is not a "${key}" list (HTTP ${answer.status})`,
        );
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

  private async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    query?: Query,
  ): Promise<T> {
    const url = this.url(path, query);
    if (method !== 'GET') this.onChange?.();
    const answer = await this.exchange(method, url.toString(), body, { retry: method === 'GET' }).finally(() => {
      if (method !== 'GET') this.onChange?.();
    });
    const parsed = this.json(method, url.pathname, answer);
    if (answer.status >= 200 && answer.status < 300) return parsed as T;
    throw this.failure(method, url, answer);
  }

  private url(path: string, query?: Query): URL {
    const url = new URL(`/api${path}`, this.origin);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  /** The vendor's error body of a failed call as a VsnapApiError. */
  private failure(method: string, url: URL, answer: HttpAnswer): Error {
    const err = (this.json(method, url.pathname, answer) as { error?: { type?: string; message?: string } }).error;
    return new VsnapApiError(answer.status, err?.type ?? 'UnknownError', err?.message ?? `HTTP ${answer.status}`);
  }
}
