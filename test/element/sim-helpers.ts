// Test helpers: an Element simulator on port 0 and a raw JSON-RPC caller over real HTTP (undici), no mocks.
import { Agent, request } from 'undici';
import {
  type ElementSimulatorOptions,
  type RunningElementSimulator,
  startElementSimulator,
} from '../../simulators/element/server';

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
  sim(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    body?: Buffer | object,
  ): Promise<{ status: number; body: Buffer; json: Json }>;
  write(volumeID: number, data: Buffer, offset?: number): Promise<void>;
  read(volumeID: number): Promise<Buffer>;
  readSnapshot(snapshotID: number): Promise<Buffer>;
  /** A volume of the test account, with content when given. */
  volume(name: string, sizeBytes?: number, content?: Buffer): Promise<number>;
}

const basic = (a: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;

export async function startSim(options: ElementSimulatorOptions = {}): Promise<Sim> {
  const running = await startElementSimulator({
    port: 0,
    demo: false,
    ...options,
    settings: { cloneMinMs: 200, ...options.settings },
  });
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  let accountID: number | undefined;
  const rpc = async (method: string, params: object = {}, opts: RpcOptions = {}): Promise<RpcReply> => {
    const auth = opts.auth === undefined ? ADMIN : opts.auth;
    const headers: Record<string, string> = { ...(auth ? { authorization: basic(auth) } : {}), ...opts.headers };
    const body =
      opts.raw ?? JSON.stringify(opts.id === undefined ? { method, params, id: 1 } : { method, params, id: opts.id });
    const res = await request(`${running.url}/json-rpc/${opts.version ?? '12.3'}`, {
      method: 'POST',
      headers,
      body,
      dispatcher,
    });
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
    if (r.status !== 200 || r.body?.error || r.body?.result === undefined)
      throw new Error(`${method} failed: ${r.status} ${r.text}`);
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
      const id = (await ok('CreateVolume', { name, accountID, totalSize: sizeBytes, enable512e: true }))
        .volumeID as number;
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
export const fill = (length: number, tag: string): Buffer =>
  Buffer.from(`${tag}:`.repeat(Math.ceil(length / (tag.length + 1))).slice(0, length));

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

/** Decodes a pairing key (hex-encoded JSON, as Element makes them). */
export const decodeKey = (hex: string): Json => JSON.parse(Buffer.from(hex, 'hex').toString('utf8'));

/** StartClusterPairing on `a`, CompleteClusterPairing on `b`: answers both sides' clusterPairID. */
export async function pairClusters(a: Sim, b: Sim): Promise<{ a: number; b: number }> {
  const started = await a.ok('StartClusterPairing');
  const completed = await b.ok('CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
  return { a: started.clusterPairID, b: completed.clusterPairID };
}

/** Two fresh simulators, paired as clusters (`a` started the pairing, `b` completed it). */
export async function startPairedClusters(): Promise<{ a: Sim; b: Sim }> {
  const a = await startSim();
  const b = await startSim();
  await pairClusters(a, b);
  return { a, b };
}

/** A source volume on `a` with content, and its replica target on `b`, paired in `mode`. */
export async function pairVolumes(
  a: Sim,
  b: Sim,
  name: string,
  mode: 'Async' | 'Sync' | 'SnapshotsOnly',
  content?: Buffer,
  sizeBytes = 4 * MiB,
): Promise<{ source: number; target: number; uuid: string }> {
  const source = await a.volume(name, sizeBytes, content);
  const target = await b.volume(`${name}-replica`, sizeBytes);
  await b.ok('ModifyVolume', { volumeID: target, access: 'replicationTarget' });
  const { volumePairingKey } = await a.ok('StartVolumePairing', { volumeID: source, mode });
  await b.ok('CompleteVolumePairing', { volumeID: target, volumePairingKey });
  return { source, target, uuid: decodeKey(volumePairingKey).volumePairUUID };
}

/** The volume's entry of ListActivePairedVolumes' volumePairs. */
export async function pairOf(sim: Sim, volumeID: number): Promise<Json> {
  const v = (await sim.ok('ListActivePairedVolumes')).volumes.find(
    (x: { volumeID: number }) => x.volumeID === volumeID,
  );
  return v?.volumePairs[0];
}

/** The snapshot's remote status (first entry), as ListSnapshots shows it. */
export async function remoteStatus(sim: Sim, snapshotID: number): Promise<Json> {
  const [s] = (await sim.ok('ListSnapshots', { snapshotID })).snapshots;
  return s.remoteStatuses[0];
}

/** Waits until the snapshot's transfer has settled (Present or Unknown). */
export const settled = (sim: Sim, snapshotID: number, ms = 15_000) =>
  until(async () => {
    const r = await remoteStatus(sim, snapshotID);
    return r && ['Present', 'Unknown'].includes(r.remoteStatus) ? r : undefined;
  }, ms);

/** The snapshot named `name` on a volume. */
export async function snapshotNamed(sim: Sim, volumeID: number, name: string): Promise<Json> {
  return (await sim.ok('ListSnapshots', { volumeID })).snapshots.find((s: { name: string }) => s.name === name);
}
