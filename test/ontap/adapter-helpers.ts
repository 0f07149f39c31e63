// Adapter test rig: the simulator, a recording HTTP proxy in front of it (to see what the client asks), a driver and a
// connection.
import { simulatorNamed } from '../../simulators';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ontap from '../../plugins/ontap';
import type { ArrayConnection, BackendDriver } from '../../src/backend';
import type { ArrayFixture } from '../../simulators';
import { silentLogger } from '../../src/logs/logger';
import { type TestSim, startSim } from './sim-helpers';

export interface Seen {
  method: string;
  url: string;
  /** Records the cluster answered, for collection GETs. */
  records?: number;
}

/** Forwards every call to the simulator untouched and notes what was asked and how many records came back. */
export async function recordingProxy(target: string): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const entry: Seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
    seen.push(entry);
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          try {
            const parsed = JSON.parse(body.toString()) as { records?: unknown[] };
            if (Array.isArray(parsed.records)) entry.records = parsed.records.length;
          } catch {
            // not JSON: nothing to count
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(body);
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Rig {
  sim: TestSim;
  driver: BackendDriver;
  conn: ArrayConnection;
  fixture: ArrayFixture;
  svm: string;
  proxy: Awaited<ReturnType<typeof recordingProxy>>;
  close(): Promise<void>;
}

/** A driver whose connection reaches the simulator through the recording proxy. */
export async function startRig(opts: { timeoutMs?: number } = {}): Promise<Rig> {
  const sim = await startSim();
  const proxy = await recordingProxy(sim.url);
  const driver = ontap.create({
    scheme: 'http',
    tlsInsecure: false,
    timeoutMs: opts.timeoutMs ?? 10_000,
    connectTimeoutMs: 2000,
    logger: silentLogger(),
  });
  const target = { ipAddress: '127.0.0.1', port: proxy.port };
  const identity = await driver.login(target, simulatorNamed('ontap').credentials);
  const conn = driver.connect(target, simulatorNamed('ontap').credentials, identity);
  const fixture = simulatorNamed('ontap').fixture(sim.url);
  return {
    sim,
    driver,
    conn,
    fixture,
    svm: fixture.serverId,
    proxy,
    close: async () => {
      await Promise.allSettled([fixture.close(), driver.close(), proxy.close()]);
      await sim.close();
    },
  };
}

/** Runs `fn` and answers what the client asked the cluster meanwhile. */
export async function watching<T>(rig: Rig, fn: () => Promise<T>): Promise<{ result: T; seen: Seen[] }> {
  const from = rig.proxy.seen.length;
  const result = await fn();
  return { result, seen: rig.proxy.seen.slice(from) };
}

export const eventually = async <T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
