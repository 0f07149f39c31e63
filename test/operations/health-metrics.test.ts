// What the person running the plugin holds: liveness, readiness that names what fails, Prometheus metrics, request
// ids on every answer and log line, log levels that mean something, and HEAD on public routes. The plugin is
// assembled as in production (startRuntime), on a throwaway Redis that the tests stop.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { LOG_FILE } from '../../src/logs/logger';
import { type Runtime, startRuntime } from '../../src/runtime';
import { API } from '../helpers/plugin';
import { ThrowawayRedis, freePort } from '../helpers/redis-server';

/** The value of one sample of the exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [series, value] = line.split(/ (?=[^ ]+$)/);
    if (want.every((w) => series.includes(w))) return Number(value);
  }
  return undefined;
}

async function logLines(rt: Runtime, logDir: string): Promise<Record<string, unknown>[]> {
  // The file logger writes in batches: flush it first.
  await new Promise((r) => rt.logger.flush(r));
  return readFileSync(path.join(logDir, LOG_FILE), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('operations: health, readiness, metrics, request ids', () => {
  let redis: ThrowawayRedis;
  let rt: Runtime;
  let logDir: string;
  let sid: string;
  const auth = `Basic ${Buffer.from('admin:simulator').toString('base64')}`;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    logDir = mkdtempSync(path.join(tmpdir(), 'ops-'));
    const config = loadConfig({
      REDIS_URL: redis.url,
      SIMULATOR: 'on',
      SIMULATOR_PORT: String(await freePort()),
      LOG_DIR: logDir,
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_RATE_LIMIT: '1000000',
      LOGIN_FAILURES_PER_CLIENT: '1000000',
      LOGIN_FAILURES_PER_ARRAY: '1000000',
      METRICS_TOKEN: 'scrape-token',
    });
    rt = await startRuntime(config);
    const port = Number(new URL(rt.simulator!.url).port);
    const res = await request(rt.app)
      .post(`${API}/session`)
      .set('authorization', auth)
      .send({ ipAddress: '127.0.0.1', port });
    expect(res.status).toBe(201);
    sid = res.body.sessionId;
  }, 30_000);
  afterAll(async () => {
    await rt?.close();
    await redis?.kill();
  });

  it('GET /healthz answers 200 with no session', async () => {
    const res = await request(rt.app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when Redis and the embedded simulator answer', async () => {
    const res = await request(rt.app).get('/readyz').expect(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.checks).toEqual({ redis: { ok: true }, simulator: { ok: true } });
  });

  it('HEAD of a public route answers like its GET, without a session', async () => {
    await request(rt.app).head(`${API}/info`).expect(200);
    await request(rt.app).head('/healthz').expect(200);
  });

  it('returns the caller’s X-Request-Id, or makes one, on every answer, and puts it in error bodies', async () => {
    const mine = `req-${randomBytes(4).toString('hex')}`;
    const ok = await request(rt.app)
      .get(`${API}/storage`)
      .set('x-storageplugin-sessionid', sid)
      .set('x-request-id', mine);
    expect(ok.status).toBe(200);
    expect(ok.headers['x-request-id']).toBe(mine);
    const made = await request(rt.app).get(`${API}/server/nosuch`).set('x-storageplugin-sessionid', sid);
    expect(made.status).toBe(404);
    expect(made.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Made ids are unique: a counter after a per-process prefix.
    expect((await request(rt.app).get('/healthz')).headers['x-request-id']).not.toBe(made.headers['x-request-id']);
    expect(made.body.error.requestId).toBe(made.headers['x-request-id']);
    // An id with spaces or too long is not echoed (it would garble log lines): the plugin makes its own.
    const bad = await request(rt.app).get('/healthz').set('x-request-id', 'two words');
    expect(bad.headers['x-request-id']).not.toBe('two words');
    expect(
      (await request(rt.app).get('/healthz').set('x-request-id', 'x'.repeat(200))).headers['x-request-id'],
    ).toHaveLength(16);
  });

  it('writes the request id on every log line of the request, errors at the level they deserve', async () => {
    const id = `trace-${randomBytes(4).toString('hex')}`;
    await request(rt.app)
      .get(`${API}/server/0/volume/nosuch`)
      .set('x-storageplugin-sessionid', sid)
      .set('x-request-id', id)
      .expect(404);
    const unsupported = `trace-${randomBytes(4).toString('hex')}`;
    await request(rt.app)
      .post(`${API}/server/0/volume/1?action=split`)
      .set('x-storageplugin-sessionid', sid)
      .set('x-request-id', unsupported)
      .send({})
      .expect(501);
    const lines = await logLines(rt, logDir);
    const mine = lines.filter((l) => l.requestId === id);
    // The access line and the error line, both naming the request.
    expect(mine.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['request', expect.stringMatching(/does not exist|no such/)]),
    );
    // 4xx and a declared 501 are normal traffic: info (30), not error (50).
    expect(mine.every((l) => l.level === 30)).toBe(true);
    expect(lines.filter((l) => l.requestId === unsupported).map((l) => l.level)).toEqual([30, 30]);
  });

  it('serves Prometheus metrics behind its bearer token: requests by route template, array calls by vendor operation', async () => {
    for (let i = 0; i < 3; i++)
      await request(rt.app).get(`${API}/server/0/volume`).set('x-storageplugin-sessionid', sid).expect(200);
    await request(rt.app).get('/metrics').expect(401);
    await request(rt.app).get('/metrics').set('authorization', 'Bearer wrong-token').expect(401);
    const res = await request(rt.app).get('/metrics').set('authorization', 'Bearer scrape-token').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    const route = { route: '/storageplugin/api/server/:serverId/volume', method: 'GET', status: '200' };
    expect(sample(text, 'cdm_plugin_http_request_duration_seconds_count', route)).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'cdm_plugin_array_calls_total', { backend: 'vsnap', operation: 'GET /api/volume', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'cdm_plugin_sessions_active', {})).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cdm_plugin_process_cpu_seconds_total', {})).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE cdm_plugin_lock_conflicts_total counter$/m);
  });

  it('with Redis down, /readyz answers 503 naming Redis while /healthz still answers 200', async () => {
    await redis.kill();
    const res = await request(rt.app).get('/readyz').expect(503);
    expect(res.body.status).toBe('not ready');
    expect(res.body.failing).toEqual(['redis']);
    expect(res.body.checks.simulator).toEqual({ ok: true });
    expect(res.body.checks.redis.ok).toBe(false);
    await request(rt.app).get('/healthz').expect(200);
    // A session read now fails on Redis: the metrics count it.
    await request(rt.app).get(`${API}/storage`).set('x-storageplugin-sessionid', sid).expect(503);
    const text = (await request(rt.app).get('/metrics').set('authorization', 'Bearer scrape-token').expect(200)).text;
    expect(sample(text, 'cdm_plugin_redis_errors_total', { kind: 'command' })).toBeGreaterThanOrEqual(1);
  });
});
