/**
 * Redis goes away under load (killed, then frozen): the plugin answers 503 fast, never crashes, and recovers by itself.
 */
import { TEST_LOGIN_LIMITS } from '../helpers/env';
import { simulatorNamed } from '../../simulators';
import request from 'supertest';
import { backendNamed } from '../../plugins';
import { createApp } from '../../src/app';
import { silentLogger } from '../../src/logs/logger';
import { type Stores, openStores } from '../../src/stores';
import { API } from '../helpers/plugin';
import { ThrowawayRedis } from '../helpers/redis-server';
import type { RunningSimulator } from '../../simulators';

describe('a Redis outage', () => {
  let redis: ThrowawayRedis;
  let stores: Stores;
  let sim: RunningSimulator;
  let app: ReturnType<typeof createApp>;
  const backend = backendNamed('vsnap');
  const driver = backend.create({
    scheme: 'http',
    tlsInsecure: false,
    timeoutMs: 5000,
    connectTimeoutMs: 1000,
    logger: silentLogger(),
  });

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    sim = await simulatorNamed(backend.name).start({ port: 0, demo: false });
    stores = await openStores(
      { redisUrl: redis.url, sessionIdleSeconds: 600, redisCommandTimeoutMs: 250 },
      silentLogger(),
    );
    app = createApp({
      config: {
        bodyLimit: '1mb',
        logDir: '/nonexistent',
        validateResponses: true,
        sessionRateLimit: 1_000_000,
        ...TEST_LOGIN_LIMITS,
      },
      backend,
      driver,
      sessions: stores.sessions,
      coordinator: stores.coordinator,
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await Promise.allSettled([stores.close(), driver.close(), sim.close()]);
    redis.thaw();
    await redis.kill();
  });

  const login = () =>
    request(app).post(`${API}/session`).auth('admin', 'simulator').send({ ipAddress: '127.0.0.1', port: sim.port });
  const storage = (sid: string) => request(app).get(`${API}/storage`).set('x-storageplugin-sessionid', sid);

  /** Waits until Redis-backed calls work again (ioredis reconnects in the background). */
  async function recovered(): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await login();
      if (res.status === 201) return res.body.sessionId;
      if (Date.now() > deadline) throw new Error(`no recovery: last answer ${res.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('killed during load: every call answers 503 with Retry-After within about 300 ms, then the plugin recovers', async () => {
    const sid = (await login().expect(201)).body.sessionId;
    await storage(sid).expect(200);

    // Load in the background while Redis dies.
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop) statuses.push((await storage(sid)).status);
    })();
    await new Promise((r) => setTimeout(r, 100));
    await redis.kill();

    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      const res = await storage(sid);
      timings.push(Date.now() - started);
      expect(res.status).toBe(503);
      expect(res.body.error.type).toBe('SESSION_STORE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
    }
    expect(Math.max(...timings)).toBeLessThan(300);
    expect((await login()).status).toBe(503);

    await redis.restart();
    const fresh = await recovered();
    await storage(fresh).expect(200);
    stop = true;
    await load;
    // Nothing but successes, outage answers, and (after the restart lost the data) unknown sessions.
    expect(new Set(statuses.filter((s) => ![200, 503, 401].includes(s)))).toEqual(new Set());
    expect(statuses).toContain(503);
  });

  it('frozen (accepting connections but silent): calls answer 503 within about 300 ms, and work once it thaws', async () => {
    const sid = await recovered();
    redis.freeze();
    try {
      const started = Date.now();
      const res = await storage(sid);
      expect([res.status, res.body.error.type]).toEqual([503, 'SESSION_STORE_UNAVAILABLE']);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      redis.thaw();
    }
    await recovered();
  });
});
