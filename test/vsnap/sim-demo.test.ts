// The demo appliance a user meets when starting the simulator with no state: the objects client authors rely on.
import { DEMO_FS_CONTENT, demoLunContent } from '../../simulators/vsnap/demo';
import { GiB, TestSim, startTestSim } from './sim-helpers';

describe('vSnap simulator: demo data', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startTestSim({ demo: true });
  });
  afterAll(() => sim.close());

  it('the system is ready, named vsnap-sim, with a stable id and the target iqn derived from it', async () => {
    const system = await sim.ok('/api/system');
    expect(system).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      hostname: 'vsnap-sim',
      init_status: 'Ready',
    });
    expect((await sim.ok('/api/target')).targets[0].wwn).toBe(`iqn.2017-08.com.catalogic.vsnap:${system.id}`);
    expect((await sim.ok('/api/network')).networks[0]).toMatchObject({
      name: 'ens192',
      ip4_addrs: ['127.0.0.1'],
      services: ['mgmt', 'nfs', 'smb', 'iscsi'],
    });
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(2);
  });

  it('pool "1" is pool1, raid5 with compression, 100 GiB, holding only the demo data', async () => {
    const pool = await sim.ok('/api/pool/1');
    expect(pool).toMatchObject({ name: 'pool1', pool_type: 'raid5', compression: true, size_total: String(100 * GiB) });
    expect(Number(pool.size_used)).toBe(4096 + 64 * 1024);
  });

  it('demo_fs1 is a filesystem with content and the snapshot demo_fs1_snap1', async () => {
    const fs = await sim.ok('/api/volume?name=demo_fs1');
    expect(fs).toMatchObject({ id: '1', volume_type: 'filesystem', pool_id: '1', size_total: null });
    expect((await sim.read('volume', fs.id)).toString()).toBe(DEMO_FS_CONTENT);
    const snap = await sim.ok('/api/snapshot?name=demo_fs1_snap1');
    expect(snap).toMatchObject({ id: '1', parent_id: fs.id, has_clones: false });
    expect((await sim.read('snapshot', snap.id)).toString()).toBe(DEMO_FS_CONTENT);
  });

  it('demo_lun1 is a 10 GiB lun with content, mapped as LUN 0 to demo-host', async () => {
    const lun = await sim.ok('/api/volume?name=demo_lun1');
    expect(lun).toMatchObject({ id: '2', volume_type: 'lun', size_total: String(10 * GiB), host_ids: ['1'] });
    expect((await sim.read('volume', lun.id)).equals(demoLunContent())).toBe(true);
    expect(await sim.ok('/api/host?name=demo-host')).toMatchObject({
      id: '1',
      iqns: ['iqn.1994-05.com.redhat:demo-host'],
      mapped_luns: [{ lun: '0', vol_id: lun.id }],
    });
  });

  it('without demo data the system still has pool1, empty', async () => {
    const clean = await startTestSim({ demo: false });
    try {
      expect((await clean.ok('/api/pool')).pools.map((p: { name: string }) => p.name)).toEqual(['pool1']);
      expect((await clean.pool()).used).toBe(0);
      expect((await clean.ok('/api/volume')).total).toBe(0);
      expect((await clean.ok('/api/host')).total).toBe('0');
    } finally {
      await clean.close();
    }
  });
});
