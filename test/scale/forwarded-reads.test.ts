/**
 * Forwarded reads keep what changes rarely in a per-array memo; a change made through the plugin drops it, so the
 * very next read sees the change. Element holds the running copy jobs: a clone made through the plugin right after a
 * read must be reported as still copying (split ANY_TIME), not from the jobs held before it.
 */
import Redis from 'ioredis';
import pino from 'pino';
import { backendNamed } from '../../plugins';
import type { BackendDriver } from '../../src/backend';
import { RedisChangeFeed } from '../../src/coordination/changes';
import { type ArrayFixture, type RunningSimulator, type SimulatorStartOptions, simulatorNamed } from '../../simulators';
import { REDIS_URL } from '../helpers/env';
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('element: a change through the plugin is seen by the very next read', () => {
  let p: TestPlugin;
  let sid: string;

  beforeAll(async () => {
    // Copies take long enough to be seen running.
    p = await startTestPlugin('element', { simulator: { settings: { cloneMinMs: 3000 } } as object });
    sid = await p.login();
  }, 60_000);
  afterAll(() => p?.close());

  it('a clone made right after a read is read as still copying', async () => {
    const vol = (id: string) => `/server/${p.fixture.serverId}/volume/${id}`;
    const v = await p.fixture.createVolume({ name: uniq('memo'), type: 'lun', sizeBytes: 1 << 20 });
    const snap = await p.post(`${vol(v.id)}/snapshot`, sid, { name: uniq('snap') }).expect(201);
    // Two reads: the second is served from what the first left in the memo (no copy running then).
    for (let i = 0; i < 2; i++)
      expect((await p.get(vol(v.id), sid).expect(200)).body.supports.split).toBe('NOT_NEEDED');
    const clone = await p
      .post(`${vol(v.id)}?action=clone`, sid, { snapshot: { id: snap.body.id }, name: uniq('clone') })
      .expect(200);
    const read = await p.get(vol(clone.body.id), sid).expect(200);
    expect(read.body.supports.split).toBe('ANY_TIME');
    // And the source volume, read again, is still there with its own state.
    expect((await p.get(vol(v.id), sid).expect(200)).body.id).toBe(v.id);
  });

  it('a volume deleted through the plugin is gone on the very next read, however recently it was listed', async () => {
    const vol = (id: string) => `/server/${p.fixture.serverId}/volume/${id}`;
    const v = await p.fixture.createVolume({ name: uniq('gone'), type: 'lun', sizeBytes: 1 << 20 });
    await p.get(`/server/${p.fixture.serverId}/volume`, sid).expect(200);
    await p.get(vol(v.id), sid).expect(200);
    await p.del(vol(v.id), sid).expect(200);
    await p.get(vol(v.id), sid).expect(404);
  });
});

describe('element: a change through one plugin instance is seen by the next read on another', () => {
  const kit = simulatorNamed('element');
  const logger = pino({ level: 'silent' });
  let sim: RunningSimulator;
  let fixture: ArrayFixture;
  const redis: Redis[] = [];
  const feeds: RedisChangeFeed[] = [];
  const drivers: BackendDriver[] = [];

  beforeAll(async () => {
    sim = await kit.start({ port: 0, demo: false, settings: { cloneMinMs: 3000 } } as object as SimulatorStartOptions);
    fixture = kit.fixture(sim.url);
    for (let i = 0; i < 2; i++) {
      const r = new Redis(REDIS_URL);
      const feed = new RedisChangeFeed(r);
      redis.push(r);
      feeds.push(feed);
      drivers.push(
        backendNamed('element').create({
          scheme: 'http',
          tlsInsecure: false,
          timeoutMs: 10_000,
          connectTimeoutMs: 2000,
          logger,
          arrayChanges: feed,
        }),
      );
    }
    // A moment for both subscriptions to be in place.
    await sleep(200);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([...drivers.map((d) => d.close()), fixture?.close(), sim?.close()]);
    feeds.forEach((f) => f.close());
    redis.forEach((r) => r.disconnect());
  });

  it('a clone made through A is read as copying through B, whose memo held the jobs before the clone', async () => {
    const target = { ipAddress: '127.0.0.1', port: sim.port };
    const [a, b] = await Promise.all(
      drivers.map(async (d) => d.connect(target, kit.credentials, await d.login(target, kit.credentials))),
    );
    const v = await fixture.createVolume({ name: uniq('feed'), type: 'lun', sizeBytes: 1 << 20 });
    const snap = await a.createSnapshot(fixture.serverId, v.id, { name: uniq('snap') });
    await sleep(100);
    for (let i = 0; i < 2; i++) expect((await b.getVolume(fixture.serverId, v.id)).supports.split).toBe('NOT_NEEDED');
    const clone = await a.cloneVolume!(fixture.serverId, v.id, { snapshot: { id: snap.id }, name: uniq('clone') });
    // The announcement travels through Redis: within a moment, well inside the memo's 3 s.
    let split = '';
    for (const end = Date.now() + 300; Date.now() < end && split !== 'ANY_TIME'; await sleep(20))
      split = (await b.getVolume(fixture.serverId, clone.id)).supports.split;
    expect(split).toBe('ANY_TIME');
  });
});
