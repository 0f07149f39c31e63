// The ONTAP simulator speaks ONTAP REST: the collection envelope, fields, filters, paging by _links.next, jobs, errors,
// auth, TLS.
import { type Json, MiB, type TestSim, startSim, uniq } from './sim-helpers';

describe('ONTAP simulator conventions', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  describe('what clients read first', () => {
    it('GET /api/cluster?fields=version answers only the version (and links)', async () => {
      const res = await sim.get('/api/cluster?fields=version');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['_links', 'version']);
      expect(res.body.version).toMatchObject({
        generation: 9,
        major: expect.any(Number),
        full: expect.stringMatching(/^NetApp Release 9\./),
      });
    });

    it('answers over HTTPS on the same port, with the self-signed simulator certificate', async () => {
      const res = await sim.get('/api/cluster?fields=name', { https: true });
      expect([res.status, res.body.name]).toEqual([200, `cluster_${sim.sim.port}`]);
    });
  });

  describe('collections', () => {
    it('wrap records in {records, num_records, _links}, with only the key fields unless fields= asks', async () => {
      const res = await sim.get('/api/svm/svms');
      expect(res.body).toMatchObject({ num_records: 2, _links: { self: { href: '/api/svm/svms' } } });
      expect(res.body.records.map((r: { name: string }) => r.name)).toEqual(['svm1', 'svm1_dr']);
      expect(Object.keys(res.body.records[0]).sort()).toEqual(['_links', 'name', 'uuid']);
    });

    it('fields= selects nested fields and keeps the keys; fields=* gives every field', async () => {
      const some = (await sim.get('/api/storage/aggregates?fields=space.block_storage.size')).body.records[0];
      expect(Object.keys(some).sort()).toEqual(['_links', 'name', 'space', 'uuid']);
      expect(Object.keys(some.space)).toEqual(['block_storage']);
      expect(Object.keys(some.space.block_storage)).toEqual(['size']);
      const all = (await sim.get('/api/storage/aggregates?fields=*')).body.records[0];
      expect(all).toHaveProperty('block_storage.primary.raid_type', 'raid_dp');
    });

    it('a field the collection does not have in fields= answers 400 with code "262197" and target "fields"', async () => {
      const res = await sim.get('/api/storage/volumes?fields=name,no_such_field');
      expect([res.status, res.body.error]).toEqual([
        400,
        { code: '262197', message: expect.stringContaining('no_such_field'), target: 'fields' },
      ]);
    });

    it('an unknown query parameter answers 400 "Unexpected argument" with code "262179"', async () => {
      const res = await sim.get('/api/storage/volumes?colour=blue');
      expect([res.status, res.body.error.code, res.body.error.target]).toEqual([400, '262179', 'colour']);
    });

    it('filters on fields, with ONTAP query syntax: alternatives, negation, wildcards and comparisons', async () => {
      const names = async (q: string) =>
        (await sim.get(`/api/snapmirror/policies?${q}`)).body.records.map((r: { name: string }) => r.name);
      expect(await names('type=sync')).toEqual(['Sync', 'StrictSync', 'AutomatedFailOver']);
      expect(await names('name=Sync|Continuous')).toEqual(['Sync', 'Continuous']);
      expect(await names('name=Mirror*')).toEqual(['MirrorAllSnapshots', 'MirrorLatest', 'MirrorAndVault']);
      expect(await names('type=!async&type=!sync')).toEqual(['Continuous']);
      expect(await names('retention.count=>50')).toEqual(['MirrorAndVault', 'XDPDefault']);
      expect(await names('retention.label=weekly&retention.count=<60')).toEqual(['MirrorAndVault', 'XDPDefault']);
    });

    it('max_records cuts a page and _links.next, followed verbatim, walks the rest without overlap', async () => {
      const all = (await sim.get('/api/cluster/schedules')).body.records.map((r: { uuid: string }) => r.uuid);
      expect(all.length).toBeGreaterThan(5);
      const seen: string[] = [];
      let href: string | undefined = '/api/cluster/schedules?max_records=3&fields=name';
      let pages = 0;
      while (href) {
        const res: Json = (await sim.get(href)).body;
        expect(res.num_records).toBeLessThanOrEqual(3);
        seen.push(...res.records.map((r: { uuid: string }) => r.uuid));
        href = res._links.next?.href;
        pages++;
      }
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 3));
    });

    it('the cursor survives a deletion: a record removed between pages is not re-read and nothing is skipped', async () => {
      const made = [];
      for (let i = 0; i < 4; i++) made.push(await sim.volume(uniq('cursor')));
      const first = (await sim.get('/api/storage/volumes?name=cursor_*&max_records=2')).body;
      await sim.done('DELETE', `/api/storage/volumes/${first.records[1].uuid}`);
      const second = (await sim.get(first._links.next.href)).body;
      expect([...first.records, ...second.records].map((r: { uuid: string }) => r.uuid)).toEqual(made);
    });

    it('return_records=false answers only how many records match', async () => {
      const res = (await sim.get('/api/snapmirror/policies?type=async&return_records=false')).body;
      expect(res).toEqual({ num_records: 6, _links: expect.any(Object) });
    });

    it('collapses repeated slashes, as a well-known client writes /api//snapmirror/...', async () => {
      const res = await sim.get('/api//snapmirror//policies?name=Sync');
      expect([res.status, res.body.records[0].name]).toEqual([200, 'Sync']);
    });

    it('the page-size setting caps every page, so clients must follow _links.next', async () => {
      await sim.settings({ maxPageSize: 1 });
      try {
        const res = (await sim.get('/api/svm/svms?max_records=10')).body;
        expect(res.num_records).toBe(1);
        expect(res._links.next.href).toContain('max_records=10');
      } finally {
        await sim.settings({ maxPageSize: 0 });
      }
    });
  });

  describe('the asynchronous model', () => {
    it('a POST answers 202 with a job that goes from queued (or running) to success', async () => {
      await sim.settings({ jobMs: 1500 });
      try {
        const name = uniq('jobvol');
        const res = await sim.post('/api/storage/volumes', {
          name,
          svm: { name: 'svm1' },
          size: 32 * MiB,
          guarantee: { type: 'none' },
        });
        expect(res.status).toBe(202);
        expect(res.body.job._links.self.href).toBe(`/api/cluster/jobs/${res.body.job.uuid}`);
        const early = (await sim.get(`/api/cluster/jobs/${res.body.job.uuid}`)).body;
        expect(['queued', 'running']).toContain(early.state);
        // Not there until the job has run.
        expect((await sim.get(`/api/storage/volumes?name=${name}`)).body.num_records).toBe(0);
        const done = await sim.job(res.body.job.uuid);
        expect(done).toMatchObject({ state: 'success', code: 0, end_time: expect.any(String) });
        expect((await sim.get(`/api/storage/volumes?name=${name}`)).body.num_records).toBe(1);
      } finally {
        await sim.settings({ jobMs: 20 });
      }
    });

    it('return_timeout lets the call wait for the job: 201 for a create, with the record when return_records=true', async () => {
      const name = uniq('sync');
      const res = await sim.post('/api/storage/volumes?return_timeout=5&return_records=true', {
        name,
        svm: { name: 'svm1' },
        size: 32 * MiB,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        num_records: 1,
        records: [{ uuid: expect.any(String), name }],
        job: { uuid: expect.any(String) },
      });
      const patched = await sim.patch(`/api/storage/volumes/${res.body.records[0].uuid}?return_timeout=5`, {
        comment: 'hello',
      });
      expect(patched.status).toBe(200);
    });

    it('a return_timeout above 120 seconds is refused', async () => {
      const res = await sim.post('/api/storage/volumes?return_timeout=121', {
        name: uniq('x'),
        svm: { name: 'svm1' },
        size: 32 * MiB,
      });
      expect([res.status, res.body.error.code, res.body.error.target]).toEqual([400, '262197', 'return_timeout']);
    });

    it('a job that fails ends in state failure with its error code, and return_timeout answers that error', async () => {
      const volume = await sim.volume(uniq('busy'));
      const snap = await sim.snapshot(volume, 'base');
      await sim.done('POST', '/api/storage/volumes', {
        name: uniq('dep'),
        svm: { name: 'svm1' },
        clone: { parent_volume: { uuid: volume }, parent_snapshot: { uuid: snap } },
      });
      await sim.settings({ failNextJobs: 1 });
      const failed = await sim.outcome('PATCH', `/api/storage/volumes/${volume}`, { comment: 'x' });
      expect(failed.job).toMatchObject({ state: 'failure', code: 460770, error: { code: '460770' } });
      const direct = await sim.del(`/api/storage/volumes/${volume}/snapshots/${snap}?return_timeout=5`);
      expect([direct.status, direct.body.error.code]).toEqual([409, '1638555']);
    });
  });

  describe('errors and accounts', () => {
    it('an object that does not exist answers 404 with code "4" as a string', async () => {
      const res = await sim.get('/api/storage/volumes/00000000-0000-0000-0000-000000000001');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: '4', target: 'uuid' });
      expect(typeof res.body.error.code).toBe('string');
    });

    it('a path that names no API answers 404 with code "3"', async () => {
      expect((await sim.get('/api/storage/teapots')).body.error.code).toBe('3');
    });

    it('a call without (or with wrong) credentials answers 401 with a Basic challenge', async () => {
      const none = await sim.get('/api/cluster', { auth: null });
      const wrong = await sim.get('/api/cluster', { auth: { user: 'admin', password: 'nope' } });
      expect([none.status, wrong.status]).toEqual([401, 401]);
      expect(none.headers['www-authenticate']).toMatch(/^Basic/);
      expect(wrong.body.error.code).toBe('6');
    });

    it('a readonly account reads but every change answers 403', async () => {
      const ro = await startSim({ users: { admin: 'simulator', viewer: { password: 'look', role: 'readonly' } } });
      try {
        const viewer = { user: 'viewer', password: 'look' };
        expect((await ro.get('/api/svm/svms', { auth: viewer })).status).toBe(200);
        const res = await ro.post(
          '/api/storage/volumes',
          { name: 'v', svm: { name: 'svm1' }, size: 32 * MiB },
          { auth: viewer },
        );
        expect([res.status, res.body.error.code]).toEqual([403, '6']);
      } finally {
        await ro.close();
      }
    });

    it('a body field the endpoint does not take answers 262179; dotted keys are nested objects', async () => {
      const bad = await sim.post('/api/storage/volumes', {
        name: uniq('v'),
        svm: { name: 'svm1' },
        size: 32 * MiB,
        colour: 'red',
      });
      expect([bad.status, bad.body.error.code, bad.body.error.target]).toEqual([400, '262179', 'colour']);
      const name = uniq('dotted');
      await sim.done('POST', '/api/storage/volumes', {
        name,
        'svm.name': 'svm1',
        size: String(32 * MiB),
        'guarantee.type': 'none',
      });
      expect((await sim.get(`/api/storage/volumes?name=${name}&fields=guarantee`)).body.records[0].guarantee.type).toBe(
        'none',
      );
    });

    it('injected failures answer the ONTAP error body with a string code', async () => {
      await sim.post('/sim/faults', { failNext: 1, failStatus: 503 });
      const res = await sim.get('/api/cluster');
      expect([res.status, typeof res.body.error.code]).toEqual([503, 'string']);
      expect((await sim.get('/api/cluster')).status).toBe(200);
    });
  });
});
