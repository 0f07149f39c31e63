/**
 * Starts the plugin app against a freshly started simulator (real HTTP) and a real Redis, with response validation on.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { backendNamed } from '../../plugins';
import { type AppConfig, createApp } from '../../src/app';
import type { BackendDefinition, BackendDriver } from '../../src/backend';
import {
  type ArrayFixture,
  type RunningSimulator,
  type SimulatorKit,
  type SimulatorStartOptions,
  simulatorNamed,
} from '../../simulators';
import { createLoggers } from '../../src/logs/logger';
import { RedisCoordinator } from '../../src/coordination/redis';
import { connectAndPing, createRedisClient } from '../../src/redis/client';
import { RedisSessionStore } from '../../src/sessions/redis-store';
import { REDIS_URL } from './env';

export const API = '/storageplugin/api';

export interface TestPlugin {
  app: Express;
  backend: BackendDefinition;
  kit: SimulatorKit;
  driver: BackendDriver;
  sim: RunningSimulator;
  fixture: ArrayFixture;
  sessions: RedisSessionStore;
  coordinator: RedisCoordinator;
  logDir: string;
  /** Body of POST /session that names the simulator. */
  target: { ipAddress: string; port: number };
  auth: string;
  /** A session on this simulator, or on another array (`port` of another simulator on loopback). */
  login(target?: { ipAddress: string; port: number }): Promise<string>;
  get(path: string, sid: string): request.Test;
  post(path: string, sid: string, body?: object): request.Test;
  del(path: string, sid: string): request.Test;
  close(): Promise<void>;
}

export interface TestPluginOptions {
  timeoutMs?: number;
  /** Overrides of the app configuration (rate limit, lock TTL, ...). */
  config?: Partial<AppConfig>;
  /** Options of the simulator the plugin is started against. */
  simulator?: Partial<SimulatorStartOptions>;
}

export async function startTestPlugin(backendName = 'vsnap', opts: TestPluginOptions = {}): Promise<TestPlugin> {
  const backend = backendNamed(backendName);
  const kit = simulatorNamed(backendName);
  const sim = await kit.start({ port: 0, demo: false, ...opts.simulator });
  const logDir = mkdtempSync(path.join(tmpdir(), 'cdm-plugin-logs-'));
  const { logger, access } = createLoggers({ dir: logDir, level: 'info', stdout: false });
  // The shared test machine can stall the event loop for longer than the production command budget (250 ms): a
  // timed-out Redis command answers 503, which is right in production and a false failure here.
  const redis = createRedisClient({ url: REDIS_URL, commandTimeoutMs: 5000 });
  redis.on('error', () => undefined);
  await connectAndPing(redis);
  const sessions = new RedisSessionStore(redis, { idleSeconds: 300, key: randomBytes(32) });
  const driver = backend.create({
    scheme: 'http',
    tlsInsecure: false,
    timeoutMs: opts.timeoutMs ?? 10_000,
    connectTimeoutMs: 2000,
    logger,
    // As the runtime does: paired arrays an array names are held to the same allowlist as logins.
    allowsArray: opts.config?.arrayAllowlist ? (h, port) => opts.config!.arrayAllowlist!.allows(h, port) : undefined,
  });
  const coordinator = new RedisCoordinator(sessions.redis);
  // Tests share one Redis and one client address: the session rate limits are raised unless a test sets them.
  const config: AppConfig = {
    bodyLimit: '1mb',
    logDir,
    validateResponses: true,
    sessionRateLimit: 1_000_000,
    loginFailuresPerClient: 1_000_000,
    loginFailuresPerArray: 1_000_000,
    ...opts.config,
  };
  const app = createApp({ config, backend, driver, sessions, coordinator, logger, accessLogger: access });
  const { username, password } = kit.credentials;
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const target = { ipAddress: '127.0.0.1', port: sim.port };
  const fixture = kit.fixture(sim.url);
  const json = { accept: 'application/json' };
  return {
    app,
    backend,
    kit,
    driver,
    sim,
    fixture,
    sessions,
    coordinator,
    logDir,
    target,
    auth,
    async login(to = target) {
      const res = await request(app).post(`${API}/session`).set('authorization', auth).send(to);
      if (res.status !== 201) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.sessionId as string;
    },
    get: (p, sid) =>
      request(app)
        .get(API + p)
        .set(json)
        .set('x-storageplugin-sessionid', sid),
    post: (p, sid, body) => {
      const r = request(app)
        .post(API + p)
        .set(json)
        .set('x-storageplugin-sessionid', sid);
      return body === undefined ? r : r.send(body);
    },
    del: (p, sid) =>
      request(app)
        .delete(API + p)
        .set(json)
        .set('x-storageplugin-sessionid', sid),
    async close() {
      await Promise.allSettled([sim.close(), driver.close(), sessions.close(), fixture.close()]);
    },
  };
}

/** Unique names so tests sharing one simulator never collide. */
let counter = 0;
export const uniq = (prefix: string) => `${prefix}_${process.pid}_${++counter}`;
