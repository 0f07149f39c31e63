// Builds the ONTAP simulator app (REST API under /api, simulator controls under /sim) and serves it, HTTP and HTTPS, on
// one port.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { FaultController } from '../shared/faults';
import { SimContext } from './context';
import { dataPlaneRoutes } from './dataplane';
import { SVM_NAME, seedState } from './demo';
import { seedBulkVolumes } from './state/volumes';
import { codeForStatus, invalid, sendError } from './errors';
import { basicAuth, collapseSlashes, errorHandler, jsonBody, notFoundHandler } from './http';
import { scheduleSplitEnd } from './state/split';
import { startScheduler } from './state/scheduler';
import type { UserAccount } from './state/model';
import { loadStateFile, saveStateFile } from './state/persistence';
import { aggregateRoutes } from './routes/aggregates';
import { clusterRoutes } from './routes/cluster';
import { cgRoutes } from './routes/consistency-groups';
import { fileRoutes } from './routes/files';
import { igroupRoutes } from './routes/igroups';
import { interfaceRoutes } from './routes/interfaces';
import { lunMapRoutes } from './routes/lun-maps';
import { lunRoutes } from './routes/luns';
import { policyRoutes } from './routes/snapmirror-policies';
import { snapshotRoutes } from './routes/snapshots';
import { svmRoutes } from './routes/svms';
import { volumeRoutes } from './routes/volumes';
import { clusterPeerRoutes } from './routes/cluster-peers';
import { relationshipRoutes } from './routes/snapmirror-relationships';
import { scheduleRoutes } from './routes/schedules';
import { svmPeerRoutes } from './routes/svm-peers';
import { interclusterRoutes } from './routes/intercluster';
import { CLUSTER_NAME, ONTAP_SIM_DEFAULT_PORT_FOR_NAME, stableUuid } from './demo';
import { OntapState } from './state/state';
import { beginSegment, commitSegment, finish, receiveChunk } from './state/transfer-receive';
import { abortSending, startSending } from './state/transfer-send';

export const ONTAP_SIM_DEFAULT_PORT = 8902;

/** The self-signed certificate: next to this file in the sources, or found above a compiled copy (dist/simulators/ontap). */
function tlsDir(): string {
  if (existsSync(path.join(__dirname, 'tls', 'cert.pem'))) return path.join(__dirname, 'tls');
  for (let dir = path.dirname(__dirname); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'simulators', 'ontap', 'tls');
    if (existsSync(path.join(candidate, 'cert.pem'))) return candidate;
  }
  throw new Error('the ONTAP simulator certificate (simulators/ontap/tls/cert.pem) is missing');
}

export interface OntapSimulatorOptions {
  /** @default 8902; 0 picks a free port. HTTP and HTTPS are both served on it. */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * name -> password (an admin), or {password, role}. @default { [ONTAP_SIM_USER ?? 'admin']: ONTAP_SIM_PASSWORD ??
   * 'simulator' }
   */
  users?: Record<string, string | { password: string; role?: UserAccount['role'] }>;
  /** Load at start, save after every change. @default process.env.SIMULATOR_STATE_FILE (none when unset) */
  stateFile?: string;
  /** Seed demo volumes, LUN, igroup, consistency group and policy next to the two SVMs. @default true */
  demo?: boolean;
  /** Extra empty thin 1 GiB volumes in svm1 on a fresh state (scale tests, benchmarks). @default 0 */
  bulkVolumes?: number;
  /** Added to every /api call, in ms (the fault controls' latency). @default 0 */
  latencyMs?: number;
  /**
   * Bytes per second SnapMirror transfers leave this cluster at (the runtime knob is /sim/faults replicationRate).
   * @default DEFAULT_REPLICATION_RATE
   */
  replicationRate?: number;
}

export interface RunningOntapSimulator {
  /** e.g. http://127.0.0.1:8902 */
  url: string;
  /** The same port over TLS, with the simulator's self-signed certificate. */
  httpsUrl: string;
  port: number;
  context: SimContext;
  /** Stops timers, saves the state file, and closes every connection. */
  close(): Promise<void>;
}

export interface OntapSimulatorApp {
  app: Express;
  context: SimContext;
  save(): void;
  dispose(): void;
}

function resolveUsers(users: OntapSimulatorOptions['users']): UserAccount[] {
  const given = users ?? { [process.env.ONTAP_SIM_USER || 'admin']: process.env.ONTAP_SIM_PASSWORD || 'simulator' };
  return Object.entries(given).map(([name, spec]) =>
    typeof spec === 'string'
      ? { name, password: spec, role: 'admin' }
      : { name, password: spec.password, role: spec.role ?? 'admin' },
  );
}

/** Injected failures answer ONTAP's error body with a code that fits their status. */
const ontapFaults = {
  fail: (_req: Request, res: Response, status: number) =>
    sendError(res, status, codeForStatus(status), 'Simulated failure (fault injection)'),
  invalid: (message: string) => invalid(message),
};

const GiB = 1024 ** 3;

/** Many empty thin volumes in svm1, for scale tests and benchmarks. */
function seedBulk(state: OntapState, count: number): void {
  const svm = [...state.svms.values()].find((s) => s.name === SVM_NAME);
  if (svm && count > 0) seedBulkVolumes(state, svm, count, GiB);
}

export function createOntapSimulatorApp(options: OntapSimulatorOptions = {}): OntapSimulatorApp {
  const stateFile = options.stateFile ?? (process.env.SIMULATOR_STATE_FILE || undefined);
  let state = stateFile ? loadStateFile(stateFile) : undefined;
  if (!state) {
    state = new OntapState();
    seedState(state, { demo: options.demo ?? true });
    seedBulk(state, options.bulkVolumes ?? 0);
  }
  const loaded = state;
  const save = (): void => {
    if (stateFile) saveStateFile(loaded, stateFile);
  };
  state.onChange = save;
  save();

  const context = new SimContext(state, resolveUsers(options.users), new FaultController(ontapFaults));
  context.localEnds = { startSending, abortSending, beginSegment, receiveChunk, commitSegment, finish };
  if (options.replicationRate) context.replicationRate = options.replicationRate;
  if (options.latencyMs) context.faults.update({ latencyMs: options.latencyMs });
  // A split that was running when the simulator stopped carries on from where its clock says it is.
  for (const v of state.volumes.values()) scheduleSplitEnd(context, v);
  // SnapMirror transfer schedules run on this cluster's relationships (dispose() stops the timer).
  startScheduler(context);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(collapseSlashes);
  app.get('/sim/health', (_req, res) => {
    res.json({ ok: true });
  });
  // Peered simulators call each other here with the token peering gave them, not an admin account.
  app.use('/intercluster', interclusterRoutes(context));
  app.use(['/api', '/sim'], basicAuth(context.users));
  app.use('/api', context.faults.middleware(), jsonBody());
  for (const routes of [
    clusterRoutes,
    scheduleRoutes,
    svmRoutes,
    aggregateRoutes,
    volumeRoutes,
    snapshotRoutes,
    fileRoutes,
    lunRoutes,
    igroupRoutes,
    lunMapRoutes,
    interfaceRoutes,
    cgRoutes,
    policyRoutes,
    clusterPeerRoutes,
    svmPeerRoutes,
    relationshipRoutes,
  ]) {
    app.use('/api', routes(context));
  }
  app.use('/sim', dataPlaneRoutes(context));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, context, save, dispose: () => context.dispose() };
}

function listen(server: ReturnType<typeof createTcpServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A TLS handshake starts with byte 0x16; anything else on the port is plain HTTP. */
function dispatch(http: Server, https: Server): (socket: Socket) => void {
  return (socket) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  };
}

/**
 * Peered clusters need distinct names and uuids, and every simulator seeds the same ones: a cluster
 * is named after its address (`cluster1` on 127.0.0.1 and the default port, `cluster_<port>` on another port of
 * 127.0.0.1, `cluster_<address>_<port>` on another address) when it starts fresh. A state file keeps the name it was
 * saved with.
 */
function nameCluster(ctx: SimContext, host: string, port: number, rename: boolean): void {
  const { state } = ctx;
  if (!rename) return;
  const at = host === '127.0.0.1' ? '' : `${host.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}_`;
  const name = port === ONTAP_SIM_DEFAULT_PORT_FOR_NAME && !at ? CLUSTER_NAME : `cluster_${at}${port}`;
  if (state.cluster.name === name) return;
  state.cluster = { ...state.cluster, name, uuid: stableUuid(`cluster/${name}`) };
  state.changed();
}

export async function startOntapSimulator(options: OntapSimulatorOptions = {}): Promise<RunningOntapSimulator> {
  const host = options.host ?? '127.0.0.1';
  const fresh = !(options.stateFile ?? process.env.SIMULATOR_STATE_FILE);
  const sim = createOntapSimulatorApp(options);
  const http = createServer(sim.app);
  const https = createHttpsServer(
    { cert: readFileSync(path.join(tlsDir(), 'cert.pem')), key: readFileSync(path.join(tlsDir(), 'key.pem')) },
    sim.app,
  );
  const sockets = new Set<Socket>();
  const front = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    dispatch(http, https)(socket);
  });
  await listen(front, options.port ?? ONTAP_SIM_DEFAULT_PORT, host);
  const port = (front.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  sim.context.address = `${shown}:${port}`;
  nameCluster(sim.context, host, port, fresh || sim.context.state.cluster.name === CLUSTER_NAME);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    httpsUrl: `https://${shown}:${port}`,
    port,
    context: sim.context,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        sim.dispose();
        sim.save();
        front.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive and hung sockets would hold close() open.
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
