/** HTTP to the plugin under test (undici), with every answer checked against the spec before a check sees it. */
import { Agent, request } from 'undici';
import { ContractFailure } from './check';
import type { ContractSpec } from './spec';

export const SESSION_HEADER = 'x-storageplugin-sessionid';

/** One answer of the plugin, as checks use it. */
export interface Answer {
  /** `METHOD /path?query` under the API base: how the report names the endpoint. */
  endpoint: string;
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

export interface CallOptions {
  /** A JSON body (serialized here), or a raw string sent as is. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  /** @default 'application/json' */
  accept?: string;
  /** The session id; undefined uses the client's current session, null sends none. */
  session?: string | null;
  headers?: Record<string, string>;
}

export class ContractClient {
  /** The session every call carries unless told otherwise. */
  sid?: string;
  calls = 0;
  private readonly base: URL;
  private readonly dispatcher = new Agent({ keepAliveTimeout: 2000, connections: 8 });

  constructor(
    baseUrl: string,
    readonly spec: ContractSpec,
    private readonly timeoutMs = 60_000,
  ) {
    this.base = new URL(baseUrl.replace(/\/+$/, ''));
  }

  /** The API base path (e.g. /storageplugin/api), to compare Location headers with. */
  get basePath(): string {
    return this.base.pathname;
  }

  /** A path under the API base from an absolute or relative URL the plugin gave (a Location header). */
  relative(location: string): string | undefined {
    const u = new URL(location, this.base);
    if (u.origin !== this.base.origin || !u.pathname.startsWith(`${this.base.pathname}/`)) return undefined;
    return u.pathname.slice(this.base.pathname.length) + u.search;
  }

  get = (path: string, o: CallOptions = {}) => this.call('GET', path, o);
  post = (path: string, body?: unknown, o: CallOptions = {}) => this.call('POST', path, { ...o, body });
  del = (path: string, o: CallOptions = {}) => this.call('DELETE', path, o);

  async call(method: string, path: string, o: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: o.accept ?? 'application/json', ...o.headers };
    const session = o.session === undefined ? this.sid : o.session;
    if (session) headers[SESSION_HEADER] = session;
    let body: string | undefined = o.raw;
    if (body === undefined && o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    const endpoint = `${method} ${path}`;
    const send = async () => {
      this.calls++;
      try {
        return await request(`${this.base.href}${path}`, {
          method: method as 'GET',
          headers,
          body,
          dispatcher: this.dispatcher,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (err) {
        throw new ContractFailure(`no answer: ${err instanceof Error ? err.message : String(err)}`, endpoint);
      }
    };
    let res = await send();
    const retryAfter = Number(res.headers['retry-after']);
    if (res.statusCode === 429 && retryAfter > 0 && retryAfter <= 60) {
      // Rate limited (POST /session is, per client address): wait as told, once, as a CDM server would.
      await res.body.dump();
      process.stderr.write(`${endpoint}: rate limited, retrying in ${retryAfter} s\n`);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      res = await send();
    }
    const raw = Buffer.from(await res.body.arrayBuffer());
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const text = /json|text/.test(flat['content-type'] ?? '')
      ? raw.toString('utf8')
      : raw.length
        ? `<${raw.length} bytes of ${flat['content-type'] ?? 'unknown type'}>`
        : '';
    let json: unknown;
    if (/json/.test(flat['content-type'] ?? '')) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const answer: Answer = { endpoint, status: res.statusCode, headers: flat, raw, text, json };
    const [p, q = ''] = path.split('?');
    const mismatch = this.spec.check({
      method,
      path: p,
      query: new URLSearchParams(q),
      status: res.statusCode,
      headers: flat,
      raw,
    });
    if (mismatch) {
      throw new ContractFailure(
        `the answer does not match the spec: ${mismatch.path} ${mismatch.message}`,
        endpoint,
        res.statusCode,
        mismatch.path,
      );
    }
    return answer;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
