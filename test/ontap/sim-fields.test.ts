// `fields=` takes ONTAP's documented fields of each resource (not only those the simulator models), single objects take
// `max_records`, and an empty `fields=` selects nothing special: what real clients (the NetApp Ansible collection) send.
import { MiB, type TestSim, startSim, uniq } from './sim-helpers';

// The field list na_ontap_volume sends before every change (netapp.ontap 22.7).
const ANSIBLE_VOLUME_FIELDS = [
  'encryption.enabled',
  'tiering.policy',
  'nas.export_policy.name',
  'aggregates.name',
  'aggregates.uuid',
  'uuid',
  'nas.path',
  'style',
  'type',
  'comment',
  'qos.policy.name',
  'nas.security_style',
  'nas.gid',
  'nas.unix_permissions',
  'nas.uid',
  'snapshot_policy',
  'space.snapshot.reserve_percent',
  'space.size',
  'guarantee.type',
  'state',
  'efficiency.compression',
  'snaplock',
  'files.maximum',
  'space.logical_space.enforcement',
  'space.logical_space.reporting',
].join(',');

describe('ONTAP simulator: documented fields', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim?.close());

  it("accepts na_ontap_volume's field list and answers real-looking values for what it does not model", async () => {
    const name = uniq('f');
    await sim.volume(name, { size: 64 * MiB });
    const res = await sim.get(`/api/storage/volumes?name=${name}&svm.name=svm1&fields=${ANSIBLE_VOLUME_FIELDS},`);
    expect(res.status).toBe(200);
    const [v] = res.body.records;
    expect(v).toMatchObject({
      name,
      style: 'flexvol',
      tiering: { policy: 'none' },
      snapshot_policy: { name: 'default' },
      encryption: { enabled: false },
      nas: { uid: 0, gid: 0, unix_permissions: 755, security_style: 'unix' },
      space: { size: 64 * MiB, logical_space: { enforcement: false, reporting: false } },
      files: { maximum: (64 * MiB) / 32768 },
      snaplock: { type: 'non_snaplock' },
    });
    // Documented but not modelled: accepted, and absent from the answer (no QoS policy is attached).
    expect(v.qos).toBeUndefined();
  });

  it.each([
    ['/api/storage/volumes', 'autosize.mode,anti_ransomware.state,movement'],
    ['/api/storage/luns', 'qos_policy.name,space.guarantee.requested,attributes'],
    ['/api/protocols/san/igroups', 'delete_on_unmap,portset,replication'],
    ['/api/protocols/san/lun-maps', 'reporting_nodes'],
    ['/api/svm/svms', 'snapshot_policy,dns.domains,max_volumes'],
    ['/api/storage/aggregates', 'block_storage.primary.disk_type,snaplock_type'],
    ['/api/snapmirror/policies', 'sync_common_snapshot_schedule'],
    ['/api/snapmirror/relationships', 'backoff_level,svmdr_volumes,identity_preservation'],
    ['/api/cluster/peers', 'encryption.state,peer_applications'],
    ['/api/svm/peers', 'applications,state'],
  ])('%s accepts documented fields %s', async (path, fields) => {
    const res = await sim.get(`${path}?fields=${fields}&max_records=2`);
    expect(res.status).toBe(200);
    expect(res.body.num_records).toBeLessThanOrEqual(2);
  });

  it('the fields a query filters on come back with each record, as ONTAP answers them', async () => {
    const vol = await sim.volume(uniq('q'));
    await sim.lun(vol, 'l1');
    const name = (await sim.get(`/api/storage/volumes/${vol}?fields=name`)).body.name;
    const res = await sim.get(`/api/storage/luns?svm.name=svm1&location.volume.name=${name}&fields=comment`);
    expect(res.body.records).toEqual([
      expect.objectContaining({ location: { volume: { name } }, svm: expect.objectContaining({ name: 'svm1' }) }),
    ]);
    expect(res.body.records[0].os_type).toBeUndefined();
  });

  it('volume settings it does not act on are kept and answered (a client reads back what it set)', async () => {
    const name = uniq('k');
    const vol = await sim.volume(name, { tiering: { policy: 'auto' }, nas: { unix_permissions: '0750' } });
    await sim.done('PATCH', `/api/storage/volumes/${vol}`, {
      'snapshot_policy.name': 'none',
      'efficiency.compression': 'both',
    });
    const v = (await sim.get(`/api/storage/volumes/${vol}?fields=tiering,nas,snapshot_policy,efficiency`)).body;
    expect(v).toMatchObject({
      tiering: { policy: 'auto' },
      nas: { unix_permissions: 750, uid: 0 },
      snapshot_policy: { name: 'none' },
      efficiency: { compression: 'both', dedupe: 'none' },
    });
    const bad = await sim.patch(`/api/storage/volumes/${vol}`, { tiering: { policy: 'sometimes' } });
    expect([bad.status, bad.body.error.target]).toEqual([400, 'tiering.policy']);
  });

  it('snapshots take expiry_time and refuse names that are no field of a snapshot (262197)', async () => {
    const vol = await sim.volume(uniq('s'));
    await sim.snapshot(vol, 'one');
    const ok = await sim.get(`/api/storage/volumes/${vol}/snapshots?fields=expiry_time,snapmirror_label,name`);
    expect(ok.status).toBe(200);
    expect(ok.body.records[0].name).toBe('one');
    const bad = await sim.get(`/api/storage/volumes/${vol}/snapshots?fields=tiering.policy`);
    expect([bad.status, bad.body.error.code, bad.body.error.target]).toEqual([400, '262197', 'fields']);
  });

  it('refuses a name that is no field of the resource, even beside documented ones', async () => {
    const res = await sim.get('/api/storage/volumes?fields=tiering.policy,no_such_field');
    expect([res.status, res.body.error.code]).toEqual([400, '262197']);
    const sub = await sim.get('/api/storage/volumes?fields=space.no_such_counter');
    expect([sub.status, sub.body.error.code]).toEqual([400, '262197']);
  });

  it('single objects take max_records; an empty fields= answers the whole object', async () => {
    const full = await sim.get('/api/cluster');
    const res = await sim.get('/api/cluster?max_records=3&fields=');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(full.body);
    expect(res.body.name).toEqual(expect.any(String));
    const picked = await sim.get('/api/cluster?fields=contact,location,name,uuid&max_records=1024');
    expect(Object.keys(picked.body).sort()).toEqual(['_links', 'contact', 'location', 'name', 'uuid']);
    const bad = await sim.get('/api/cluster?max_records=none');
    expect([bad.status, bad.body.error.code]).toEqual([400, '262197']);
  });
});
