/**
 * One deadline per request (REQUEST_TIMEOUT_MS): a hung array and an operation of many slow calls both answer 504 soon
 * after it, however long each call's own budget; reads are retried on 502/503/504 within it, writes never.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent, send } from '../../plugins/shared/http';
import { request } from 'undici';
import { backendNamed } from '../../plugins';
import { simulatorNamed } from '../../simulators';
import { defaultRegions } from '../../simulators/scp';
import { keyOf } from '../../simulators/scp/fixture';
import { startScpSimulator } from '../../simulators/scp/server';
import { silentLogger } from '../../src/logs/logger';
import { forEachBackend } from '../helpers/backends';
import { faults } from '../helpers/faults';
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

/** The request deadline under test, and the per-call budget (ARRAY_TIMEOUT_MS), far longer on purpose. */
const DEADLINE_MS = 1500;
const CALL_BUDGET_MS = 20_000;
/**
 * The answer must come within the deadline plus scheduling slack of a loaded two-core machine. Without a request
 * deadline the hung call would take the 20 s call budget, and the slow restore its many calls of 600 ms each.
 */
const ANSWERED_BY_MS = DEADLINE_MS + 1000;

forEachBackend('one deadline per request', (ctx) => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin(ctx.name, { timeoutMs: CALL_BUDGET_MS, config: { requestTimeoutMs: DEADLINE_MS } });
    sid = await p.login();
  });
  afterAll(() => p.close());
  afterEach(() => faults(p, null));
  const srv = () => `/server/${encodeURIComponent(p.fixture.serverId)}`;

  it('an array that never answers: 504 soon after the request deadline, not after the call budget', async () => {
    await faults(p, { hangNext: 1 });
    const started = Date.now();
    const res = await p.get(`${srv()}/pool`, sid);
    const took = Date.now() - started;
    expect([res.status, res.body.error?.type]).toEqual([504, 'BACKEND_TIMEOUT']);
    if (process.env.DEADLINE_TEST_FIGURES) console.log(`${ctx.name} hung array answered in ${took} ms`);
    expect(res.body.error.message).toMatch(/REQUEST_TIMEOUT_MS/);
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(took).toBeLessThan(ANSWERED_BY_MS);
  });

  it('a restore-to-new of many calls, each slow but under its budget, answers 504 by the deadline', async () => {
    const v = await p.fixture.createVolume({ name: uniq('dl'), type: 'lun', sizeBytes: 16 << 20 });
    const vol = `${srv()}/volume/${v.id}`;
    const snap = (await p.post(`${vol}/snapshot`, sid, { name: uniq('dls') }).expect(201)).body;
    const source = (await p.get(vol, sid).expect(200)).body;
    // Every call now takes 600 ms: a restore-to-new makes well over three of them.
    await faults(p, { latencyMs: 600 });
    const started = Date.now();
    const res = await p.post(`${vol}?action=restore-to-new`, sid, {
      sourceSnapshotId: snap.id,
      targetVolumeName: uniq('dln'),
      targetPoolIds: [source.poolId],
    });
    const took = Date.now() - started;
    if (process.env.DEADLINE_TEST_FIGURES) console.log(`${ctx.name} slow restore-to-new answered in ${took} ms`);
    expect([res.status, res.body.error?.type]).toEqual([504, 'BACKEND_TIMEOUT']);
    expect(took).toBeLessThan(ANSWERED_BY_MS);
  });

  it('a read the array answers 503 once is retried and succeeds', async () => {
    await faults(p, { failNext: 1, failStatus: 503 });
    const res = await p.get(`${srv()}/pool`, sid).expect(200);
    expect(Array.isArray(res.body.pools)).toBe(true);
  });
});

describe('send(): what is sent again', () => {
  let server: http.Server;
  let hits: string[] = [];
  let origin: string;
  const agent = createAgent({ connectTimeoutMs: 1000, tlsInsecure: false });
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.method ?? '');
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    hits = [];
  });
  const call = (method: 'GET' | 'POST', retries: number, deadline?: number) =>
    send({ method, url: `${origin}/x`, headers: {}, timeoutMs: 5000, dispatcher: agent, retries, deadline });

  it('a read answered 503 is sent again (twice at most), then the 503 is the answer', async () => {
    expect((await call('GET', 2)).status).toBe(503);
    expect(hits).toEqual(['GET', 'GET', 'GET']);
  });

  it('a write answered 503 is sent once', async () => {
    expect((await call('POST', 0)).status).toBe(503);
    expect(hits).toEqual(['POST']);
  });

  it('a read is not sent again once the deadline is too near', async () => {
    expect((await call('GET', 2, Date.now() + 40)).status).toBe(503);
    expect(hits).toEqual(['GET']);
  });

  it('a call made past the deadline fails at once with BACKEND_TIMEOUT, sending nothing', async () => {
    await expect(call('GET', 2, Date.now() - 1)).rejects.toMatchObject({ code: 'BACKEND_TIMEOUT' });
    expect(hits).toEqual([]);
  });
});

describe('polling an operation the array has not finished (SCP 202 operations)', () => {
  it('stops at the request deadline, though the operation budget (ARRAY_TIMEOUT_MS) is far longer', async () => {
    const kit = simulatorNamed('scp');
    const creds = kit.credentials;
    // Operations take a minute to settle unless told to.
    const sim = await startScpSimulator({
      regions: defaultRegions(0),
      keys: [keyOf(creds.username, creds.password)],
      demo: false,
      opDelayMs: 60_000,
    });
    const fixture = kit.fixture(sim.url);
    const driver = backendNamed('scp').create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: CALL_BUDGET_MS,
      connectTimeoutMs: 1000,
      logger: silentLogger(),
    });
    const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    const settle = async () => {
      const res = await request(`${sim.url}/sim/settle`, { method: 'POST', headers: { authorization: auth } });
      await res.body.dump();
    };
    try {
      // The fixture's volume settles when told to.
      let made: { id: string } | undefined;
      const making = fixture.createVolume({ name: uniq('poll'), type: 'filesystem', sizeBytes: 16 << 20 }).then((v) => {
        made = v;
      });
      while (!made) {
        await settle();
        await Promise.race([making, new Promise((r) => setTimeout(r, 50))]);
      }
      const target = { ipAddress: '127.0.0.1', port: sim.port };
      const identity = await driver.login(target, creds);
      const started = Date.now();
      const conn = driver.connect(target, creds, identity, { deadline: started + DEADLINE_MS });
      const err = await conn
        .createSnapshot(fixture.serverId, made.id, { name: uniq('polled') })
        .catch((e: unknown) => e);
      const took = Date.now() - started;
      expect(err).toMatchObject({ code: 'BACKEND_TIMEOUT' });
      expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 300);
      expect(took).toBeLessThan(ANSWERED_BY_MS);
    } finally {
      await Promise.allSettled([driver.close(), fixture.close(), sim.close()]);
    }
  }, 60_000);
});
