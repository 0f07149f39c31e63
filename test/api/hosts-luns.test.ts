import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe('LUNs, hosts and mapping', () => {
  let p: TestPlugin;
  let sid: string;

  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
  });
  afterAll(() => p.close());

  const newHost = async (iqns = [`iqn.1994-05.com.redhat:${uniq('h')}`]) =>
    (await p.post('/server/0/host', sid, { name: uniq('host'), iqns }).expect(201)).body as { id: string; name: string };

  it('lists LUN volumes as LUNs with serial, NAA id and iSCSI target, and not filesystems', async () => {
    const lun = await p.fixture.createVolume({ name: uniq('lun'), type: 'lun', sizeBytes: 4 << 20 });
    const fs = await p.fixture.createVolume({ name: uniq('fs'), type: 'filesystem', sizeBytes: 4 << 20 });
    const luns = (await p.get('/server/0/lun', sid).expect(200)).body.luns;
    const found = luns.find((l: { id: string }) => l.id === lun.id);
    expect(found).toMatchObject({ volumeId: lun.id, volumeType: 'lun', naaId: expect.stringMatching(/^naa\.6001405[0-9a-f]{25}$/), privateIscsiTarget: expect.stringMatching(/^iqn\./) });
    expect(luns.some((l: { id: string }) => l.id === fs.id)).toBe(false);
    const one = (await p.get(`/server/0/lun/${lun.id}`, sid).expect(200)).body;
    expect(one).toEqual(found);
    await p.get(`/server/0/lun/${fs.id}`, sid).expect(404);
  });

  it('online answers 200 for a LUN and 404 for anything else', async () => {
    const lun = await p.fixture.createVolume({ name: uniq('on'), type: 'lun', sizeBytes: 1 << 20 });
    await p.post(`/server/0/lun/${lun.id}?action=online`, sid).expect(200);
    await p.post('/server/0/lun/999999?action=online', sid).expect(404);
  });

  it('creates a host (201 with Location) and reads it back', async () => {
    const iqn = `iqn.1994-05.com.redhat:${uniq('c')}`;
    const res = await p.post('/server/0/host', sid, { name: uniq('created'), iqns: [iqn] }).expect(201);
    expect(res.body).toMatchObject({ iqns: [iqn], wwns: [], mappedLunIds: [], serverGroupKeys: ['0'], config: { fc: false, iscsi: true } });
    expect(res.headers.location).toBe(`/storageplugin/api/server/0/host/${res.body.id}`);
    expect((await p.get(`/server/0/host/${res.body.id}`, sid).expect(200)).body).toEqual(res.body);
    const hosts = (await p.get('/server/0/host', sid).expect(200)).body.hosts;
    expect(hosts.map((h: { id: string }) => h.id)).toContain(res.body.id);
  });

  it('a host name already taken answers 409, a malformed IQN 400', async () => {
    const h = await newHost();
    await p.post('/server/0/host', sid, { name: h.name }).expect(409);
    await p.post('/server/0/host', sid, { name: uniq('bad'), iqns: ['not-an-iqn'] }).expect(400);
  });

  it('a host with Fibre Channel WWNs answers 501: vSnap serves iSCSI only', async () => {
    const res = await p.post('/server/0/host', sid, { name: uniq('fc'), wwns: ['10:00:00:00:c9:12:34:56'] }).expect(501);
    expect(res.body.error.message).toMatch(/Fibre Channel/);
  });

  it('map gives LUN numbers from 0, shows them on the host, and unmap takes them away', async () => {
    const host = await newHost();
    const l1 = await p.fixture.createVolume({ name: uniq('m1'), type: 'lun', sizeBytes: 1 << 20 });
    const l2 = await p.fixture.createVolume({ name: uniq('m2'), type: 'lun', sizeBytes: 1 << 20 });
    const m1 = (await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: l1.id }).expect(200)).body;
    const m2 = (await p.post(`/server/0/host/${host.id}?action=map`, sid, { lunId: l2.id, lunNumber: 1 }).expect(200)).body;
    expect(m1).toMatchObject({ volumeId: l1.id, lunId: l1.id, hostId: host.id, hostGroupId: null, lunNumber: 0 });
    expect(m2.lunNumber).toBe(1);
    const luns = (await p.get(`/server/0/host/${host.id}/lun`, sid).expect(200)).body.luns;
    expect(luns).toEqual(expect.arrayContaining([m1, m2]));
    expect((await p.get(`/server/0/host/${host.id}`, sid).expect(200)).body.mappedLunIds).toEqual(expect.arrayContaining([l1.id, l2.id]));
    await p.post(`/server/0/host/${host.id}?action=unmap`, sid, { lunId: l1.id }).expect(200);
    expect((await p.get(`/server/0/host/${host.id}/lun`, sid).expect(200)).body.luns).toEqual([m2]);
  });

  it('mapping twice is harmless: the same LUN number comes back', async () => {
    const host = await newHost();
    const lun = await p.fixture.createVolume({ name: uniq('twice'), type: 'lun', sizeBytes: 1 << 20 });
    const a = (await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: lun.id }).expect(200)).body;
    const b = (await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: lun.id }).expect(200)).body;
    expect(b).toEqual(a);
  });

  it('mapping a filesystem answers 400; mapping to an unknown host 404; a volume and LUN that disagree 400', async () => {
    const host = await newHost();
    const fs = await p.fixture.createVolume({ name: uniq('fsmap'), type: 'filesystem', sizeBytes: 1 << 20 });
    const lun = await p.fixture.createVolume({ name: uniq('lunmap'), type: 'lun', sizeBytes: 1 << 20 });
    await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: fs.id }).expect(400);
    await p.post(`/server/0/host/999999?action=map`, sid, { volumeId: lun.id }).expect(404);
    await p.post(`/server/0/host/${host.id}?action=map`, sid, { volumeId: fs.id, lunId: lun.id }).expect(400);
    await p.post(`/server/0/host/${host.id}?action=map`, sid, {}).expect(400);
  });

  it('unmapping a LUN that is not mapped answers 404', async () => {
    const host = await newHost();
    const lun = await p.fixture.createVolume({ name: uniq('unm'), type: 'lun', sizeBytes: 1 << 20 });
    await p.post(`/server/0/host/${host.id}?action=unmap`, sid, { lunId: lun.id }).expect(404);
  });
});

describe('what vSnap does not have answers 501, as its flags say', () => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
  });
  afterAll(() => p.close());

  it('the server flags declare no host groups, consistency groups or replication', async () => {
    const server = (await p.get('/server/0', sid).expect(200)).body;
    expect(Object.values(server.supports).every((v) => v === false)).toBe(true);
  });

  it.each([
    ['GET', '/server/0/hostgroup'],
    ['POST', '/server/0/hostgroup/1?action=map'],
    ['GET', '/server/0/consistencygroup'],
    ['GET', '/server/0/consistencygroup/1'],
    ['GET', '/server/0/consistencygroup/1/snapshot'],
    ['POST', '/server/0/consistencygroup/1?action=add-volume'],
    ['POST', '/server/0/consistencygroup/1?action=remove-volume'],
    ['POST', '/server/0/consistencygroup/1?action=condense'],
    ['POST', '/server/0/consistencygroup/1?action=take-snapshot'],
    ['POST', '/server/0/consistencygroup/1?action=add-replication-target'],
    ['GET', '/server/0/remotearray'],
  ])('%s %s answers 501 UNSUPPORTED', async (method, path) => {
    const bodies: Record<string, object> = {
      'action=map': { volumeId: '1' },
      'action=add-volume': { volumeId: '1' },
      'action=remove-volume': { volumeIds: ['1'] },
      'action=add-replication-target': { targetName: 'x' },
    };
    const body = Object.entries(bodies).find(([k]) => path.endsWith(k))?.[1] ?? {};
    const res = method === 'GET' ? await p.get(path, sid) : await p.post(path, sid, body);
    expect(res.status).toBe(501);
    expect(res.body.error.type).toBe('UNSUPPORTED');
    expect(res.body.error.message).toMatch(/does not support/);
  });
});
