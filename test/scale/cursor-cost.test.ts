/**
 * A page whose offset has a remembered cursor costs one array page, whatever the offset; only a jump nobody walked to
 * pays the skip. Cursors live in Redis, so a second plugin instance (another driver on the same store) continues a
 * walk the first one began.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import pino from 'pino';
import { backendNamed } from '../../plugins';
import type { BackendDriver } from '../../src/backend';
import { RedisCursorStore } from '../../src/coordination/cursors';
import { type ArrayFixture, type RunningSimulator, simulatorNamed } from '../../simulators';
import { REDIS_URL } from '../helpers/env';

const VOLUMES = 1200;
const LIMIT = 25;

describe.each([
  ['element', 'ListActiveVolumes'],
  ['ontap', 'GET /api/storage/volumes'],
])('%s: offsets become cursors', (name, listCall) => {
  const kit = simulatorNamed(name);
  const logger = pino({ level: 'silent' });
  let sim: RunningSimulator;
  let fixture: ArrayFixture;
  let redis: Redis;
  const calls: string[] = [];
  const drivers: BackendDriver[] = [];

  beforeAll(async () => {
    sim = await kit.start({ port: 0, demo: false, bulkVolumes: VOLUMES });
    fixture = kit.fixture(sim.url);
    redis = new Redis(REDIS_URL);
    // Its own key space per run: the store's keys carry the array id, which a fresh simulator makes anew.
    const cursors = new RedisCursorStore(redis);
    for (let i = 0; i < 2; i++)
      drivers.push(
        backendNamed(name).create({
          scheme: 'http',
          tlsInsecure: false,
          timeoutMs: 10_000,
          connectTimeoutMs: 2000,
          logger,
          cursors,
          observeCall: (e) => calls.push(e.operation),
        }),
      );
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([...drivers.map((d) => d.close()), fixture?.close(), sim?.close()]);
    redis?.disconnect();
  });

  const conn = async (d: BackendDriver) => {
    const target = { ipAddress: '127.0.0.1', port: sim.port };
    return d.connect(target, kit.credentials, await d.login(target, kit.credentials));
  };
  const listCalls = () => calls.filter((c) => c.startsWith(listCall)).length;

  it('the next page of a walk is one array page, even on another instance; a jump pays the skip once', async () => {
    const [a, b] = [await conn(drivers[0]), await conn(drivers[1])];
    const jump = VOLUMES - 4 * LIMIT + (randomBytes(1)[0] % LIMIT);
    calls.length = 0;
    const first = await a.listVolumes(fixture.serverId, { start: jump, limit: LIMIT });
    expect(first).toHaveLength(LIMIT);
    // Element skips 500 volumes a call, ONTAP reads the skipped keys in one call the cluster may cut: more than one.
    expect(listCalls()).toBeGreaterThan(1);

    calls.length = 0;
    const next = await b.listVolumes(fixture.serverId, { start: jump + LIMIT, limit: LIMIT });
    expect(listCalls()).toBe(1);
    const ids = new Set(first.map((v) => v.id));
    expect(next.some((v) => ids.has(v.id))).toBe(false);

    calls.length = 0;
    const again = await a.listVolumes(fixture.serverId, { start: jump, limit: LIMIT });
    expect(listCalls()).toBe(1);
    expect(again.map((v) => v.id)).toEqual(first.map((v) => v.id));

    // The same pages read without any cursor (a plain skip) are the same volumes.
    const all = await a.listVolumes(fixture.serverId, { start: 0 });
    expect(next.map((v) => v.id)).toEqual(all.slice(jump + LIMIT, jump + 2 * LIMIT).map((v) => v.id));
  }, 60_000);
});
