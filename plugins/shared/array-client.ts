/**
 * What every vendor client shares: the array's origin, authentication on every call (HTTP Basic unless a client signs
 * its calls), JSON bodies, the call budget, reads retried and writes never re-sent.
 */
import { StorageError } from '../../src/domain/errors';
import { type ArrayWire, type HttpAnswer, type HttpCall, basicAuth, pathTemplate, send } from './http';

/** The path of an absolute URL the client built, without parsing it (this runs on every call when metrics are on). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

export class ArrayClient {
  private basic?: string;

  constructor(protected readonly wire: ArrayWire) {}

  get origin(): string {
    return this.wire.origin;
  }

  /** Epoch ms by which the request these calls serve must be answered; undefined without one. */
  get deadline(): number | undefined {
    return this.wire.call?.deadline;
  }

  /**
   * The headers that authenticate one call to `url`: HTTP Basic with the wire's account. A vendor that signs each
   * request instead overrides this (the only place its credentials meet the wire).
   */
  protected authHeaders(_method: string, _url: string): Record<string, string> {
    this.basic ??= basicAuth(this.wire.username, this.wire.password);
    return { authorization: this.basic };
  }

  /**
   * One exchange with the array: `body` is sent as JSON; `retry` marks a read, which may be sent again
   * after a dropped connection or a 502/503/504 answer, within the request's deadline (a write that reached the array
   * must never run twice); `collect` streams
   * a 2xx body (see send); `operation` names the vendor operation for metrics (default: method and path template).
   */
  protected exchange(
    method: HttpCall['method'],
    url: string,
    body: unknown,
    opts: { retry: boolean; collect?: HttpCall['collect']; operation?: string },
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...this.authHeaders(method, url), accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return send({
      method,
      url,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.wire.timeoutMs,
      deadline: this.wire.call?.deadline,
      dispatcher: this.wire.dispatcher,
      retries: opts.retry ? 2 : 0,
      collect: opts.collect,
      observe: this.wire.observe,
      operation: this.wire.observe ? (opts.operation ?? `${method} ${pathTemplate(pathOf(url))}`) : undefined,
    });
  }

  /** The answer's JSON (an empty body is `{}`); a body that is not JSON is the array failing. */
  protected json(method: string, path: string, answer: HttpAnswer): unknown {
    try {
      return answer.text === '' ? {} : JSON.parse(answer.text);
    } catch {
      throw new StorageError(
        'BACKEND_ERROR',
        `the array answered ${method} ${path} with a body that is not JSON (HTTP ${answer.status})`,
      );
    }
  }
}
