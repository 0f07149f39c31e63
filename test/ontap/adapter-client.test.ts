// The ONTAP adapter's wire behaviour against the simulator over HTTP: server-side paging, job polling with a bound,
// errors, TLS.
import { simulatorNamed } from '../../simulators';
import ontap from '../../plugins/ontap';
import { OntapApiError } from '../../plugins/ontap/errors';
import { fromOntap } from '../../plugins/ontap/mapper';
import { silentLogger } from '../../src/logs/logger';
import { type Rig, startRig, watching } from './adapter-helpers';
import { uniq } from './sim-helpers';

describe('ONTAP adapter on the wire', () => {
  let rig: Rig;
  let made: string[];
  beforeAll(async () => {
    rig = await startRig();
    made = [];
    for (let i = 0; i < 7; i++)
      made.push((await rig.fixture.createVolume({ name: uniq('pg'), type: 'filesystem', sizeBytes: 1 << 20 })).id);
  });
  afterAll(() => rig.close());

  describe('paging', () => {
    it('a CDM page is read server-side: the skipped records come with their uuid only, the page with max_records', async () => {
      const all = (await rig.conn.listVolumes(rig.svm, { start: 0 })).map((v) => v.id);
      expect(all).toEqual(made);
      const { result, seen } = await watching(rig, () => rig.conn.listVolumes(rig.svm, { start: 3, limit: 2 }));
      expect(result.map((v) => v.id)).toEqual(made.slice(3, 5));
      const volumeCalls = seen.filter((s) => s.url.startsWith('/api/storage/volumes?'));
      expect(volumeCalls).toHaveLength(2);
      expect(volumeCalls[0].url).toMatch(/fields=uuid&max_records=3/);
      expect(volumeCalls[1].url).toMatch(/max_records=2/);
      expect(volumeCalls[1].url).toContain('start.seq=');
      expect(volumeCalls.reduce((a, s) => a + (s.records ?? 0), 0)).toBe(5);
    });

    it('a start without a limit reads everything after the skipped records, in pages the cluster chooses', async () => {
      const { result, seen } = await watching(rig, () => rig.conn.listVolumes(rig.svm, { start: 5 }));
      expect(result.map((v) => v.id)).toEqual(made.slice(5));
      const read = seen.filter((s) => s.url.startsWith('/api/storage/volumes?'))[1];
      expect(read.url).not.toContain('max_records');
      expect(read.url).toContain('start.seq=');
    });

    it('pages the cluster cuts short are followed through _links.next, and a page past the end is empty', async () => {
      await rig.sim.settings({ maxPageSize: 2 });
      try {
        const { result, seen } = await watching(rig, () => rig.conn.listVolumes(rig.svm, { start: 1, limit: 5 }));
        expect(result.map((v) => v.id)).toEqual(made.slice(1, 6));
        expect(seen.filter((s) => s.url.startsWith('/api/storage/volumes?')).length).toBeGreaterThan(2);
        expect(await rig.conn.listVolumes(rig.svm, { start: 7, limit: 3 })).toEqual([]);
        expect((await rig.conn.listVolumes(rig.svm, { start: 0 })).map((v) => v.id)).toEqual(made);
      } finally {
        await rig.sim.settings({ maxPageSize: 0 });
      }
    });
  });

  describe('jobs', () => {
    it('waits with return_timeout when it can, and polls the job when the cluster answers 202', async () => {
      const { seen } = await watching(rig, () => rig.conn.createSnapshot(rig.svm, made[0], { name: uniq('waited') }));
      expect(seen.find((s) => s.method === 'POST')!.url).toMatch(/return_timeout=5/);
      const short = await startRig({ timeoutMs: 1500 });
      try {
        await short.sim.settings({ jobMs: 300 });
        const v = (await short.fixture.createVolume({ name: uniq('poll'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
        const { result, seen: polled } = await watching(short, () =>
          short.conn.createSnapshot(short.svm, v, { name: 'polled' }),
        );
        expect(result.name).toBe('polled');
        expect(polled.find((s) => s.method === 'POST')!.url).toMatch(/return_timeout=0/);
        expect(polled.filter((s) => s.url.startsWith('/api/cluster/jobs/')).length).toBeGreaterThan(1);
      } finally {
        await short.close();
      }
    });

    it('gives up on a job that runs past its budget with BACKEND_TIMEOUT', async () => {
      const short = await startRig({ timeoutMs: 1000 });
      try {
        const v = (await short.fixture.createVolume({ name: uniq('slow'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
        await short.sim.settings({ jobMs: 3000 });
        await expect(short.conn.createSnapshot(short.svm, v, { name: 'slow' })).rejects.toMatchObject({
          code: 'BACKEND_TIMEOUT',
        });
      } finally {
        await short.close();
      }
    });

    it('a failed job is the error of the call: a busy snapshot is CONFLICT, an injected failure BACKEND_ERROR', async () => {
      const snap = await rig.conn.createSnapshot(rig.svm, made[1], { name: uniq('base') });
      await rig.conn.cloneVolume!(rig.svm, made[1], { snapshot: { id: snap.id }, name: uniq('dep') });
      await expect(rig.conn.deleteSnapshot(rig.svm, made[1], snap.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('1638555'),
      });
      await rig.sim.settings({ failNextJobs: 1 });
      await expect(rig.conn.createSnapshot(rig.svm, made[1], { name: uniq('doomed') })).rejects.toMatchObject({
        code: 'BACKEND_ERROR',
        message: expect.stringContaining('460770'),
      });
    });
  });

  describe('errors', () => {
    it('maps ONTAP codes to the domain: 4 NOT_FOUND, 1 CONFLICT, 917534 INSUFFICIENT_SPACE, 262197 INVALID_ARGUMENT, 401 UNAUTHORIZED', () => {
      const code = (status: number, c: string) =>
        (fromOntap(new OntapApiError(status, c, 'x'), { kind: 'volume', id: 'v1' }) as { code: string }).code;
      expect([
        code(404, '4'),
        code(409, '1'),
        code(409, '917534'),
        code(400, '262197'),
        code(401, '6'),
        code(403, '6'),
        code(500, '460770'),
      ]).toEqual([
        'NOT_FOUND',
        'CONFLICT',
        'INSUFFICIENT_SPACE',
        'INVALID_ARGUMENT',
        'UNAUTHORIZED',
        'FORBIDDEN',
        'BACKEND_ERROR',
      ]);
    });

    it('a transport failure of a read is retried; an unreachable cluster is BACKEND_UNAVAILABLE', async () => {
      await rig.sim.post('/sim/faults', { dropNext: 1 });
      expect((await rig.conn.getServer(rig.svm)).id).toBe(rig.svm);
      const driver = ontap.create({
        scheme: 'http',
        tlsInsecure: false,
        timeoutMs: 2000,
        connectTimeoutMs: 500,
        logger: silentLogger(),
      });
      try {
        await expect(
          driver.login({ ipAddress: '127.0.0.1', port: 9 }, simulatorNamed('ontap').credentials),
        ).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      } finally {
        await driver.close();
      }
    });
  });

  describe('TLS', () => {
    it('speaks HTTPS to the simulator when self-signed certificates are accepted, and refuses them otherwise', async () => {
      const target = { ipAddress: '127.0.0.1', port: rig.sim.sim.port };
      const insecure = ontap.create({
        scheme: 'https',
        tlsInsecure: true,
        timeoutMs: 5000,
        connectTimeoutMs: 2000,
        logger: silentLogger(),
      });
      const strict = ontap.create({
        scheme: 'https',
        tlsInsecure: false,
        timeoutMs: 5000,
        connectTimeoutMs: 2000,
        logger: silentLogger(),
      });
      try {
        const identity = await insecure.login(target, simulatorNamed('ontap').credentials);
        expect(identity.storageId).toBe((await rig.sim.get('/api/cluster')).body.uuid);
        expect(
          (await insecure.connect(target, simulatorNamed('ontap').credentials, identity).listServers()).length,
        ).toBe(2);
        await expect(strict.login(target, simulatorNamed('ontap').credentials)).rejects.toMatchObject({
          code: 'BACKEND_ERROR',
        });
      } finally {
        await Promise.all([insecure.close(), strict.close()]);
      }
    });
  });
});
