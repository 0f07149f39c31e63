/**
 * ONTAP REST wire client: Basic auth, the collection envelope and `_links.next`, jobs polled to their end with a bound,
 * errors as OntapApiError.
 */
import { StorageError } from '../../src/domain/errors';
import type { Page } from '../../src/domain/types';
import { ArrayClient } from '../shared/array-client';
import { type CursorScope, pageByCursor } from '../shared/cursors';
import { type ArrayWire, until } from '../shared/http';
import { OntapApiError, isNotFound } from './errors';
import type { OntapCollection, OntapJob, OntapMutation } from './types';

/** Where and as whom the client calls the cluster management LIF (the API lives under /api of the origin). */
export interface OntapClientOptions extends ArrayWire {
  /** How long a mutation may wait for its job to end, ms. @default timeoutMs */
  jobTimeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `href` with some query parameters replaced (`null` removes one); the rest, the cursor above all,
 * stays as the cluster wrote it.
 */
export function withParams(href: string, params: Record<string, string | number | boolean | undefined | null>): string {
  const url = new URL(href, 'http://cluster');
  for (const [k, v] of Object.entries(params)) {
    if (v === null) url.searchParams.delete(k);
    else if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url.pathname + url.search;
}

export class OntapClient extends ArrayClient {
  /** Where walks of this cluster's collections remember their cursors (each collection and filter its own). */
  cursors?: CursorScope;
  /** Told when this client changes something on the cluster (the per-array caches drop what they hold). */
  onChange?: () => void;

  constructor(private readonly opts: OntapClientOptions) {
    super(opts);
  }

  /** One record (`GET /api/<path>`). */
  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>('GET', withParams(`/api${path}`, query));
  }

  /** One page of a collection, as the cluster cut it. */
  list<T>(path: string, query: Query = {}): Promise<OntapCollection<T>> {
    return this.call<OntapCollection<T>>('GET', withParams(`/api${path}`, query));
  }

  /** Every record, following `_links.next` verbatim (the cluster may cut pages short of max_records). */
  async all<T>(path: string, query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    let href: string | undefined = withParams(`/api${path}`, query);
    while (href) {
      const c: OntapCollection<T> = await this.call<OntapCollection<T>>('GET', href);
      out.push(...(c.records ?? []));
      href = c._links?.next?.href;
    }
    return out;
  }

  /** How many records match (`return_records=false`), without reading them. */
  async count(path: string, query: Query = {}): Promise<number> {
    return (await this.list(path, { ...query, return_records: false })).num_records ?? 0;
  }

  /**
   * A CDM page (`start`, `limit`) read server-side by cursor (plugins/shared/cursors.ts): the cursor of an offset is
   * the `_links.next` href the cluster wrote where the previous page ended (records in the cluster's creation order),
   * followed verbatim with only `max_records` and `fields` set. An offset nobody left a cursor for is reached by
   * walking the records before it with only their `keyField`. (A cluster honours max_records; pages may come
   * shorter, never longer.)
   */
  page<T>(path: string, query: Query & { fields: string }, page: Page, keyField = 'uuid'): Promise<T[]> {
    const first = withParams(`/api${path}`, query);
    const scope = this.cursors && {
      store: this.cursors.store,
      key: `${this.cursors.key}:${encodeURIComponent(first)}`,
    };
    return pageByCursor<T>(scope, page, async (cursor, n, keysOnly) => {
      const href = withParams(cursor ?? first, {
        max_records: Number.isFinite(n) ? n : null,
        fields: keysOnly ? keyField : query.fields,
      });
      const c: OntapCollection<T> = await this.call<OntapCollection<T>>('GET', href);
      const next = c._links?.next?.href;
      return { items: c.records ?? [], next: next && withParams(next, { max_records: null, fields: null }) };
    });
  }

  post<T = unknown>(path: string, body: unknown, query: Query = {}): Promise<OntapMutation<T>> {
    return this.mutate<T>('POST', path, body, { return_records: true, ...query });
  }

  patch(path: string, body: unknown, query: Query = {}): Promise<OntapMutation> {
    return this.mutate('PATCH', path, body, query);
  }

  delete(path: string, query: Query = {}): Promise<OntapMutation> {
    return this.mutate('DELETE', path, undefined, query);
  }

  /**
   * A mutation: asks the cluster to wait a little (`return_timeout`) and, when it answers 202,
   * polls the job until it succeeds, fails (its error is thrown) or runs past the job budget.
   */
  private async mutate<T>(method: Method, path: string, body: unknown, query: Query): Promise<OntapMutation<T>> {
    this.onChange?.();
    try {
      return await this.mutateOnce<T>(method, path, body, query);
    } finally {
      this.onChange?.();
    }
  }

  private async mutateOnce<T>(method: Method, path: string, body: unknown, query: Query): Promise<OntapMutation<T>> {
    const wait = Math.max(0, Math.min(5, Math.floor(this.opts.timeoutMs / 2000)));
    const { status, body: answer } = await this.exchangeJson<OntapMutation<T>>(
      method,
      withParams(`/api${path}`, { return_timeout: wait, ...query }),
      body,
    );
    // 202: the job is still queued or running when the cluster answered.
    if (status === 202 && answer?.job?.uuid) await this.awaitJob(answer.job.uuid);
    return answer ?? {};
  }

  async awaitJob(uuid: string): Promise<OntapJob> {
    const started = Date.now();
    const deadline = until(this.opts.jobTimeoutMs ?? this.opts.timeoutMs, this.deadline);
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const job = await this.get<OntapJob>(`/cluster/jobs/${encodeURIComponent(uuid)}`, {
        fields: 'uuid,state,message,code,error',
      }).catch((err: unknown) => {
        // A job the cluster no longer knows (it restarted) says nothing about the object it worked on.
        if (isNotFound(err))
          throw new StorageError(
            'BACKEND_ERROR',
            `the array lost track of job ${uuid}; the outcome of the operation is unknown`,
          );
        throw err;
      });
      if (job.state === 'success') return job;
      if (job.state === 'failure') {
        const code = job.error?.code ?? String(job.code ?? '');
        throw new OntapApiError(0, code, job.error?.message ?? job.message ?? 'job failed', job.error?.target, uuid);
      }
      if (Date.now() + delay > deadline) {
        throw new StorageError(
          'BACKEND_TIMEOUT',
          `the array's job ${uuid} is still ${job.state ?? 'running'} after ${Date.now() - started} ms`,
        );
      }
      await sleep(delay);
    }
  }

  private async call<T>(method: Method, href: string, body?: unknown): Promise<T> {
    return (await this.exchangeJson<T>(method, href, body)).body;
  }

  private async exchangeJson<T>(method: Method, href: string, body?: unknown): Promise<{ status: number; body: T }> {
    const url = new URL(href, this.origin);
    const answer = await this.exchange(method, url.toString(), body, { retry: method === 'GET' });
    const parsed = this.json(method, url.pathname, answer);
    if (answer.status >= 200 && answer.status < 300) return { status: answer.status, body: parsed as T };
    const err = (parsed as { error?: { code?: string | number; message?: string; target?: string } }).error;
    throw new OntapApiError(
      answer.status,
      String(err?.code ?? ''),
      err?.message ?? `HTTP ${answer.status}`,
      err?.target,
    );
  }
}
