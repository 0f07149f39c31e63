/**
 * Arrays and backends are told apart by more than what an array says about itself: two arrays reporting one storage
 * id (started from one state file) share no locks and no create records, a session opened for one backend is refused
 * by an instance of another sharing the Redis, and ids are bounded before they reach an array.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { backendNamed } from '../../plugins';
import { type RunningSimulator, simulatorNamed } from '../../simulators';
import { createApp } from '../../src/app';
import { lockKey } from '../../src/domain/service';
import { silentLogger } from '../../src/logs/logger';
import { arrayKeyOf } from '../../src/http/session';
import { TEST_BACKENDS } from '../helpers/backends';
import { countingProxy } from '../helpers/counting-proxy';
import { API, type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe.each(TEST_BACKENDS)('%s: two arrays started from one state', (name) => {
  let p: TestPlugin;
  let twin: RunningSimulator;
  let volumeId: string;
  let sidA: string;
  let sidB: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cdm-twins-'));
    const [fileA, fileB] = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
    const kit = simulatorNamed(name);
    // Array A with a volume, saved; B starts from a copy of A's state: same storage id, same volume id.
    const first = await kit.start({ port: 0, demo: false, stateFile: fileA });
    const fx = kit.fixture(first.url);
    volumeId = (await fx.createVolume({ name: uniq('twinvol'), type: 'lun', sizeBytes: 1 << 20 })).id;
    await fx.close();
    await first.close();
    copyFileSync(fileA, fileB);
    p = await startTestPlugin(name, { simulator: { stateFile: fileA } });
    twin = await kit.start({ port: 0, demo: false, stateFile: fileB });
    sidA = await p.login();
    sidB = await p.login({ ipAddress: '127.0.0.1', port: twin.port });
  }, 60_000);
  afterAll(async () => {
    await twin?.close();
    await p?.close();
  });

  const srv = () => `/server/${encodeURIComponent(p.fixture.serverId)}`;

  it('the two arrays report the same storage id (the premise), unless the backend qualifies it by address', async () => {
    const [a, b] = [await p.get('/storage', sidA).expect(200), await p.get('/storage', sidB).expect(200)];
    if (a.body.id === b.body.id) return;
    // A cloud endpoint's storage id names the endpoint it was reached at.
    expect([a.body.id, b.body.id]).toEqual([
      expect.stringContaining(`:${p.sim.port}`),
      expect.stringContaining(`:${twin.port}`),
    ]);
  });

  it('a snapshot create on B is carried out on B, never answered with the same create made on A', async () => {
    const snapName = uniq('twinsnap');
    const onA = await p.post(`${srv()}/volume/${volumeId}/snapshot`, sidA, { name: snapName }).expect(201);
    const before = (await p.get(`${srv()}/volume/${volumeId}/snapshot`, sidB).expect(200)).body.snapshots.length;
    const onB = await p.post(`${srv()}/volume/${volumeId}/snapshot`, sidB, { name: snapName }).expect(201);
    const listB = (await p.get(`${srv()}/volume/${volumeId}/snapshot`, sidB).expect(200)).body.snapshots;
    expect(listB.length).toBe(before + 1);
    expect(listB.map((s: { id: string }) => s.id)).toContain(onB.body.id);
    await p.get(`${srv()}/volume/${volumeId}/snapshot/${encodeURIComponent(onB.body.id)}`, sidB).expect(200);
    // A still has exactly its own.
    const listA = (await p.get(`${srv()}/volume/${volumeId}/snapshot`, sidA).expect(200)).body.snapshots;
    expect(listA.filter((s: { name: string }) => s.name === snapName).map((s: { id: string }) => s.id)).toEqual([
      onA.body.id,
    ]);
  });

  it('a lock held on A does not block the same volume on B', async () => {
    const snapName = uniq('locksnap');
    const snap = (await p.post(`${srv()}/volume/${volumeId}/snapshot`, sidB, { name: snapName }).expect(201)).body;
    const storageId = (await p.get('/storage', sidA).expect(200)).body.id;
    const keyA = lockKey(
      name,
      arrayKeyOf({ identity: { storageId }, target: p.target }),
      p.fixture.serverId,
      'volume',
      volumeId,
    );
    const keyB = lockKey(
      name,
      arrayKeyOf({ identity: { storageId }, target: { ipAddress: '127.0.0.1', port: twin.port } }),
      p.fixture.serverId,
      'volume',
      volumeId,
    );
    expect(keyA).not.toBe(keyB);
    const token = await p.coordinator.acquire(keyA, 30_000);
    expect(token).not.toBeNull();
    try {
      const path = `${srv()}/volume/${volumeId}/snapshot/${encodeURIComponent(snap.id)}`;
      await p.del(path, sidA).expect(409);
      await p.del(path, sidB).expect(204);
    } finally {
      await p.coordinator.release(keyA, token!);
    }
  });
});

describe('a session bound to its backend', () => {
  it('a vSnap session is refused (401) by an Element instance sharing the Redis and key, and nothing reaches the array', async () => {
    const p = await startTestPlugin('vsnap');
    const proxy = await countingProxy(p.sim.port);
    const element = backendNamed('element');
    const logger = silentLogger();
    const driver = element.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 5000,
      connectTimeoutMs: 1000,
      logger,
    });
    try {
      const sid = await p.login({ ipAddress: '127.0.0.1', port: proxy.port });
      // The same session store (one Redis, one key) behind an instance serving Element.
      const app = createApp({
        config: { bodyLimit: '1mb', logDir: p.logDir, validateResponses: true },
        backend: element,
        driver,
        sessions: p.sessions,
        coordinator: p.coordinator,
        logger,
      });
      const reached = proxy.count;
      for (const path of ['/storage', '/server', `/server/0/volume`]) {
        const res = await request(app).get(`${API}${path}`).set('x-storageplugin-sessionid', sid);
        expect([path, res.status]).toEqual([path, 401]);
        expect(res.body.error.message).toMatch(/not opened on this plugin/);
      }
      expect(proxy.count).toBe(reached);
      // The vSnap instance still serves it.
      await p.get('/storage', sid).expect(200);
    } finally {
      await driver.close();
      await proxy.close();
      await p.close();
    }
  });
});

describe.each(TEST_BACKENDS)('%s: ids and names are bounded before they reach the array', (name) => {
  let p: TestPlugin;
  let sid: string;
  let volumeId: string;
  beforeAll(async () => {
    p = await startTestPlugin(name);
    sid = await p.login();
    volumeId = (await p.fixture.createVolume({ name: uniq('idvol'), type: 'lun', sizeBytes: 1 << 20 })).id;
  });
  afterAll(() => p.close());
  const srv = () => `/server/${encodeURIComponent(p.fixture.serverId)}`;
  const huge = 'x'.repeat(70_000);

  it.each([
    ['restore', { snapshotId: huge }],
    ['clone', { snapshot: { id: huge }, name: 'c1' }],
    ['restore-to-alternate', { sourceSnapshotId: '1', targetVolumeId: huge }],
  ])('?action=%s with a 70,000-character id answers 400, not 502', async (action, body) => {
    const res = await p.post(`${srv()}/volume/${volumeId}?action=${action}`, sid, body);
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
  });

  it('an 8,000-character id in the path answers 400 (a longer request line is refused by the HTTP server: 431)', async () => {
    const long = 'x'.repeat(8000);
    const res = await p.get(`${srv()}/volume/${long}/snapshot/${long}`, sid);
    expect(res.status).toBe(400);
  });

  it.each([
    ['with a slash', 'a/b'],
    ['with a NUL', 'a\u0000b'],
    ['with a line feed', 'a\nb'],
    ['of 256 characters', 'x'.repeat(256)],
  ])('a clone name %s answers 400', async (_what, bad) => {
    const res = await p.post(`${srv()}/volume/${volumeId}?action=clone`, sid, { snapshot: { id: '1' }, name: bad });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/name/);
  });
});
