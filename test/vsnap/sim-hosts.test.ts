// Seed section 10: hosts, their iSCSI initiators, and the LUN numbers luns get when mapped to them.
import { GiB, TestSim, expectError, startTestSim } from './sim-helpers';

describe('vSnap simulator: hosts and lun mapping', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(() => sim.close());

  const createHost = (name: string, iqns?: string[]): Promise<{ id: string }> =>
    sim.must('POST', '/api/host', iqns === undefined ? { name } : { name, iqns });
  const map = (hostId: string, volId: string): Promise<{ vol_id: string; lun: string }> =>
    sim.must('POST', `/api/host/${hostId}`, { action: 'map', vol_id: volId });

  it('a host is created with the seed detail fields', async () => {
    const host = await sim.must('POST', '/api/host', {
      name: 'sid-oracle-47',
      iqns: ['iqn.1988-12.com.oracle:devoracle47'],
    });
    expect(host).toEqual({
      id: host.id,
      name: 'sid-oracle-47',
      iqns: ['iqn.1988-12.com.oracle:devoracle47'],
      mapped_luns: [],
      time_created: host.time_created,
      time_updated: host.time_updated,
    });
    expect(host.time_created).toMatch(/^\d+$/);
    expect((await createHost('no-initiators')) as unknown).toMatchObject({ iqns: [] });
  });

  it('initiators must be iSCSI names (iqn., eui. or naa.): anything else answers 400', async () => {
    expectError(await sim.post('/api/host', { name: 'h', iqns: ['oracle47'] }), 400, 'InvalidParameterError');
    expectError(
      await sim.post('/api/host', { name: 'h', iqns: 'iqn.1988-12.com.oracle:x' }),
      400,
      'InvalidParameterError',
    );
    expect((await createHost('eui', ['eui.02004567A425678D'])).id).toBeDefined();
    expect((await createHost('naa', ['naa.52004567BA64678D'])).id).toBeDefined();
  });

  it('a host name or an initiator already in use answers 409 ObjectExistsError', async () => {
    await createHost('taken', ['iqn.1994-05.com.redhat:one']);
    expectError(await sim.post('/api/host', { name: 'taken' }), 409, 'ObjectExistsError');
    expectError(
      await sim.post('/api/host', { name: 'other', iqns: ['iqn.1994-05.com.redhat:one'] }),
      409,
      'ObjectExistsError',
    );
    expectError(await sim.post('/api/host', { iqns: [] }), 400, 'InvalidParameterError');
  });

  it('the host list shows summaries and a string total; /host/<id>, ?id= and ?name= show details', async () => {
    const host = await createHost('h1', ['iqn.1994-05.com.redhat:h1']);
    await createHost('h2');
    const list = await sim.ok('/api/host');
    expect(list.total).toBe('2');
    expect(Object.keys(list.hosts[0]).sort()).toEqual(['id', 'iqns', 'name', 'time_created', 'time_updated']);
    const detail = await sim.ok(`/api/host/${host.id}`);
    expect(detail.mapped_luns).toEqual([]);
    expect(await sim.ok(`/api/host?id=${host.id}`)).toEqual(detail);
    expect(await sim.ok('/api/host?name=h1')).toEqual(detail);
    expectError(await sim.get('/api/host/42'), 404, 'NotFoundError');
    expectError(await sim.get('/api/host?name=nobody'), 404, 'NotFoundError');
  });

  it('luns get the lowest free LUN number on the host, from "0", and a freed number is reused', async () => {
    const host = await createHost('numbers', ['iqn.1994-05.com.redhat:numbers']);
    const luns = [];
    for (const name of ['a', 'b', 'c', 'd']) luns.push(await sim.createLun(name, GiB));
    expect(await map(host.id, luns[0].id)).toEqual({ vol_id: luns[0].id, lun: '0' });
    expect((await map(host.id, luns[1].id)).lun).toBe('1');
    expect((await map(host.id, luns[2].id)).lun).toBe('2');
    expect(await sim.must('POST', `/api/host/${host.id}`, { action: 'unmap', vol_id: luns[1].id })).toEqual({});
    expect((await map(host.id, luns[3].id)).lun).toBe('1');
    expect((await sim.ok(`/api/host/${host.id}`)).mapped_luns).toEqual([
      { lun: '0', vol_id: luns[0].id },
      { lun: '1', vol_id: luns[3].id },
      { lun: '2', vol_id: luns[2].id },
    ]);
  });

  it('numbering is per host, and a lun mapped to two hosts lists both in host_ids', async () => {
    const h1 = await createHost('h1');
    const h2 = await createHost('h2');
    const x = await sim.createLun('x', GiB);
    const y = await sim.createLun('y', GiB);
    await map(h1.id, x.id);
    expect((await map(h1.id, y.id)).lun).toBe('1');
    expect((await map(h2.id, y.id)).lun).toBe('0');
    expect((await sim.ok(`/api/volume/${y.id}`)).host_ids).toEqual([h1.id, h2.id]);
  });

  it('mapping a lun that is already mapped answers the existing mapping (a retry is safe)', async () => {
    const host = await createHost('retry');
    const lun = await sim.createLun('once', GiB);
    const first = await map(host.id, lun.id);
    expect(await map(host.id, lun.id)).toEqual(first);
    expect((await sim.ok(`/api/host/${host.id}`)).mapped_luns).toHaveLength(1);
  });

  it('unmapping a volume that is not mapped answers 404; mapping a filesystem answers 400', async () => {
    const host = await createHost('strict');
    const lun = await sim.createLun('free', GiB);
    const fs = await sim.createVolume('files');
    expectError(await sim.post(`/api/host/${host.id}`, { action: 'unmap', vol_id: lun.id }), 404, 'NotFoundError');
    expectError(await sim.post(`/api/host/${host.id}`, { action: 'map', vol_id: fs.id }), 400, 'InvalidParameterError');
    expectError(await sim.post(`/api/host/${host.id}`, { action: 'map', vol_id: '999' }), 404, 'NotFoundError');
    expectError(
      await sim.post(`/api/host/${host.id}`, { action: 'attach', vol_id: lun.id }),
      400,
      'InvalidParameterError',
    );
    expectError(await sim.post(`/api/host/${host.id}`, { action: 'map' }), 400, 'InvalidParameterError');
  });

  it('a filebackedlun can be mapped like a lun', async () => {
    const host = await createHost('fbl');
    const fs = await sim.createVolume('parent');
    const fbl = await sim.must('POST', '/api/volume', {
      name: 'filelun',
      volume_type: 'filebackedlun',
      parent_id: fs.id,
      parent_path: 'disk.img',
    });
    expect((await map(host.id, fbl.id)).lun).toBe('0');
  });

  it('PUT renames a host and replaces its initiator list', async () => {
    const host = await createHost('old-name', ['iqn.1988-12.com.oracle:devoracle47']);
    const renamed = await sim.must('PUT', `/api/host/${host.id}`, { name: 'new-host-name' });
    expect(renamed.iqns).toEqual(['iqn.1988-12.com.oracle:devoracle47']);
    const replaced = await sim.must('PUT', `/api/host/${host.id}`, {
      name: 'new-host-name',
      iqns: ['iqn.1988-12.com.oracle:devoracle46', 'iqn.1988-12.com.oracle:devoracle47'],
    });
    expect(replaced).toMatchObject({
      name: 'new-host-name',
      iqns: ['iqn.1988-12.com.oracle:devoracle46', 'iqn.1988-12.com.oracle:devoracle47'],
    });
    expect((await sim.must('PUT', `/api/host/${host.id}`, { iqns: [] })).iqns).toEqual([]);
    await createHost('someone');
    expectError(await sim.put(`/api/host/${host.id}`, { name: 'someone' }), 409, 'ObjectExistsError');
    expectError(await sim.put(`/api/host/${host.id}`, { iqns: ['bogus'] }), 400, 'InvalidParameterError');
  });

  it('deleting a host unmaps its luns', async () => {
    const host = await createHost('gone');
    const lun = await sim.createLun('orphan', GiB);
    await map(host.id, lun.id);
    expect(await sim.must('DELETE', `/api/host/${host.id}`)).toEqual({});
    expect((await sim.ok(`/api/volume/${lun.id}`)).host_ids).toEqual([]);
    expectError(await sim.get(`/api/host/${host.id}`), 404, 'NotFoundError');
    expectError(await sim.del(`/api/host/${host.id}`), 404, 'NotFoundError');
  });
});
