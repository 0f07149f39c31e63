// FlexGroup volumes, SVM-DR and consistency-group relationships through the ONTAP API itself (not /sim stand-ins):
// created, listed, moved through their states, and counted by the SnapMirror policy rules that depend on them.
import { type Pair, clusterName, sourceSvm, startPair } from './replication-helpers';
import { type Json, uniq } from './sim-helpers';

describe('ONTAP simulator: FlexGroup, SVM-DR and consistency-group relationships', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  const policy = async (svm: string, body: Json = {}): Promise<string> =>
    (
      await pair.dst.done('POST', '/api/snapmirror/policies?return_records=true', {
        name: uniq('pol'),
        svm: { name: svm },
        ...body,
      })
    ).body.records[0].uuid;
  const patchPolicy = (uuid: string, body: Json) => pair.dst.patch(`/api/snapmirror/policies/${uuid}`, body);

  it('FlexGroup volumes are created with style flexgroup; their relationship blocks creation-schedule changes (13304131)', async () => {
    const name = uniq('fg');
    const aggregates = [{ name: 'aggr1' }, { name: 'aggr2' }];
    await pair.src.volume(name, { style: 'flexgroup', aggregates });
    const dstVol = await pair.dst.volume(name, { style: 'flexgroup', type: 'dp', aggregates });
    expect((await pair.dst.get(`/api/storage/volumes/${dstVol}?fields=style`)).body.style).toBe('flexgroup');
    const p = await policy('svm1', { retention: [{ label: 'daily', count: 7 }] });
    const rel = await pair.dst.done('POST', '/api/snapmirror/relationships?return_records=true', {
      source: { path: `${await sourceSvm(pair)}:${name}` },
      destination: { path: `svm1:${name}` },
      policy: { uuid: p },
    });
    const uuid = rel.body.records[0].uuid;
    expect((await pair.dst.get(`/api/snapmirror/relationships/${uuid}?fields=group_type`)).body.group_type).toBe(
      'flexgroup',
    );
    const refused = await patchPolicy(p, {
      retention: [{ label: 'daily', count: 7, creation_schedule: { name: 'daily' } }],
    });
    expect([refused.status, refused.body.error.code]).toEqual([400, '13304131']);
    // The relationship gone, the change is taken.
    await pair.dst.done('DELETE', `/api/snapmirror/relationships/${uuid}`);
    await pair.dst.done('PATCH', `/api/snapmirror/policies/${p}`, {
      retention: [{ label: 'daily', count: 7, creation_schedule: { name: 'daily' } }],
    });
  });

  it('consistency-group relationships (svm:/cg/ paths, consistency_group_volumes) block added creation schedules (6621129)', async () => {
    const [a, b] = [uniq('cga'), uniq('cgb')];
    for (const v of [a, b]) {
      await pair.src.volume(v);
      await pair.dst.volume(v, { type: 'dp' });
    }
    const p = await policy('svm1', { retention: [{ label: 'daily', count: 7 }] });
    const cg = uniq('cg');
    const made = await pair.dst.done('POST', '/api/snapmirror/relationships?return_records=true', {
      source: {
        path: `${await sourceSvm(pair)}:/cg/${cg}`,
        consistency_group_volumes: [{ name: a }, { name: b }],
      },
      destination: { path: `svm1:/cg/${cg}`, consistency_group_volumes: [{ name: a }, { name: b }] },
      policy: { uuid: p },
    });
    const uuid = made.body.records[0].uuid;
    const view = (await pair.dst.get(`/api/snapmirror/relationships/${uuid}?fields=*`)).body;
    expect(view).toMatchObject({
      group_type: 'consistency_group',
      state: 'uninitialized',
      source: { path: `${await sourceSvm(pair)}:/cg/${cg}`, consistency_group_volumes: [{ name: a }, { name: b }] },
      destination: { path: `svm1:/cg/${cg}`, consistency_group_volumes: [{ name: a }, { name: b }] },
    });
    const refused = await patchPolicy(p, {
      retention: [
        { label: 'daily', count: 7 },
        { label: 'weekly', count: 4, creation_schedule: { name: 'weekly' } },
      ],
    });
    expect([refused.status, refused.body.error.code]).toEqual([400, '6621129']);
    // Its state moves (no data does: a transfer is refused, saying so).
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${uuid}`, { state: 'snapmirrored' });
    expect((await pair.dst.get(`/api/snapmirror/relationships/${uuid}`)).body.state).toBe('snapmirrored');
    const transfer = await pair.dst.post(`/api/snapmirror/relationships/${uuid}/transfers`, {});
    expect(transfer.status).toBe(400);
    expect(transfer.body.error.message).toMatch(/transfers no data/);
    // Member lists of different lengths, or a non-DP member, are refused.
    const uneven = await pair.dst.post('/api/snapmirror/relationships', {
      source: { path: `${await sourceSvm(pair)}:/cg/x`, consistency_group_volumes: [{ name: a }] },
      destination: { path: 'svm1:/cg/x', consistency_group_volumes: [{ name: a }, { name: b }] },
    });
    expect(uneven.status).toBe(400);
  });

  it('SVM-DR relationships (svm: paths) carry identity_preservation, which the policy rules read (13303843)', async () => {
    // An SVM peer of the destination's dp_destination SVM with the source's svm1, by a local name of its own.
    await pair.dst.done('POST', '/api/svm/peers', {
      svm: { name: 'svm1_dr' },
      peer: { svm: { name: 'svm1' }, cluster: { name: await clusterName(pair.src) } },
      name: 'svm1_src_dr',
      applications: ['snapmirror'],
    });
    const p = await policy('svm1_dr', { identity_preservation: 'exclude_network_config' });
    const badIdentity = await pair.dst.post('/api/snapmirror/relationships', {
      source: { path: 'svm1_src_dr:' },
      destination: { path: 'svm1_dr:' },
      identity_preservation: 'everything',
    });
    expect(badIdentity.status).toBe(400);
    const made = await pair.dst.done('POST', '/api/snapmirror/relationships?return_records=true', {
      source: { path: 'svm1_src_dr:' },
      destination: { path: 'svm1_dr:' },
      policy: { uuid: p },
      identity_preservation: 'exclude_network_config',
    });
    const uuid = made.body.records[0].uuid;
    expect(
      (await pair.dst.get(`/api/snapmirror/relationships/${uuid}?fields=identity_preservation,group_type,source`)).body,
    ).toMatchObject({
      identity_preservation: 'exclude_network_config',
      group_type: 'svm_dr',
      source: { path: 'svm1_src_dr:', cluster: { name: await clusterName(pair.src) } },
    });
    const refused = await patchPolicy(p, { identity_preservation: 'exclude_network_and_protocol_config' });
    expect([refused.status, refused.body.error.code]).toEqual([400, '13303843']);
    // An SVM that is not dp_destination cannot be the destination.
    const notDr = await pair.dst.post('/api/snapmirror/relationships', {
      source: { path: `${await sourceSvm(pair)}:` },
      destination: { path: 'svm1:' },
    });
    expect([notDr.status, notDr.body.error.target]).toEqual([400, 'destination.path']);
    await pair.dst.done('DELETE', `/api/snapmirror/relationships/${uuid}`);
    await pair.dst.done('PATCH', `/api/snapmirror/policies/${p}`, {
      identity_preservation: 'exclude_network_and_protocol_config',
    });
  });
});
