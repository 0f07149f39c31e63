// Test helpers: an Element simulator on port 0 and a raw JSON-RPC caller over real HTTP (undici), no mocks.
import { Agent, request } from 'undici';
import { type ElementSimulatorOptions, type RunningElementSimulator, startElementSimulator } from '../../plugins/element/simulator/server';

/** Answers are whatever the wire says; tests assert them field by field. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;
export const ADMIN = { user: 'admin', password: 'simulator' };

export interface RpcReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Json;
}

export interface RpcOptions {
  version?: string;
  /** `null` sends no Authorization header. */
  auth?: { user: string; password: string } | null;
  /** Raw body sent as is (no Content-Type unless given). */
  raw?: string;
  headers?: Record<string, string>;
  id?: unknown;
}

export interface Sim extends RunningElementSimulator {
  rpc(method: string, params?: object, opts?: RpcOptions): Promise<RpcReply>;
  /** The result; fails the test on an error answer. */
  ok(method: string, params?: object): Promise<Json>;
  /** The error member; fails the test on a result. */
  err(method: string, params?: object): Promise<{ code: number; name: string; message: string }>;
  sim(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: Buffer | object): Promise<{ status: number; body: Buffer; json: Json }>;
  write(volumeID: number, data: Buffer, offset?: number): Promise<void>;
  read(volumeID: number): Promise<Buffer>;
  readSnapshot(snapshotID: number): Promise<Buffer>;
  /** A volume of the test account, with content when given. */
  volume(name: string, sizeBytes?: number, content?: Buffer): Promise<number>;
}

const basic = (a: { user: string; password: string }) => `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;

export async function startSim(options: ElementSimulatorOptions = {}): Promise<Sim> {
  const running = await startElementSimulator({ port: 0, demo: false, ...options, settings: { cloneMinMs: 200, ...options.settings } });
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  let accountID: number | undefined;
  const rpc = async (method: string, params: object = {}, opts: RpcOptions = {}): Promise<RpcReply> => {
    const auth = opts.auth === undefined ? ADMIN : opts.auth;
    const headers: Record<string, string> = { ...(auth ? { authorization: basic(auth) } : {}), ...opts.headers };
    const body = opts.raw ?? JSON.stringify(opts.id === undefined ? { method, params, id: 1 } : { method, params, id: opts.id });
    const res = await request(`${running.url}/json-rpc/${opts.version ?? '12.3'}`, { method: 'POST', headers, body, dispatcher });
    const text = await res.body.text();
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, text, body: parsed };
  };
  const ok = async (method: string, params?: object) => {
    const r = await rpc(method, params);
    if (r.status !== 200 || r.body?.error || r.body?.result === undefined) throw new Error(`${method} failed: ${r.status} ${r.text}`);
    return r.body.result;
  };
  const err = async (method: string, params?: object) => {
    const r = await rpc(method, params);
    if (r.status !== 200 || !r.body?.error) throw new Error(`${method} was expected to fail: ${r.status} ${r.text}`);
    return r.body.error;
  };
  const sim = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: Buffer | object) => {
    const res = await request(`${running.url}/sim${path}`, {
      method,
      dispatcher,
      headers: { authorization: basic(ADMIN) },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const buf = Buffer.from(await res.body.arrayBuffer());
    let json: Json;
    try {
      json = JSON.parse(buf.toString());
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, body: buf, json };
  };
  const must = async (method: 'GET' | 'PUT', path: string, body?: Buffer) => {
    const r = await sim(method, path, body);
    if (r.status !== 200) throw new Error(`${method} /sim${path}: ${r.status} ${r.body.toString()}`);
    return r.body;
  };
  return {
    ...running,
    rpc,
    ok,
    err,
    sim,
    write: async (id, data, offset = 0) => void (await must('PUT', `/volume/${id}/data?offset=${offset}`, data)),
    read: (id) => must('GET', `/volume/${id}/data`),
    readSnapshot: (id) => must('GET', `/snapshot/${id}/data`),
    async volume(name, sizeBytes = 16 * MiB, content) {
      accountID ??= (await ok('AddAccount', { username: `tenant-${running.port}` })).accountID;
      const id = (await ok('CreateVolume', { name, accountID, totalSize: sizeBytes, enable512e: true })).volumeID as number;
      if (content) await must('PUT', `/volume/${id}/data`, content);
      return id;
    },
    close: async () => {
      await dispatcher.close();
      await running.close();
    },
  };
}

/** Distinct, recognisable bytes. */
export const fill = (length: number, tag: string): Buffer => Buffer.from(`${tag}:`.repeat(Math.ceil(length / (tag.length + 1))).slice(0, length));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check returns a value, or throws after ms. */
export async function until<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await sleep(50);
  }
}
