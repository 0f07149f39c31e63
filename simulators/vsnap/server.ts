// Builds the vSnap simulator app (vendor API under /api, simulator controls under /sim) and runs it as an HTTP server.
import express, { type Express } from 'express';
import { SimContext } from './context';
import { dataPlaneRoutes } from './dataplane';
import { DEMO_POOL_BYTES, seedState } from './demo';
import { FaultController } from '../shared/faults';
import { listenApp } from '../shared/listen';
import { invalid, sendError, typeForStatus } from './errors';
import { basicAuth, errorHandler, jsonBody, notFoundHandler } from './http';
import type { UserAccount } from './state/model';
import { loadStateFile, saveStateFile } from './state/persistence';
import { finishInit } from './state/pools';
import { hostRoutes } from './routes/hosts';
import { partnerRoutes } from './routes/partners';
import { peerRoutes } from './routes/peer';
import { poolRoutes } from './routes/pools';
import { relationshipRoutes } from './routes/relationships';
import { sessionRoutes } from './routes/sessions';
import { shareRoutes } from './routes/shares';
import { snapshotRoutes } from './routes/snapshots';
import { systemRoutes } from './routes/system';
import { volumeChildRoutes } from './routes/volume-children';
import { volumeRoutes } from './routes/volumes';
import { VsnapState } from './state/state';
import { seedBulkVolumes } from './state/volumes';

/** An account given with its role; a plain string password means an admin (vsnap group member). */
export interface VsnapUserSpec {
  password: string;
  /** @default true. A non-admin authenticates but gets 403 PermissionDeniedError on every call. */
  admin?: boolean;
}

export interface VsnapSimulatorOptions {
  /** @default 8900; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default { [VSNAP_SIM_USER ?? 'admin']: VSNAP_SIM_PASSWORD ?? 'simulator' } */
  users?: Record<string, string | VsnapUserSpec>;
  /** Load at start, save after every change. @default process.env.SIMULATOR_STATE_FILE (none when unset) */
  stateFile?: string;
  /** Seed the demo objects when there is no saved state; false seeds one empty pool. @default true */
  demo?: boolean;
  /** Capacity of the seeded pool1. @default 100 GiB */
  poolSizeBytes?: number;
  /** Extra empty filesystem volumes seeded in pool1 (for scale tests and benchmarks). @default 0 */
  bulkVolumes?: number;
  /** false starts a fresh appliance ("Not Initialized", no pool) for POST /api/system {action: init}. @default true */
  initialized?: boolean;
  /**
   * Bytes per second replication sessions send at (POST /sim/faults {replicationRate} overrides it at run time).
   * @default DEFAULT_REPLICATION_RATE (64 MiB/s)
   */
  replicationRate?: number;
}

export interface RunningVsnapSimulator {
  /** e.g. http://127.0.0.1:8900 */
  url: string;
  port: number;
  /** The live appliance, for white-box checks. */
  state: VsnapState;
  /** The fault controls (also at /sim/faults). */
  faults: FaultController;
  /** Stops timers, saves the state file, and closes the server including keep-alive sockets. */
  close(): Promise<void>;
}

export interface VsnapSimulatorApp {
  app: Express;
  context: SimContext;
  /** Save the state file now (no-op without one). */
  save(): void;
  /** Stop background timers (async init, injected latency). */
  dispose(): void;
}

function resolveUsers(users: VsnapSimulatorOptions['users']): UserAccount[] {
  const given = users ?? { [process.env.VSNAP_SIM_USER || 'admin']: process.env.VSNAP_SIM_PASSWORD || 'simulator' };
  return Object.entries(given).map(([name, spec]) =>
    typeof spec === 'string'
      ? { name, password: spec, admin: true }
      : { name, password: spec.password, admin: spec.admin ?? true },
  );
}

function loadOrSeed(options: VsnapSimulatorOptions, stateFile: string | undefined): VsnapState {
  const loaded = stateFile ? loadStateFile(stateFile) : undefined;
  if (loaded) {
    // An init that was running when the simulator stopped completes now.
    if (loaded.system.init_status === 'Initializing') finishInit(loaded, false);
    return loaded;
  }
  const state = new VsnapState();
  seedState(state, {
    demo: options.demo ?? true,
    initialized: options.initialized ?? true,
    poolSizeBytes: options.poolSizeBytes ?? DEMO_POOL_BYTES,
  });
  const pool = state.pools.values().next().value;
  if (pool && options.bulkVolumes) seedBulkVolumes(state, pool.id, options.bulkVolumes);
  return state;
}

/** Injected failures answer vSnap's `{error: {type, message}}` body with the type of their status. */
const vsnapFaults = {
  fail: (_req: unknown, res: Parameters<typeof sendError>[0], status: number) =>
    sendError(res, status, typeForStatus(status), 'Simulated failure (fault injection)'),
  invalid,
};

export function createVsnapSimulatorApp(options: VsnapSimulatorOptions = {}): VsnapSimulatorApp {
  const stateFile = options.stateFile ?? (process.env.SIMULATOR_STATE_FILE || undefined);
  const state = loadOrSeed(options, stateFile);
  const save = (): void => {
    if (stateFile) saveStateFile(state, stateFile);
  };
  state.onChange = save;
  save();

  const context = new SimContext(state, resolveUsers(options.users), new FaultController(vsnapFaults));
  if (options.replicationRate) context.replicationRate = options.replicationRate;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/sim/health', (_req, res) => {
    res.json({ ok: true });
  });
  // Partner-to-partner calls have their own accounts and are not subject to the fault controls (see routes/peer.ts).
  app.use('/api/peer', peerRoutes(context));
  app.use(['/api', '/sim'], basicAuth(context.users));
  app.use('/api', context.faults.middleware(), jsonBody());
  for (const routes of [
    systemRoutes,
    poolRoutes,
    volumeRoutes,
    volumeChildRoutes,
    shareRoutes,
    hostRoutes,
    snapshotRoutes,
    partnerRoutes,
    relationshipRoutes,
    sessionRoutes,
  ]) {
    app.use('/api', routes(context));
  }
  app.use('/sim', dataPlaneRoutes(context));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, context, save, dispose: () => context.dispose() };
}

export async function startVsnapSimulator(options: VsnapSimulatorOptions = {}): Promise<RunningVsnapSimulator> {
  const sim = createVsnapSimulatorApp(options);
  const host = options.host ?? '127.0.0.1';
  const listening = await listenApp(sim.app, options.port ?? 8900, host, () => {
    sim.dispose();
    sim.save();
  });
  // Partners reach this system here unless POST /api/partner says otherwise (local_addr, local_api_port).
  sim.context.self = { address: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port: listening.port };
  return { ...listening, state: sim.context.state, faults: sim.context.faults };
}
