/**
 * One suite every backend passes, driven only by its declared capabilities: what a backend claims
 * works (proven by content where content matters), and what it does not claim answers UNSUPPORTED.
 */
import { SIMULATORS, simulatorNamed } from '../../simulators';
import { randomBytes } from 'node:crypto';
import { BACKENDS } from '../../plugins';
import {
  type ArrayConnection,
  type BackendDefinition,
  type BackendDriver,
  type Capability,
  capabilityList,
  hasCapability,
  requiredMethods,
} from '../../src/backend';
import type { ArrayFixture, RunningSimulator } from '../../simulators';
import { MemoryCoordinator } from '../../src/coordination/memory';
import { StorageError } from '../../src/domain/errors';
import { StorageService } from '../../src/domain/service';
import { silentLogger } from '../../src/logs/logger';

const ALL = { start: 0 };
let n = 0;
const name = (p: string) => `conf_${p}_${process.pid}_${++n}`;

/** A call for each capability that can be switched off, made the way the core makes it. */
const PROBES: Partial<Record<Capability, (s: StorageService, sid: string, vol: string) => Promise<unknown>>> = {
  clone: (s, sid, vol) => s.cloneVolume(sid, vol, { snapshot: { id: 'x' }, name: 'x' }),
  mount: (s, sid, vol) => s.mountVolume(sid, vol, {}),
  split: (s, sid, vol) => s.splitVolume(sid, vol),
  restore: (s, sid, vol) => s.restoreVolume(sid, vol, { snapshotId: 'x' }),
  restoreToAlternate: (s, sid, vol) => s.restoreToAlternate(sid, vol, { sourceSnapshotId: 'x', targetVolumeId: 'y' }),
  restoreToNew: (s, sid, vol) => s.restoreToNew(sid, vol, { sourceSnapshotId: 'x', targetVolumeName: 'y' }),
  // A collection the backend lacks lists empty (see below): its actions are what answer UNSUPPORTED.
  luns: (s, sid) => s.onlineLun(sid, 'x'),
  hostMapping: (s, sid, vol) => s.mapToHost(sid, 'x', { volumeId: vol }),
  fibreChannel: (s, sid) => s.createHost(sid, { name: 'x', wwns: ['10:00:00:00:c9:12:34:56'] }),
  hostGroups: (s, sid, vol) => s.mapToHostGroup(sid, 'x', { volumeId: vol }),
  consistencyGroups: (s, sid, vol) => s.cgAddVolume(sid, 'x', { volumeId: vol }),
  'replication.newSnapshot': (s, sid, vol) => s.createSnapshot(sid, vol, { name: 'x', replicate: true }),
  'replication.consistencyGroup': (s, sid) => s.cgAddReplicationTarget(sid, 'x', { targetName: 'x' }),
};

/** The collections a capability brings, and how to read one member: where it is off they list empty and 404. */
const COLLECTIONS: Partial<
  Record<
    Capability,
    {
      list: (s: StorageService, sid: string) => Promise<unknown[]>;
      get?: (s: StorageService, sid: string) => Promise<unknown>;
    }
  >
> = {
  luns: { list: (s, sid) => s.listLuns(sid, ALL), get: (s, sid) => s.getLun(sid, '987654321') },
  hostGroups: { list: (s, sid) => s.listHostGroups(sid, ALL) },
  consistencyGroups: {
    list: (s, sid) => s.listConsistencyGroups(sid, ALL),
    get: (s, sid) => s.getConsistencyGroup(sid, '987654321'),
  },
  remoteArrays: { list: (s, sid) => s.listRemoteArrays(sid, ALL) },
};

describe.each(
  Object.values(BACKENDS)
    .filter((b) => SIMULATORS[b.name])
    .map((b) => [b.name, b] as const),
)('backend %s', (_name, backend: BackendDefinition) => {
  let sim: RunningSimulator;
  let driver: BackendDriver;
  let conn: ArrayConnection;
  let service: StorageService;
  let fixture: ArrayFixture;
  let serverId: string;

  beforeAll(async () => {
    sim = await simulatorNamed(backend.name).start({ port: 0, demo: false });
    driver = backend.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 10_000,
      connectTimeoutMs: 2000,
      logger: silentLogger(),
    });
    const target = { ipAddress: '127.0.0.1', port: sim.port };
    const identity = await driver.login(target, simulatorNamed(backend.name).credentials);
    conn = driver.connect(target, simulatorNamed(backend.name).credentials, identity);
    service = new StorageService(backend, conn, {
      coordinator: new MemoryCoordinator(),
      arrayKey: `conformance-${sim.port}`,
      lockTtlMs: 60_000,
      createWindowMs: 60_000,
      createWaitMs: 5000,
    });
    fixture = simulatorNamed(backend.name).fixture(sim.url);
    serverId = fixture.serverId;
  });
  afterAll(async () => {
    await Promise.allSettled([fixture.close(), driver.close(), sim.close()]);
  });

  it('says why each capability it does not declare is off, and gives no reason for one it declares', () => {
    for (const cap of capabilityList(backend.capabilities)) {
      const why = backend.unsupported[cap];
      if (hasCapability(backend.capabilities, cap)) expect([cap, why]).toEqual([cap, undefined]);
      else expect([cap, typeof why === 'string' && why.length > 10]).toEqual([cap, true]);
    }
  });

  it('implements every operation its capabilities declare', () => {
    for (const cap of capabilityList(backend.capabilities).filter((c) => hasCapability(backend.capabilities, c))) {
      for (const method of requiredMethods(cap))
        expect([cap, method, typeof conn[method]]).toEqual([cap, method, 'function']);
    }
  });

  it('refuses wrong credentials as UNAUTHORIZED', async () => {
    await expect(
      driver.login({ ipAddress: '127.0.0.1', port: sim.port }, { username: 'nobody', password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('derives the server supports flags from the capabilities', async () => {
    const server = await service.getServer(serverId);
    const r = backend.capabilities.replication;
    expect(server.supports.volumeReplication).toBe(r.volume);
    expect(server.supports.persistentConsistencyGroup).toBe(backend.capabilities.persistentConsistencyGroups);
  });

  it('answers NOT_FOUND for ids it does not have, at every level', async () => {
    await expect(service.getServer('no-such-server')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getVolume(serverId, '987654321')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.listSnapshots(serverId, '987654321', ALL)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getPool(serverId, '987654321')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getHost(serverId, '987654321')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getNetwork(serverId, 'no-such-network')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers UNSUPPORTED for every capability it does not declare', async () => {
    const vol = await fixture.createVolume({ name: name('unsup'), type: 'filesystem', sizeBytes: 1 << 20 });
    for (const cap of capabilityList(backend.capabilities).filter((c) => !hasCapability(backend.capabilities, c))) {
      const probe = PROBES[cap];
      if (!probe) continue;
      const err = await probe(service, serverId, vol.id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect([cap, err instanceof StorageError ? err.code : err]).toEqual([cap, 'UNSUPPORTED']);
      // The 501 says why, in the backend's own words (the reason of the first missing capability the call needs).
      const reasons = Object.values(backend.unsupported);
      expect([cap, reasons.some((r) => (err as StorageError).message.endsWith(`: ${r}`))]).toEqual([cap, true]);
    }
  });

  it('lists every collection it does not have as empty, answers 404 for a member of one, and 404 under an unknown server', async () => {
    for (const cap of capabilityList(backend.capabilities).filter((c) => !hasCapability(backend.capabilities, c))) {
      const c = COLLECTIONS[cap];
      if (!c) continue;
      expect([cap, await c.list(service, serverId)]).toEqual([cap, []]);
      if (c.get) await expect(c.get(service, serverId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(c.list(service, '987654321')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  // What a backend does not declare is held to UNSUPPORTED above; what it declares is proven by content here.
  const declared = (flag: boolean) => (flag ? it : (_title: string, _test: () => Promise<void>) => undefined);
  declared(backend.capabilities.restore)('snapshots and restores by content (restore declared)', async () => {
    const vol = await fixture.createVolume({ name: name('restore'), type: 'lun', sizeBytes: 4 << 20 });
    const a = randomBytes(100_000);
    await fixture.write(vol.id, a);
    const snap = await service.createSnapshot(serverId, vol.id, { name: name('s') });
    await fixture.write(vol.id, randomBytes(150_000));
    await service.restoreVolume(serverId, vol.id, { snapshotId: snap.id });
    expect((await fixture.read(vol.id)).equals(a)).toBe(true);
  });

  declared(backend.capabilities.clone)('clones a snapshot by content (clone declared)', async () => {
    const vol = await fixture.createVolume({ name: name('clone'), type: 'lun', sizeBytes: 4 << 20 });
    const a = randomBytes(50_000);
    await fixture.write(vol.id, a);
    const snap = await service.createSnapshot(serverId, vol.id, { name: name('s') });
    const clone = await service.cloneVolume(serverId, vol.id, { snapshot: { id: snap.id }, name: name('c') });
    expect((await fixture.read(clone.id)).equals(a)).toBe(true);
    if (clone.supports.split === 'NOT_NEEDED') {
      // A clone that is a volume of its own: its snapshot may go, and the clone keeps the content.
      await service.deleteSnapshot(serverId, vol.id, snap.id);
      expect((await fixture.read(clone.id)).equals(a)).toBe(true);
    } else {
      await expect(service.deleteSnapshot(serverId, vol.id, snap.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    }
  });

  it('pages every list it serves with limit and start', async () => {
    for (let i = 0; i < 3; i++)
      await fixture.createVolume({ name: name('page'), type: 'filesystem', sizeBytes: 1 << 20 });
    const all = await service.listVolumes(serverId, ALL);
    const pages = [
      await service.listVolumes(serverId, { start: 0, limit: 2 }),
      await service.listVolumes(serverId, { start: 2, limit: 2 }),
    ];
    expect(pages.flat().map((v) => v.id)).toEqual(all.slice(0, 4).map((v) => v.id));
  });
});
