/**
 * A Redis outage in the plugin's log: one error line when it starts, one line with the count of failed calls when it
 * ends, and no line (nor stack) per request it failed.
 */
import { TEST_LOGIN_LIMITS } from '../helpers/env';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { backendNamed } from '../../plugins';
import { type RunningSimulator, simulatorNamed } from '../../simulators';
import { createApp } from '../../src/app';
import { createLoggers } from '../../src/logs/logger';
import { type Stores, openStores } from '../../src/stores';
import { API } from '../helpers/plugin';
import { ThrowawayRedis } from '../helpers/redis-server';

describe('a Redis outage in the log', () => {
  let redis: ThrowawayRedis;
  let stores: Stores;
  let sim: RunningSimulator;
  const logDir = mkdtempSync(path.join(tmpdir(), 'cdm-outage-log-'));
  const { logger, access } = createLoggers({ dir: logDir, level: 'info', stdout: false });
  const backend = backendNamed('vsnap');
  const driver = backend.create({
    scheme: 'http',
    tlsInsecure: false,
    timeoutMs: 5000,
    connectTimeoutMs: 1000,
    logger,
  });
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    sim = await simulatorNamed(backend.name).start({ port: 0, demo: false });
    stores = await openStores({ redisUrl: redis.url, sessionIdleSeconds: 600, redisCommandTimeoutMs: 250 }, logger);
    app = createApp({
      config: { bodyLimit: '1mb', logDir, validateResponses: true, sessionRateLimit: 1_000_000, ...TEST_LOGIN_LIMITS },
      backend,
      driver,
      sessions: stores.sessions,
      coordinator: stores.coordinator,
      logger,
      accessLogger: access,
    });
  });
  afterAll(async () => {
    await Promise.allSettled([stores.close(), driver.close(), sim.close()]);
    await redis.kill();
  });

  const login = () =>
    request(app).post(`${API}/session`).auth('admin', 'simulator').send({ ipAddress: '127.0.0.1', port: sim.port });

  it('writes one error line for 60 failed calls, and one line when Redis is back', async () => {
    const sid = (await login().expect(201)).body.sessionId as string;
    await redis.kill();
    for (let i = 0; i < 30; i++) {
      expect((await request(app).get(`${API}/storage`).set('x-storageplugin-sessionid', sid)).status).toBe(503);
      expect((await login()).status).toBe(503);
    }
    await redis.restart();
    const deadline = Date.now() + 15_000;
    while ((await login()).status !== 201) {
      if (Date.now() > deadline) throw new Error('Redis did not come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise<void>((r) => logger.flush(() => r()));
    await new Promise((r) => setTimeout(r, 300));

    const lines = readFileSync(path.join(logDir, 'plugin.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (l) => JSON.parse(l) as { level: number; msg: string; outage?: string; failedCalls?: number; err?: unknown },
      );
    const started = lines.filter((l) => l.outage && l.level === 50);
    expect(started).toHaveLength(1);
    expect(started[0].msg).toMatch(/unavailable/);
    const ended = lines.filter((l) => l.outage && l.level < 50);
    expect(ended).toHaveLength(1);
    expect(ended[0].failedCalls).toBeGreaterThanOrEqual(60);
    // No per-request error line, and no stack anywhere.
    expect(
      lines.filter((l) =>
        /SESSION_STORE_UNAVAILABLE|session store \(Redis\) is unavailable; retry/.test(JSON.stringify(l)),
      ),
    ).toEqual([]);
    expect(lines.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
    // The access lines still record each 503.
    expect(
      lines.filter((l) => l.msg === 'request' && (l as { status?: number }).status === 503).length,
    ).toBeGreaterThanOrEqual(60);
  }, 60_000);
});
