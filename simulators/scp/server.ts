// Starts the File Storage simulator: one process playing one cloud, each region an HTTP server of its own on its own
// port (the vendor API under /v1, the IAM endpoint catalog under /iam, simulator controls under /sim).
import { randomInt } from 'node:crypto';
import express, { type Express } from 'express';
import { FaultController } from '../shared/faults';
import { type Listening, listenApp } from '../shared/listen';
import { RegionContext } from './context';
import { dataPlaneRoutes } from './dataplane';
import { newRegion, seedRegion } from './demo';
import { invalidAt, sendStatus } from './errors';
import { apiVersion, basicKeyAuth, errorHandler, jsonBody, notFoundHandler, signedAuth } from './http';
import { catalogRoutes } from './routes/catalog';
import { peerRoutes } from './routes/peer';
import { replicationRoutes } from './routes/replications';
import { scheduleRoutes } from './routes/schedules';
import { snapshotRoutes } from './routes/snapshots';
import { volumeRoutes } from './routes/volumes';
import type { AccessKey } from './signing';
import { Cloud } from './state/cloud';
import { loadState, saveState } from './state/persistence';
import type { RegionState } from './state/region';

export interface RegionSpec {
  name: string;
  /** 0 picks a free port. */
  port: number;
  /** When the port is taken, listen on any free one instead of failing. @default false */
  anyPortIfTaken?: boolean;
  /** Nobody chose the name: a state file's region of the same rank takes its place. @default false */
  generated?: boolean;
}

export interface ScpSimulatorOptions {
  regions: RegionSpec[];
  /** @default '127.0.0.1' */
  host?: string;
  /** The account keys every region accepts. */
  keys: AccessKey[];
  /** Load at start, save after every change. @default none */
  stateFile?: string;
  /** Seed the demo objects in the first region of a fresh state. @default true */
  demo?: boolean;
  /** Extra empty volumes in the first region of a fresh state. @default 0 */
  bulkVolumes?: number;
  /** Added to every API call, ms. @default 0 */
  latencyMs?: number;
  /** Bytes per second replication leaves a region at. @default 64 MiB/s */
  replicationRate?: number;
  /** How long a 202 operation takes to settle, ms. @default 100 */
  opDelayMs?: number;
  /** The service's clock (signature window, version retirement, schedules). @default Date.now */
  now?: () => number;
}

export interface RunningRegion extends Listening {
  name: string;
  state: RegionState;
  context: RegionContext;
}

export interface RunningScpSimulator {
  /** The first region's endpoint. */
  url: string;
  port: number;
  regions: RunningRegion[];
  cloud: Cloud;
  close(): Promise<void>;
}

const DEFAULT_OP_DELAY_MS = 100;

/** A region name for a simulator whose regions nobody named: unique, so two such simulators can pair. */
export const generatedRegionName = (): string =>
  `sim-${Array.from({ length: 6 }, () => 'abcdefghijkmnpqrstuvwxyz23456789'[randomInt(32)]).join('')}`;

function regionApp(ctx: RegionContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.get('/sim/health', (_req, res) => {
    res.json({ ok: true, region: ctx.name });
  });
  // Calls from other regions are signed like OpenAPI calls; they skip versions and injected faults.
  app.use('/sim/peer', signedAuth(ctx), peerRoutes(ctx));
  app.use('/sim', basicKeyAuth(ctx), dataPlaneRoutes(ctx));
  app.use(['/v1', '/iam'], signedAuth(ctx), apiVersion(ctx), ctx.faults.middleware(), jsonBody());
  for (const routes of [volumeRoutes, snapshotRoutes, scheduleRoutes, replicationRoutes, catalogRoutes])
    app.use(routes(ctx));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

export async function startScpSimulator(options: ScpSimulatorOptions): Promise<RunningScpSimulator> {
  const now = options.now ?? Date.now;
  const cloud = new Cloud(options.keys, now);
  const host = options.host ?? '127.0.0.1';
  const loaded = options.stateFile ? loadState(options.stateFile, now()) : undefined;
  for (const [name, url] of loaded?.remote ?? []) cloud.remote.set(name, url);
  const saved = [...(loaded?.regions.keys() ?? [])];
  const specs = options.regions.map((spec, i) => (spec.generated && saved[i] ? { ...spec, name: saved[i] } : spec));
  const states = specs.map((spec, i) => {
    const known = loaded?.regions.get(spec.name);
    if (known) return known;
    const state = newRegion(spec.name);
    seedRegion(state, {
      accountId: cloud.serviceKey.accountId,
      demo: i === 0 && (options.demo ?? true),
      bulkVolumes: i === 0 ? (options.bulkVolumes ?? 0) : 0,
      now: now(),
    });
    return state;
  });
  const save = () => {
    if (options.stateFile) saveState(options.stateFile, states, cloud.remote);
  };
  cloud.onChange = save;
  const running: RunningRegion[] = [];
  try {
    for (const [i, state] of states.entries()) {
      state.onChange = save;
      const faults = new FaultController({
        fail: (_req, res, status) => sendStatus(res, status, 'Simulated failure (fault injection)'),
        invalid: (m) => invalidAt(['body'], m),
      });
      if (options.latencyMs) faults.update({ latencyMs: options.latencyMs });
      const ctx = new RegionContext(cloud, state, faults, {
        opDelayMs: options.opDelayMs ?? DEFAULT_OP_DELAY_MS,
        replicationRate: options.replicationRate,
      });
      const spec = specs[i];
      const app = regionApp(ctx);
      const listening = await listenApp(app, spec.port, host, () => ctx.dispose()).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EADDRINUSE' || !spec.anyPortIfTaken) throw err;
          return listenApp(app, 0, host, () => ctx.dispose());
        },
      );
      const url =
        host === '0.0.0.0' || host === '::' ? listening.url.replace(/\/\/[^:]+:/, '//127.0.0.1:') : listening.url;
      cloud.local.set(state.name, { name: state.name, url, port: listening.port });
      running.push({ ...listening, name: state.name, state, context: ctx });
    }
  } catch (err) {
    await Promise.allSettled(running.map((r) => r.close()));
    throw err;
  }
  // Replications and schedules of a saved state run on.
  for (const r of running) {
    for (const rep of r.state.replications.values()) r.context.engine.arm(rep);
    for (const s of r.state.schedules.values()) r.context.schedules.arm(s);
  }
  save();
  let closing: Promise<void> | undefined;
  return {
    url: running[0].url,
    port: running[0].port,
    regions: running,
    cloud,
    close: () => {
      closing ??= Promise.allSettled(running.map((r) => r.close())).then(save);
      return closing;
    },
  };
}
