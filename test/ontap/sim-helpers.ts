// Test helpers: an ONTAP simulator on port 0 and a small client that calls it over real HTTP(S) with undici.
import { Agent, request } from 'undici';
import {
  type OntapSimulatorOptions,
  type RunningOntapSimulator,
  startOntapSimulator,
} from '../../simulators/ontap/server';

/** Response bodies are whatever the wire says; tests assert their shape field by field. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Reply {
  status: number;
  body: Json;
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  /** `null` sends no Authorization header. */
  auth?: { user: string; password: string } | null;
  /** Raw body, sent as is with the given content type. */
  raw?: Buffer | string;
  contentType?: string;
  /** Talk TLS to the same port. */
  https?: boolean;
}

export const ADMIN = { user: 'admin', password: 'simulator' };
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

const basic = (a: { user: string; password: string }): string =>
  `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;

export class TestSim {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connect: { rejectUnauthorized: false } });

  constructor(readonly sim: RunningOntapSimulator) {}

  get url(): string {
    return this.sim.url;
  }

  get state() {
    return this.sim.context.state;
  }

  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? ADMIN : options.auth;
    if (auth) headers.authorization = basic(auth);
    let payload: Buffer | string | undefined = options.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const base = options.https ? this.sim.httpsUrl : this.sim.url;
    const res = await request(`${base}${path}`, {
      method: method as 'GET',
      headers,
      body: payload,
      dispatcher: this.agent,
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    let parsed: Json;
    try {
      parsed = raw.length ? JSON.parse(raw.toString()) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, raw, headers: res.headers };
  }

  get = (path: string, options?: CallOptions) => this.call('GET', path, undefined, options);
  post = (path: string, body?: unknown, options?: CallOptions) => this.call('POST', path, body, options);
  patch = (path: string, body?: unknown, options?: CallOptions) => this.call('PATCH', path, body, options);
  del = (path: string, options?: CallOptions) => this.call('DELETE', path, undefined, options);

  /** Polls a job to its end and answers its record. */
  async job(uuid: string): Promise<Json> {
    for (let i = 0; i < 500; i++) {
      const j = (await this.get(`/api/cluster/jobs/${uuid}`)).body;
      if (j.state === 'success' || j.state === 'failure') return j;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`job ${uuid} did not end`);
  }

  /** A mutation carried to its end: a direct answer, or the end of its job. Fails the test when it fails. */
  async done(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Reply> {
    const res = await this.call(method, path, body);
    if (res.status === 202) {
      const job = await this.job(res.body.job.uuid);
      if (job.state !== 'success') throw new Error(`${method} ${path}: job failed: ${JSON.stringify(job)}`);
    } else if (res.status >= 300) {
      throw new Error(`${method} ${path}: HTTP ${res.status} ${res.raw.toString()}`);
    }
    return res;
  }

  /** The job's outcome of a mutation that should fail asynchronously or at once: {status, code}. */
  async outcome(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; code?: string; message?: string; job?: Json }> {
    const res = await this.call(method, path, body);
    if (res.status !== 202)
      return { status: res.status, code: res.body?.error?.code, message: res.body?.error?.message };
    const job = await this.job(res.body.job.uuid);
    return { status: 202, code: job.error?.code, message: job.error?.message ?? job.message, job };
  }

  svm = async (name = 'svm1'): Promise<Json> => (await this.get(`/api/svm/svms?name=${name}&fields=*`)).body.records[0];
  aggregate = async (name = 'aggr1'): Promise<Json> =>
    (await this.get(`/api/storage/aggregates?name=${name}&fields=*`)).body.records[0];

  /** A thin volume on svm1 (or the given SVM), answered with its uuid. */
  async volume(name: string, extra: Json = {}): Promise<string> {
    const res = await this.done('POST', '/api/storage/volumes?return_records=true', {
      name,
      svm: { name: 'svm1' },
      size: 64 * MiB,
      guarantee: { type: 'none' },
      ...extra,
    });
    return res.body?.records?.[0]?.uuid ?? (await this.get(`/api/storage/volumes?name=${name}`)).body.records[0].uuid;
  }

  async snapshot(volume: string, name: string): Promise<string> {
    await this.done('POST', `/api/storage/volumes/${volume}/snapshots`, { name });
    return (await this.get(`/api/storage/volumes/${volume}/snapshots?name=${name}`)).body.records[0].uuid;
  }

  async lun(volume: string, name: string, size = 8 * MiB): Promise<string> {
    const res = await this.post('/api/storage/luns?return_records=true', {
      svm: { name: 'svm1' },
      location: { volume: { uuid: volume }, logical_unit: name },
      os_type: 'linux',
      space: { size },
    });
    if (res.status !== 201) throw new Error(`LUN create: ${res.status} ${res.raw.toString()}`);
    return res.body.records[0].uuid;
  }

  write = async (volume: string, file: string, data: Buffer, offset = 0) =>
    this.call('PUT', `/sim/volumes/${volume}/files/${file}?offset=${offset}`, undefined, {
      raw: data,
      contentType: 'application/octet-stream',
    });
  read = async (volume: string, file: string) => (await this.get(`/sim/volumes/${volume}/files/${file}`)).raw;
  readSnapshot = async (volume: string, snapshot: string, file: string) =>
    (await this.get(`/sim/volumes/${volume}/snapshots/${snapshot}/files/${file}`)).raw;
  writeLun = async (lun: string, data: Buffer, offset = 0) =>
    this.call('PUT', `/sim/luns/${lun}/data?offset=${offset}`, undefined, {
      raw: data,
      contentType: 'application/octet-stream',
    });
  readLun = async (lun: string) => (await this.get(`/sim/luns/${lun}/data`)).raw;
  settings = async (s: Json) => (await this.post('/sim/settings', s)).body;

  close(): Promise<void> {
    return Promise.allSettled([this.agent.close(), this.sim.close()]).then(() => undefined);
  }
}

export async function startSim(options: OntapSimulatorOptions = {}): Promise<TestSim> {
  return new TestSim(await startOntapSimulator({ port: 0, demo: false, ...options }));
}

/**
 * Simulators on distinct loopback addresses and one port, as clusters that all answer on 443: their peers list bare
 * addresses. The port is the first one's free port; another address may have it taken, so a clash retries.
 */
export async function startSimsOnOnePort(hosts: string[], options: OntapSimulatorOptions = {}): Promise<TestSim[]> {
  for (let attempt = 0; ; attempt++) {
    const first = await startSim({ ...options, host: hosts[0] });
    const port = new URL(first.url).port;
    const rest = await Promise.allSettled(hosts.slice(1).map((host) => startSim({ ...options, host, port: +port })));
    const ok = rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (ok.length === rest.length) return [first, ...ok];
    await Promise.all([first.close(), ...ok.map((s) => s.close())]);
    if (attempt === 5) throw (rest.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
  }
}

let counter = 0;
/** Unique ONTAP-legal names (letters, digits, underscores). */
export const uniq = (prefix: string): string => `${prefix}_${process.pid}_${++counter}`;
