// Builds the Element simulator app (JSON-RPC under /json-rpc, simulator controls under /sim) and runs it as an HTTP
// server.
import express, { type Express } from 'express';
import { FaultController } from '../shared/faults';
import { listenApp } from '../shared/listen';
import { seedBulk, seedDemo } from './demo';
import { dataPlaneRoutes } from './dataplane';
import { RpcError, X_DB_VERSION_MISMATCH, X_INTERNAL_ERROR, errorBody, invalid } from './errors';
import { basicAuth, sendUnauthorized } from './http';
import { accessMethods } from './routes/access';
import { cloneMethods } from './routes/clones';
import { clusterMethods } from './routes/cluster';
import { groupMethods } from './routes/groups';
import { initiatorMethods } from './routes/initiators';
import { nodeMethods } from './routes/nodes';
import { pairingMethods } from './routes/pairing';
import { snapshotMethods } from './routes/snapshots';
import type { MethodTable } from './routes/types';
import { volumePairMethods } from './routes/volume-pairs';
import { volumeMethods } from './routes/volumes';
import type { ClusterAdmin, SimSettings } from './state/model';
import { loadStateFile, saveStateFile } from './state/persistence';
import { DEFAULT_REPLICATION_RATE } from '../shared/transfer';
import { ReplicationEngine } from './state/replication-engine';
import { rpcHandler } from './rpc';
import { ElementState, newCluster } from './state/state';

export const ELEMENT_SIM_DEFAULT_PORT = 8901;

export const METHODS: MethodTable = {
  ...clusterMethods,
  ...nodeMethods,
  ...volumeMethods,
  ...cloneMethods,
  ...snapshotMethods,
  ...groupMethods,
  ...accessMethods,
  ...initiatorMethods,
  ...pairingMethods,
  ...volumePairMethods,
};

export interface ElementSimulatorOptions {
  /** @default 8901; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Cluster admins. @default one administrator: ELEMENT_SIM_USER ?? 'admin' / ELEMENT_SIM_PASSWORD ?? 'simulator' */
  admins?: ClusterAdmin[];
  /** Load at start, save after every change. @default process.env.SIMULATOR_STATE_FILE (none when unset) */
  stateFile?: string;
  /** Seed demo objects when there is no saved state. @default true */
  demo?: boolean;
  /** Usable block capacity (one copy). @default 200 GiB */
  capacityBytes?: number;
  /** Timing of clones and purges (see SimSettings). */
  settings?: Partial<SimSettings>;
  /** Extra empty 1 GiB volumes in a "bulk" account on a fresh state (scale tests, benchmarks). @default 0 */
  bulkVolumes?: number;
  /** Added to every JSON-RPC call, in ms (the fault controls' latency). @default 0 */
  latencyMs?: number;
  /**
   * Bytes per second at which snapshots leave for paired clusters (POST /sim/faults {replicationRate} changes it at run
   * time). @default 64 MiB/s
   */
  replicationRate?: number;
  /**
   * `host:port` other clusters reach this one at, put in pairing keys (Element's MVIP, with the port
   * because several simulators share an address). @default the listening address and port
   */
  mvip?: string;
}

export interface RunningElementSimulator {
  /** e.g. http://127.0.0.1:8901 */
  url: string;
  port: number;
  /** The live cluster, for white-box checks. */
  state: ElementState;
  /** Saves the state file and closes the server, keep-alive sockets included. */
  close(): Promise<void>;
}

function defaultAdmins(): ClusterAdmin[] {
  return [
    {
      username: process.env.ELEMENT_SIM_USER || 'admin',
      password: process.env.ELEMENT_SIM_PASSWORD || 'simulator',
      access: 'administrator',
    },
  ];
}

/** Injected failures: status 200 is Element's "try again" method error, any other status a bare HTTP failure. */
const elementFaults = {
  fail: (_req: express.Request, res: express.Response, status: number) => {
    if (status === 401) return sendUnauthorized(res);
    const err =
      status === 200
        ? new RpcError(X_DB_VERSION_MISMATCH, 'Simulated failure (fault injection): try again')
        : new RpcError(X_INTERNAL_ERROR, 'Simulated failure (fault injection)');
    res
      .status(status)
      .type('application/json')
      .send(JSON.stringify({ id: null, error: errorBody(err) }));
  },
  invalid,
  allowedStatus: (n: number) => n === 200 || (n >= 400 && n <= 599),
  statusRule: 'failStatus must be 200 (an xDBVersionMismatch method error) or an HTTP error status (400-599)',
};

export function createElementSimulatorApp(options: ElementSimulatorOptions = {}): {
  app: Express;
  state: ElementState;
  replication: ReplicationEngine;
  save(): void;
} {
  const stateFile = options.stateFile ?? (process.env.SIMULATOR_STATE_FILE || undefined);
  let state = stateFile ? loadStateFile(stateFile) : undefined;
  if (!state) {
    state = new ElementState(newCluster({ capacityBytes: options.capacityBytes }));
    if (options.demo ?? true) seedDemo(state);
    if (options.bulkVolumes) seedBulk(state, options.bulkVolumes);
  }
  state.settings = { ...state.settings, ...options.settings };
  const live = state;
  const save = (): void => {
    if (stateFile) saveStateFile(live, stateFile);
  };
  live.onChange = save;
  save();

  const faults = new FaultController(elementFaults);
  if (options.latencyMs) faults.update({ latencyMs: options.latencyMs });
  const startRate = options.replicationRate || DEFAULT_REPLICATION_RATE;
  const replication = new ReplicationEngine(live, () => faults.replicationRate(startRate));
  live.replication = replication;
  const admins = options.admins ?? defaultAdmins();
  /** Cluster admins, and the pairing accounts paired clusters call this one with (see methods/pairing.ts). */
  const account = (username: string): ClusterAdmin | undefined => {
    const admin = admins.find((a) => a.username === username);
    if (admin) return admin;
    for (const cp of live.clusterPairs.values())
      if (cp.localAccount.username === username) return { ...cp.localAccount, access: 'pairing' };
    return undefined;
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/sim/health', (_req, res) => void res.json({ ok: true }));
  app.use(['/json-rpc', '/sim'], basicAuth(account));
  app.use('/sim', (_req, res, next) => {
    // The data plane is an administrator's tool, like the array's own console.
    if ((res.locals.admin as ClusterAdmin).access !== 'administrator')
      return void res
        .status(403)
        .json({ error: { name: 'xPermissionDenied', message: 'The simulator controls need administrator access' } });
    next();
  });
  app.use('/json-rpc', faults.middleware(), rpcHandler(live, METHODS, replication));
  app.use('/sim', dataPlaneRoutes(live, faults, replication));
  app.use(
    (req, res) =>
      void res
        .status(404)
        .type('text/plain')
        .send(`Nothing at ${req.method} ${req.path}: the API is POST /json-rpc/<version>`),
  );
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error('element simulator: unexpected error', err);
    if (!res.headersSent)
      res
        .status(500)
        .json({ error: { name: X_INTERNAL_ERROR, message: err instanceof Error ? err.message : String(err) } });
  });
  return { app, state: live, replication, save };
}

export async function startElementSimulator(options: ElementSimulatorOptions = {}): Promise<RunningElementSimulator> {
  const sim = createElementSimulatorApp(options);
  const host = options.host ?? '127.0.0.1';
  let stopping: Promise<void> | undefined;
  const listening = await listenApp(sim.app, options.port ?? ELEMENT_SIM_DEFAULT_PORT, host, () => {
    // Transfers stop before the state is saved, so the file says what was still to send.
    stopping = sim.replication.dispose();
    sim.save();
  });
  sim.replication.endpoint =
    options.mvip ?? `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${listening.port}`;
  // Transfers the state file says were waiting or running start again.
  sim.replication.resume();
  return {
    ...listening,
    state: sim.state,
    close: async () => {
      await listening.close();
      await stopping;
    },
  };
}
