// Test helpers: a vSnap simulator on port 0 and a small client that calls it over real HTTP with undici.
import { Agent, request } from 'undici';
import {
  startVsnapSimulator,
  type RunningVsnapSimulator,
  type VsnapSimulatorOptions,
} from '../../simulators/vsnap/server';

/** Response bodies are whatever the wire says; tests assert their shape field by field. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Reply {
  status: number;
  body: Json;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  /** `null` sends no Authorization header. */
  auth?: { user: string; password: string } | null;
  headers?: Record<string, string>;
  /** Raw body, sent as is (no JSON encoding, no Content-Type unless given). */
  raw?: Buffer | string;
  headersTimeout?: number;
}

export const ADMIN = { user: 'admin', password: 'simulator' };
export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const BLOCK = 4096;

const basic = (a: { user: string; password: string }): string =>
  `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;

export class TestSim {
  private readonly agent = new Agent({ keepAliveTimeout: 1000 });

  constructor(readonly sim: RunningVsnapSimulator) {}

  get url(): string {
    return this.sim.url;
  }

  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? ADMIN : options.auth;
    if (auth) headers.authorization = basic(auth);
    let payload: Buffer | string | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await request(`${this.url}${path}`, {
      method: method as 'GET',
      headers,
      body: payload,
      dispatcher: this.agent,
      headersTimeout: options.headersTimeout,
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const text = raw.toString('utf8');
    let parsed: Json;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, text, headers: res.headers };
  }

  get = (path: string, options?: CallOptions): Promise<Reply> => this.call('GET', path, undefined, options);
  post = (path: string, body?: unknown, options?: CallOptions): Promise<Reply> =>
    this.call('POST', path, body ?? {}, options);
  put = (path: string, body?: unknown, options?: CallOptions): Promise<Reply> =>
    this.call('PUT', path, body ?? {}, options);
  del = (path: string, options?: CallOptions): Promise<Reply> => this.call('DELETE', path, undefined, options);

  /** GET that must succeed: returns the body. */
  async ok(path: string): Promise<Json> {
    const reply = await this.get(path);
    if (reply.status !== 200) throw new Error(`GET ${path} -> ${reply.status} ${reply.text}`);
    return reply.body;
  }

  /** POST/PUT/DELETE that must succeed: returns the body. */
  async must(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Json> {
    const reply = await this.call(method, path, body ?? {});
    if (reply.status !== 200) throw new Error(`${method} ${path} -> ${reply.status} ${reply.text}`);
    return reply.body;
  }

  async write(volId: string, data: Buffer | string, offset?: number): Promise<Reply> {
    const query = offset === undefined ? '' : `?offset=${offset}`;
    return this.call('PUT', `/sim/volume/${volId}/data${query}`, undefined, { raw: data });
  }

  async read(kind: 'volume' | 'snapshot', id: string): Promise<Buffer> {
    const res = await request(`${this.url}/sim/${kind}/${id}/data`, {
      headers: { authorization: basic(ADMIN) },
      dispatcher: this.agent,
    });
    const data = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200) throw new Error(`read ${kind} ${id} -> ${res.statusCode} ${data.toString()}`);
    return data;
  }

  async createVolume(name: string, extra: Record<string, unknown> = {}): Promise<Json> {
    return this.must('POST', '/api/volume', { name, volume_type: 'filesystem', pool_id: '1', ...extra });
  }

  async createLun(name: string, size: number, extra: Record<string, unknown> = {}): Promise<Json> {
    return this.createVolume(name, { volume_type: 'lun', size_total: String(size), ...extra });
  }

  async snapshot(volId: string, name?: string): Promise<Json> {
    return this.must('POST', `/api/volume/${volId}/snapshot`, name === undefined ? {} : { name });
  }

  async pool(id = '1'): Promise<{ total: number; used: number; free: number }> {
    const p = await this.ok(`/api/pool/${id}`);
    return { total: Number(p.size_total), used: Number(p.size_used), free: Number(p.size_free) };
  }

  async close(): Promise<void> {
    await this.sim.close();
    await this.agent.close();
  }
}

/** Defaults to a clean system (one empty pool, no demo objects) so each test starts from a known state. */
export async function startTestSim(options: VsnapSimulatorOptions = {}): Promise<TestSim> {
  return new TestSim(await startVsnapSimulator({ port: 0, demo: false, ...options }));
}

/** Every vSnap error body: `{"error": {"message": string, "type": string}}`. */
export function expectError(reply: Reply, status: number, type: string): void {
  expect({ status: reply.status, type: reply.body?.error?.type }).toEqual({ status, type });
  expect(typeof reply.body.error.message).toBe('string');
  expect(reply.body.error.message.length).toBeGreaterThan(0);
}

export function fill(size: number, byte: number): Buffer {
  return Buffer.alloc(size, byte);
}
