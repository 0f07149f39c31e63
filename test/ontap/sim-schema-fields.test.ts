// Sub-fields that ONTAP's schema gives the objects the simulator models (the closed ones) are accepted in `fields=` and
// in filters, and answered absent where the simulator does not model them; made-up and misspelled names are still
// refused with 262197.
import { DR_SVM_NAME, SVM_NAME } from '../../simulators/ontap/demo';
import { clusterName } from './replication-helpers';
import { type Json, type TestSim, startSim, uniq } from './sim-helpers';

/** Every value at a dotted path of an answer, looking through arrays (as ONTAP addresses array members). */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (path.length === 0) return value === undefined ? [] : [value];
  if (typeof value !== 'object' || value === null) return [];
  return valuesAt((value as Json)[path[0]], path.slice(1));
}

describe('ONTAP simulator: the schema fields of modelled objects', () => {
  let sim: TestSim;
  /** Collection paths by resource; those below one record are filled in once the records exist. */
  const paths: Record<string, string> = {
    volumes: '/api/storage/volumes',
    luns: '/api/storage/luns',
    igroups: '/api/protocols/san/igroups',
    'lun-maps': '/api/protocols/san/lun-maps',
    svms: '/api/svm/svms',
    nodes: '/api/cluster/nodes',
    aggregates: '/api/storage/aggregates',
    'snapmirror policies': '/api/snapmirror/policies',
    relationships: '/api/snapmirror/relationships',
    'cluster peers': '/api/cluster/peers',
  };

  beforeAll(async () => {
    sim = await startSim({ demo: true });
    const name = uniq('sf');
    const vol = await sim.volume(name);
    await sim.snapshot(vol, 'one');
    paths.snapshots = `/api/storage/volumes/${vol}/snapshots`;
    // A relationship in one cluster (svm1 to its DR SVM), for the transfers collection below it.
    await sim.volume(name, { type: 'dp', svm: { name: DR_SVM_NAME } });
    await sim.done('POST', '/api/svm/peers', {
      svm: { name: SVM_NAME },
      peer: { svm: { name: DR_SVM_NAME }, cluster: { name: await clusterName(sim) } },
      applications: ['snapmirror'],
    });
    const rel = await sim.done('POST', '/api/snapmirror/relationships?return_records=true', {
      source: { path: `${SVM_NAME}:${name}` },
      destination: { path: `${DR_SVM_NAME}:${name}` },
    });
    paths.transfers = `/api/snapmirror/relationships/${rel.body.records[0].uuid}/transfers`;
  });
  afterAll(() => sim?.close());

  // Per resource: sub-fields ONTAP's schema has that the simulator refused before its lists were checked against the
  // netapp_ontap library, none of which the simulator models.
  const ACCEPTED: [string, string[]][] = [
    [
      'volumes',
      [
        'qos.policy.max_throughput_iops',
        'qos.policy.uuid',
        'svm._links',
        'aggregates._links',
        'space.user_data',
        'space.available_percent',
        'clone.split_estimate',
        'analytics.supported',
        'cloud_write_enabled',
        'granular_data_mode',
        'nodes.name',
      ],
    ],
    ['snapshots', ['svm._links', 'volume._links']],
    [
      'luns',
      [
        'serial_number_hex',
        'encryption',
        'location.qtree.name',
        'location.node.name',
        'space.physical_used',
        'status.container_state',
        'qos_policy.uuid',
        'lun_maps.igroup._links',
      ],
    ],
    [
      'igroups',
      [
        'initiators.comment',
        'initiators.proximity.local_svm',
        'igroups.comment',
        'parent_igroups._links',
        'lun_maps.lun.node.name',
        'svm._links',
      ],
    ],
    ['lun-maps', ['igroup.initiators', 'igroup.replicated', 'lun.node', 'lun.smbc', 'svm._links']],
    [
      'svms',
      [
        'snapshot_reserve_percent',
        'anti_ransomware_auto_switch_minimum_file_count',
        'aggregates.available_size',
        'nfs.allowed',
        'iscsi._links',
        'ip_interfaces.ip.netmask',
        'ip_interfaces.service_policy',
      ],
    ],
    ['nodes', ['nvlog', 'storage_availability_zones', 'anti_ransomware_version']],
    ['aggregates', ['space.total_provisioned_space', 'space.block_storage.used_percent', 'node._links', '_tags']],
    ['snapmirror policies', ['svm._links']],
    ['relationships', ['source.luns.name', 'destination.luns', 'transfer_schedule._links']],
    ['transfers', ['relationship.restore', 'relationship.destination.svm.name', 'relationship.destination.cluster']],
    ['cluster peers', ['_links.interfaces']],
  ];

  // Made-up names and misspellings of real ones: ONTAP refuses them, so does the simulator.
  const REFUSED: [string, string[]][] = [
    [
      'volumes',
      [
        'no_such_field',
        'space.user_dat',
        'qos.policy.max_throughput_iop',
        'svm.links',
        'clone.split_estimates',
        'analytics.suported',
      ],
    ],
    ['snapshots', ['volume.links', 'svm.uuidd', 'expiry_times']],
    ['luns', ['status.container_states', 'location.qtre', 'serial_number_hexa', 'qos_policy.uid']],
    ['igroups', ['initiators.commment', 'lun_maps.lun.nodes', 'igroups.coment']],
    ['lun-maps', ['igroup.replicate', 'lun.nod']],
    ['svms', ['nfs.allow', 'ip_interfaces.ip.netmsk', 'snapshot_reserve_percentage']],
    ['nodes', ['nv_log']],
    ['aggregates', ['space.block_storage.used_percentage', 'node.link']],
    ['snapmirror policies', ['svm.link', 'retention.labels']],
    ['relationships', ['source.lun', 'transfer_schedule.link']],
    ['transfers', ['relationship.restored', 'relationship.destination.paths']],
    ['cluster peers', ['_links.interface']],
  ];

  it.each(ACCEPTED)('%s: accepts schema sub-fields in fields= and answers them absent', async (resource, fields) => {
    // One request per name, so that each name's answer shows.
    const answers = await Promise.all(fields.map((f) => sim.get(`${paths[resource]}?fields=${f}`)));
    expect(answers.map((r, i) => [fields[i], r.status])).toEqual(fields.map((f) => [f, 200]));
    // Not modelled, so nothing is answered for them: no made-up value.
    for (const [i, f] of fields.entries())
      expect([f, valuesAt(answers[i].body.records, f.split('.'))]).toEqual([f, []]);
    const all = await sim.get(`${paths[resource]}?fields=${fields.join(',')}`);
    expect(all.status).toBe(200);
  });

  it.each(REFUSED)('%s: still refuses made-up and misspelled names (262197)', async (resource, fields) => {
    for (const f of fields) {
      const res = await sim.get(`${paths[resource]}?fields=${f}`);
      expect([f, res.status, res.body.error?.code, res.body.error?.target]).toEqual([f, 400, '262197', 'fields']);
    }
  });

  it('the cluster object takes its schema fields and still refuses misspellings', async () => {
    const fields = ['_tags', 'active_directory', 'cluster_network_overlay_enabled', 'disaggregated'];
    const answers = await Promise.all(fields.map((f) => sim.get(`/api/cluster?fields=${f}`)));
    expect(answers.map((r, i) => [fields[i], r.status])).toEqual(fields.map((f) => [f, 200]));
    for (const [i, f] of fields.entries()) expect([f, answers[i].body[f]]).toEqual([f, undefined]);
    const bad = await sim.get('/api/cluster?fields=disaggregate');
    expect([bad.status, bad.body.error?.code]).toEqual([400, '262197']);
  });

  it('a filter on a schema sub-field is taken, and matches nothing the simulator does not hold', async () => {
    const res = await sim.get('/api/storage/volumes?qos.policy.max_throughput_iops=>0&fields=name');
    expect([res.status, res.body.num_records]).toEqual([200, 0]);
    const luns = await sim.get('/api/storage/luns?status.container_state=online');
    expect([luns.status, luns.body.num_records]).toEqual([200, 0]);
  });

  it('asking for a new sub-field beside modelled ones leaves the modelled values as they were', async () => {
    const svm = await sim.svm();
    const [v] = (await sim.get(`/api/storage/volumes?svm.name=svm1&fields=svm.uuid,svm._links,qos.policy.uuid`)).body
      .records;
    // The filter's svm.name comes back too, as ONTAP answers it.
    expect(v.svm).toEqual({ uuid: svm.uuid, name: 'svm1' });
    expect(v.qos).toBeUndefined();
    const lun = (await sim.get('/api/storage/luns?fields=status.state,status.container_state')).body.records[0];
    expect(lun.status).toEqual({ state: 'online' });
  });
});
