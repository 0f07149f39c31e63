// The Element adapter on a running simulator, over real HTTP: a driver, a session's connection, and the simulator for
// vendor-side checks.
import { Writable } from 'node:stream';
import pino from 'pino';
import element from '../../plugins/element';
import { ElementApi, negotiateVersion } from '../../plugins/element/api';
import { ElementClient } from '../../plugins/element/client';
import { ElementConnection, type ElementConnectionOptions } from '../../plugins/element/connection';
import type { ArrayConnection, BackendDriver } from '../../src/backend';
import { createAgent } from '../../plugins/shared/http';
import { type Sim, startSim } from './sim-helpers';
import type { ElementSimulatorOptions } from '../../simulators/element/server';

export const CREDS = { username: 'admin', password: 'simulator' };

export interface Adapter {
  sim: Sim;
  driver: BackendDriver;
  conn: ArrayConnection;
  target: { ipAddress: string; port: number };
  /** Every line the driver logged (debug level). */
  logs: string[];
  /** The typed API layer on its own client, for calls the connection only makes after checks. */
  api(timeoutMs?: number): ElementApi;
  /** A connection with its own options (no shared driver state). */
  connectWith(opts: Partial<ElementConnectionOptions>, timeoutMs?: number): ElementConnection;
  close(): Promise<void>;
}

export async function startAdapter(options: ElementSimulatorOptions = {}, timeoutMs = 5000): Promise<Adapter> {
  const sim = await startSim(options);
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }),
  );
  const driver = element.create({ scheme: 'http', tlsInsecure: false, timeoutMs, connectTimeoutMs: 2000, logger });
  const target = { ipAddress: '127.0.0.1', port: sim.port };
  const identity = await driver.login(target, CREDS);
  const agents: ReturnType<typeof createAgent>[] = [];
  const adapter: Adapter = {
    sim,
    driver,
    conn: driver.connect(target, CREDS, identity),
    target,
    logs,
    api(ms = timeoutMs) {
      const agent = createAgent({ connectTimeoutMs: 2000, tlsInsecure: false });
      agents.push(agent);
      let version: Promise<string> | undefined;
      const client: ElementClient = new ElementClient({
        origin: sim.url,
        ...CREDS,
        dispatcher: agent,
        timeoutMs: ms,
        version: () => (version ??= negotiateVersion(client)),
      });
      return new ElementApi(client);
    },
    connectWith(opts, ms = timeoutMs) {
      return new ElementConnection(adapter.api(ms), target, { purgeOnDelete: true, copyWaitMs: 60_000, ...opts });
    },
    async close() {
      await Promise.allSettled([driver.close(), ...agents.map((a) => a.close()), sim.close()]);
    },
  };
  return adapter;
}

let n = 0;
/** Unique CDM names, with the underscores Element refuses in its own names. */
export const cdmName = (prefix: string) => `${prefix}_${process.pid}_${++n}`;
