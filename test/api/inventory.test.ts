import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe('storage, servers, system, pools and networks', () => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
  });
  afterAll(() => p.close());

  it('GET /storage describes the array the session was opened on', async () => {
    const res = await p.get('/storage', sid).expect(200);
    expect(res.body).toMatchObject({ ipAddress: '127.0.0.1', port: p.target.port, pluginId: 'cdm-storage-plugin.vsnap', vendor: 'IBM', serverIds: ['0'] });
    expect(res.body.version).toBeTruthy();
  });

  it('the appliance is the single server "0", with its NFS and iSCSI service state', async () => {
    const list = (await p.get('/server', sid).expect(200)).body.servers;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: '0', config: { isNfsServiceEnabled: true, isIscsiServiceEnabled: true, isDpDestination: false } });
    expect((await p.get('/server/0', sid).expect(200)).body).toEqual(list[0]);
    expect((await p.get('/server?start=1', sid).expect(200)).body.servers).toEqual([]);
  });

  it('system figures follow the data: used space, snapshot space and provisioned size', async () => {
    const before = (await p.get('/server/0/system', sid).expect(200)).body;
    expect(before.capacityInBytes).toBeGreaterThan(0);
    expect(before.volumesSizeInBytes + before.snapshotsSizeInBytes + before.sharedSpaceInBytes + before.systemSizeInBytes).toBe(before.totalSizeInBytes);
    const vol = await p.fixture.createVolume({ name: uniq('sys'), type: 'lun', sizeBytes: 256 << 20 });
    await p.fixture.write(vol.id, Buffer.alloc(2 << 20, 3));
    await p.post(`/server/0/volume/${vol.id}/snapshot`, sid, { name: uniq('sys') }).expect(201);
    await p.fixture.write(vol.id, Buffer.alloc(2 << 20, 4));
    const after = (await p.get('/server/0/system', sid).expect(200)).body;
    expect(after.totalSizeInBytes - before.totalSizeInBytes).toBeGreaterThanOrEqual(4 << 20);
    expect(after.snapshotsSizeInBytes - before.snapshotsSizeInBytes).toBeGreaterThanOrEqual(2 << 20);
    expect(after.provisionedSizeInBytes - before.provisionedSizeInBytes).toBe(256 << 20);
    expect(after.thinProvisioning).toBeGreaterThan(0);
    expect(after.thinProvisioning).toBeLessThan(1);
    expect(after.model).toBe('vSnap');
  });

  it('pools show their free space, which falls as a volume fills', async () => {
    const pools = (await p.get('/server/0/pool', sid).expect(200)).body.pools;
    expect(pools.length).toBeGreaterThan(0);
    const before = (await p.get(`/server/0/pool/${pools[0].id}`, sid).expect(200)).body;
    const vol = await p.fixture.createVolume({ name: uniq('fill'), type: 'filesystem', sizeBytes: 64 << 20 });
    await p.fixture.write(vol.id, Buffer.alloc(3 << 20, 9));
    const after = (await p.get(`/server/0/pool/${pools[0].id}`, sid).expect(200)).body;
    expect(before.freeSpace - after.freeSpace).toBeGreaterThanOrEqual(3 << 20);
  });

  it('networks show the interfaces with their services and the iSCSI target name', async () => {
    const nets = (await p.get('/server/0/network', sid).expect(200)).body.networks;
    expect(nets.length).toBeGreaterThan(0);
    expect(nets[0]).toMatchObject({ ipAddress: '127.0.0.1', serverGroupKey: '0', config: { nfs: true, cifs: true, iscsi: true, fc: false }, iqn: expect.stringMatching(/^iqn\./) });
    expect((await p.get(`/server/0/network/${nets[0].id}`, sid).expect(200)).body).toEqual(nets[0]);
  });
});
