// The SCP adapter on a running two-region simulator, over real HTTP: a driver, a session's connection, the raw API
// (signed as the SDK signs) for what CDM cannot do, and a recording proxy that can rewrite answers.
import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import scp from '../../plugins/scp';
import type { ArrayConnection, BackendDriver, NameStore } from '../../src/backend';
import { MemoryNameStore } from '../../src/coordination/names';
import { silentLogger } from '../../src/logs/logger';
import type * as T from '../../src/domain/types';
import { type RunningScpSimulator } from '../../simulators/scp/server';
import { KEY, READ_ONLY, startTwoRegions } from './sim-helpers';

export const CREDS: T.Credentials = { username: `${KEY.accountId}/${KEY.accessKey}`, password: KEY.secretKey };
export const READ_ONLY_CREDS: T.Credentials = {
  username: `${READ_ONLY.accountId}/${READ_ONLY.accessKey}`,
  password: READ_ONLY.secretKey,
};

export function driver(opts: { timeoutMs?: number; names?: NameStore } = {}): BackendDriver {
  return scp.create({
    scheme: 'http',
    tlsInsecure: false,
    timeoutMs: opts.timeoutMs ?? 10_000,
    connectTimeoutMs: 2000,
    logger: silentLogger(),
    names: opts.names ?? new MemoryNameStore(),
  });
}

export interface Rig {
  sim: RunningScpSimulator;
  west: string;
  east: string;
  driver: BackendDriver;
  conn: ArrayConnection;
  target: T.ArrayTarget;
  close(): Promise<void>;
}

/** Two regions (operations settle after `opDelayMs`) and a connection on kr-west1. */
export async function rig(opts: { opDelayMs?: number; timeoutMs?: number } = {}): Promise<Rig> {
  const sim = await startTwoRegions({ opDelayMs: opts.opDelayMs ?? 20 });
  const [west, east] = sim.regions.map((r) => r.url);
  const d = driver({ timeoutMs: opts.timeoutMs });
  const target = { ipAddress: '127.0.0.1', port: sim.regions[0].port };
  const identity = await d.login(target, CREDS);
  return {
    sim,
    west,
    east,
    driver: d,
    target,
    conn: d.connect(target, CREDS, identity),
    close: async () => {
      await d.close();
      await sim.close();
    },
  };
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/**
 * An HTTP proxy in front of `origin` that keeps the Host header (so signatures still match), records each request,
 * and lets a test rewrite JSON answers or answer some paths itself.
 */
export async function proxy(
  origin: string,
  opts: {
    rewrite?: (path: string, body: unknown) => unknown;
    answer?: (path: string) => { status: number; body: unknown } | undefined;
  } = {},
): Promise<{ port: number; url: string; seen: Recorded[]; close(): Promise<void> }> {
  const seen: Recorded[] = [];
  const to = new URL(origin);
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const own = opts.answer?.(req.url ?? '');
    if (own) {
      res.writeHead(own.status, { 'content-type': 'application/json' }).end(JSON.stringify(own.body));
      return;
    }
    const up = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          if (opts.rewrite && body.length && /json/.test(answer.headers['content-type'] ?? ''))
            body = Buffer.from(JSON.stringify(opts.rewrite(req.url ?? '', JSON.parse(body.toString()))));
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
