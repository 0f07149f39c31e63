// /api/snapmirror/policies beyond PATCH: the built-in policies, create with the same rules, read back, delete.
import { type TestSim, startSim, uniq } from './sim-helpers';

describe('SnapMirror policies: list, get, create, delete', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const create = (body: object) => sim.post('/api/snapmirror/policies?return_timeout=5&return_records=true', body);

  it('lists the built-in cluster policies ONTAP ships, with their type and rules', async () => {
    const res = (await sim.get('/api/snapmirror/policies?fields=name,type,scope,retention,copy_all_source_snapshots'))
      .body;
    const byName = Object.fromEntries(res.records.map((r: { name: string }) => [r.name, r]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        'Asynchronous',
        'MirrorAllSnapshots',
        'MirrorAndVault',
        'XDPDefault',
        'Sync',
        'StrictSync',
        'Continuous',
      ]),
    );
    expect(byName.XDPDefault).toMatchObject({
      type: 'async',
      scope: 'cluster',
      retention: [
        { label: 'daily', count: 7 },
        { label: 'weekly', count: 52 },
      ],
    });
    expect(byName.MirrorAllSnapshots.copy_all_source_snapshots).toBe(true);
  });

  it('creates an svm-scoped vault policy and reads it back with its schedules by name and uuid', async () => {
    const name = uniq('vault');
    const res = await create({
      name,
      svm: { name: 'svm1' },
      create_snapshot_on_source: false,
      transfer_schedule: { name: 'daily' },
      retention: [
        { label: 'daily', count: 7 },
        { label: 'weekly', count: 4, creation_schedule: { name: 'weekly' }, prefix: 'wk' },
      ],
      comment: 'made by a test',
    });
    expect(res.status).toBe(201);
    const got = (await sim.get(`/api/snapmirror/policies/${res.body.records[0].uuid}`)).body;
    expect(got).toMatchObject({
      name,
      scope: 'svm',
      svm: { name: 'svm1' },
      type: 'async',
      create_snapshot_on_source: false,
      transfer_schedule: { name: 'daily', uuid: expect.any(String) },
      retention: [
        { label: 'daily', count: 7 },
        { label: 'weekly', count: 4, prefix: 'wk', creation_schedule: { name: 'weekly' } },
      ],
    });
  });

  it('creating a policy applies the same rules as PATCH: retention with copy_*, empty vault retention, limits', async () => {
    const make = (body: object) => create({ name: uniq('p'), svm: { name: 'svm1' }, ...body });
    const codes = async (body: object) => {
      const r = await make(body);
      return [r.status, r.body.error?.code];
    };
    expect(await codes({ copy_all_source_snapshots: true, retention: [{ label: 'a', count: 1 }] })).toEqual([
      400,
      '13303850',
    ]);
    expect(await codes({ copy_latest_source_snapshot: false })).toEqual([400, '13303850']);
    expect(await codes({ create_snapshot_on_source: true })).toEqual([400, '13303850']);
    expect(await codes({ create_snapshot_on_source: false })).toEqual([400, '13304050']);
    expect(await codes({ retention: Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, count: 1 })) })).toEqual([
      400,
      '13303887',
    ]);
    expect(await codes({ type: 'sync', identity_preservation: 'full' })).toEqual([400, '13303842']);
    expect(await codes({ transfer_schedule: { name: 'every_4h' } })).toEqual([400, '6619714']);
    expect(
      (await make({ retention: Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, count: 1 })) })).body.error
        .message,
    ).toMatch(/^Failed to create SnapMirror policy/);
  });

  it('a name already used in the same scope answers 409', async () => {
    const name = uniq('twice');
    expect((await create({ name, svm: { name: 'svm1' } })).status).toBe(201);
    const again = await create({ name, svm: { name: 'svm1' } });
    expect([again.status, again.body.error.code]).toEqual([409, '1']);
    expect((await create({ name, svm: { name: 'svm1_dr' } })).status).toBe(201);
  });

  it('deletes a policy; a built-in one or one that relationships use cannot be deleted', async () => {
    const made = (await create({ name: uniq('gone'), svm: { name: 'svm1' } })).body.records[0].uuid;
    const used = (await create({ name: uniq('used'), svm: { name: 'svm1' } })).body.records[0].uuid;
    await sim.post('/sim/policy-uses', { policy: used, endpoint: 'flexvol' });
    const builtin = (await sim.get('/api/snapmirror/policies?name=Asynchronous')).body.records[0].uuid;
    for (const uuid of [builtin, used]) {
      const res = await sim.del(`/api/snapmirror/policies/${uuid}?return_timeout=5`);
      expect([res.status, res.body.error.code]).toEqual([409, '13303844']);
    }
    expect((await sim.del(`/api/snapmirror/policies/${made}?return_timeout=5`)).status).toBe(200);
    expect((await sim.get(`/api/snapmirror/policies/${made}`)).status).toBe(404);
  });
});
