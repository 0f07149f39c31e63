/**
 * Two plugin instances (two apps, one real Redis) serve sessions from their in-process caches, kept coherent by
 * Redis client-side caching: a logout on one is refused on the other within 100 ms, and a lost invalidation
 * connection empties the cache until tracking is back.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import Redis from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { backendNamed } from '../../plugins';
import { createApp } from '../../src/app';
import type { BackendDriver } from '../../src/backend';
import { RedisCoordinator } from '../../src/coordination/redis';
import { sessionKeyOf } from '../../src/sessions/crypto';
import { RedisSessionStore, SESSION_KEY_PREFIX } from '../../src/sessions/redis-store';
import { type RunningSimulator, simulatorNamed } from '../../simulators';
import { REDIS_URL, TEST_LOGIN_LIMITS } from '../helpers/env';

const API = '/storageplugin/api';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`never ${what}`);
    await sleep(10);
  }
}

describe('session cache shared by two instances through Redis invalidations', () => {
  const backend = backendNamed('vsnap');
  const kit = simulatorNamed('vsnap');
  const key = randomBytes(32);
  const logger = pino({ level: 'silent' });
  let sim: RunningSimulator;
  let driver: BackendDriver;
  const stores: RedisSessionStore[] = [];
  const apps: Express[] = [];
  let admin: Redis;

  beforeAll(async () => {
    sim = await kit.start({ port: 0, demo: false });
    driver = backend.create({ scheme: 'http', tlsInsecure: false, timeoutMs: 10_000, connectTimeoutMs: 2000, logger });
    for (let i = 0; i < 2; i++) {
      const sessions = await RedisSessionStore.connect(REDIS_URL, { idleSeconds: 300, key });
      stores.push(sessions);
      const config = {
        bodyLimit: '1mb',
        logDir: '',
        validateResponses: true,
        sessionRateLimit: 1_000_000,
        ...TEST_LOGIN_LIMITS,
      };
      const coordinator = new RedisCoordinator(sessions.redis);
      apps.push(createApp({ config, backend, driver, sessions, coordinator, logger }));
    }
    admin = new Redis(REDIS_URL);
    // Generous: on a loaded machine the first attempt may time out; tracking is retried every second.
    for (const s of stores) await until('tracking on', () => s.cache?.active === true, 20_000);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([...stores.map((s) => s.close()), driver?.close(), sim?.close()]);
    admin?.disconnect();
  });

  const login = async (app: Express) => {
    const { username, password } = kit.credentials;
    const res = await request(app)
      .post(`${API}/session`)
      .set('authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`)
      .send({ ipAddress: '127.0.0.1', port: sim.port });
    expect(res.status).toBe(201);
    return res.body.sessionId as string;
  };
  const storage = (app: Express, sid: string) =>
    request(app).get(`${API}/storage`).set('accept', 'application/json').set('x-storageplugin-sessionid', sid);

  it('both serve from cache, and a logout on one is refused on the other within 100 ms', async () => {
    const sid = await login(apps[0]);
    for (const app of apps) expect((await storage(app, sid)).status).toBe(200);
    const before = stores.map((s) => s.cache?.stats.hits ?? 0);
    for (let i = 0; i < 5; i++) for (const app of apps) expect((await storage(app, sid)).status).toBe(200);
    stores.forEach((s, i) => expect((s.cache?.stats.hits ?? 0) - before[i]).toBeGreaterThanOrEqual(4));

    const res = await request(apps[0]).delete(`${API}/session`).set('x-storageplugin-sessionid', sid);
    expect(res.status).toBe(204);
    const t0 = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - t0 < 1000) {
      status = (await storage(apps[1], sid)).status;
      if (status !== 401) await sleep(5);
    }
    expect(status).toBe(401);
    expect(Date.now() - t0).toBeLessThan(100);
  });

  it('a session deleted in Redis by anyone is gone from the cache at once', async () => {
    const sid = await login(apps[0]);
    expect((await storage(apps[1], sid)).status).toBe(200);
    expect((await storage(apps[1], sid)).status).toBe(200);
    expect(await admin.unlink(SESSION_KEY_PREFIX + sessionKeyOf(sid))).toBe(1);
    await sleep(50);
    expect((await storage(apps[1], sid)).status).toBe(401);
  });

  it('a lost invalidation connection drops the cache; tracking comes back after the reconnect', async () => {
    const sid = await login(apps[0]);
    expect((await storage(apps[1], sid)).status).toBe(200);
    // This instance's own subscriber connection only (the Redis is shared with other suites).
    const id = stores[1].cache?.subscriberId;
    expect(id).toBeDefined();
    expect(await admin.client('KILL', 'ID', String(id))).toBe(1);
    await until('tracking off', () => stores[1].cache?.active === false, 2000);
    await until('tracking back', () => stores.every((s) => s.cache?.active === true), 10_000);
    expect((await storage(apps[1], sid)).status).toBe(200);
    const hits = stores[1].cache?.stats.hits ?? 0;
    expect((await storage(apps[1], sid)).status).toBe(200);
    expect(stores[1].cache?.stats.hits).toBe(hits + 1);
  }, 20_000);
});
