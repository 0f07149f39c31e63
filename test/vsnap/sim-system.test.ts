// Seed sections 2-6: system info and init, network interfaces, target ports, disks and rescans.
import { GiB, TestSim, expectError, startTestSim } from './sim-helpers';

const allStrings = (obj: Record<string, unknown>, keys: string[]): void => {
  for (const key of keys) expect([key, typeof obj[key]]).toEqual([key, 'string']);
};

describe('vSnap simulator: system, networks, targets and disks on a ready appliance', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(() => sim.close());

  it('GET /api/system shows a ready system with the seed fields', async () => {
    const system = await sim.ok('/api/system');
    expect(system).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      hostname: 'vsnap-sim',
      init_status: 'Ready',
      api_version: '1.0',
    });
    expect(system.id).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof system.multipool).toBe('boolean');
    allStrings(system, [
      'fqdn',
      'os_name',
      'os_version',
      'vsnap_version',
      'zfs_version',
      'nfs_version',
      'samba_version',
    ]);
  });

  it('init on a system that is already ready changes nothing (a retried init is harmless)', async () => {
    const reply = await sim.post('/api/system', { action: 'init' });
    expect(reply.body.init_status).toBe('Ready');
    expect((await sim.ok('/api/pool')).total).toBe(1);
  });

  it('an unknown system action answers 400', async () => {
    expectError(await sim.post('/api/system', { action: 'reboot' }), 400, 'InvalidParameterError');
    expectError(await sim.post('/api/system', {}), 400, 'InvalidParameterError');
  });

  it('GET /api/network lists the interface; PUT sets its services and "all" means every service', async () => {
    const list = await sim.ok('/api/network');
    expect(list.total).toBe(1);
    const nic = list.networks[0];
    expect(nic).toEqual({
      id: '005056b45302',
      name: 'ens192',
      hw_addr: '005056b45302',
      ip4_addrs: ['127.0.0.1'],
      ip6_addrs: ['fe80::250:56ff:feb4:5302'],
      services: ['mgmt', 'nfs', 'smb', 'iscsi'],
    });
    const narrowed = await sim.must('PUT', `/api/network/${nic.id}`, { services: ['smb', 'nfs'] });
    expect(narrowed.services).toEqual(['nfs', 'smb']);
    expect((await sim.ok('/api/network')).networks[0].services).toEqual(['nfs', 'smb']);
    const all = await sim.must('PUT', `/api/network/${nic.id}`, { services: ['all', 'nfs'] });
    expect(all.services).toEqual(['mgmt', 'nfs', 'smb', 'iscsi']);
  });

  it('setting an unknown service or omitting services answers 400; an unknown interface 404', async () => {
    expectError(await sim.put('/api/network/005056b45302', { services: ['ftp'] }), 400, 'InvalidParameterError');
    expectError(await sim.put('/api/network/005056b45302', {}), 400, 'InvalidParameterError');
    expectError(await sim.put('/api/network/nope', { services: ['all'] }), 404, 'NotFoundError');
  });

  it('GET /api/target shows the iSCSI target named after the system id', async () => {
    const system = await sim.ok('/api/system');
    expect(await sim.ok('/api/target')).toEqual({
      targets: [{ type: 'iqn', wwn: `iqn.2017-08.com.catalogic.vsnap:${system.id}` }],
      total: 1,
    });
  });

  it('GET /api/disk?used_as=unused lists only the disks free for a pool, sizes as strings', async () => {
    const unused = await sim.ok('/api/disk?used_as=unused');
    expect(unused.total).toBe(2);
    for (const disk of unused.disks) {
      expect(Object.keys(disk).sort()).toEqual(['model', 'name', 'size', 'type', 'used_as', 'uuid', 'vendor']);
      expect(disk.used_as).toBe('unused');
      expect(disk.size).toBe(String(16 * GiB));
    }
    const all = await sim.ok('/api/disk');
    expect(all.total).toBe(5);
    expect(all.disks.filter((d: { used_as: string }) => d.used_as === 'data')).toHaveLength(3);
  });

  it('a disk attached to the VM appears only after a rescan', async () => {
    const attached = await sim.must('POST', '/sim/disks', { count: 2, size: String(4 * GiB) });
    expect(attached.total).toBe(2);
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(2);
    expect(await sim.must('POST', '/api/disk', { action: 'rescan' })).toEqual({});
    const after = await sim.ok('/api/disk?used_as=unused');
    expect(after.total).toBe(4);
    expect(after.disks.map((d: { uuid: string }) => d.uuid)).toEqual(
      expect.arrayContaining(attached.disks.map((d: { uuid: string }) => d.uuid)),
    );
  });

  it('a disk action other than rescan answers 400', async () => {
    expectError(await sim.post('/api/disk', { action: 'format' }), 400, 'InvalidParameterError');
  });
});

describe('vSnap simulator: initializing a fresh appliance', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ initialized: false, poolSizeBytes: 2 * GiB });
  });
  afterEach(() => sim.close());

  it('a fresh appliance is "Not Initialized" and has no pool', async () => {
    expect((await sim.ok('/api/system')).init_status).toBe('Not Initialized');
    expect(await sim.ok('/api/pool')).toEqual({ pools: [], total: 0 });
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(3);
  });

  it('an async init answers "Initializing" at once, then becomes "Ready" with a pool of every disk', async () => {
    const reply = await sim.must('POST', '/api/system', {
      action: 'init',
      async: true,
      multipool: true,
      skip_pool: false,
    });
    expect(reply).toMatchObject({ init_status: 'Initializing', multipool: true });
    let status = reply.init_status;
    for (let i = 0; i < 50 && status !== 'Ready'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await sim.ok('/api/system')).init_status;
    }
    expect(status).toBe('Ready');
    const pools = await sim.ok('/api/pool');
    expect(pools.total).toBe(1);
    expect(pools.pools[0].size_total).toBe(String(3 * GiB)); // three 1 GiB disks, raid0
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(0);
  });

  it('a synchronous init with skip_pool is "Ready" when it answers and creates no pool', async () => {
    const reply = await sim.must('POST', '/api/system', { action: 'init', skip_pool: true });
    expect(reply.init_status).toBe('Ready');
    expect(reply.multipool).toBe(false);
    expect((await sim.ok('/api/pool')).total).toBe(0);
  });

  it('without multipool, a second pool is refused with 400', async () => {
    await sim.must('POST', '/api/system', { action: 'init' });
    await sim.must('POST', '/sim/disks', { count: 1, size: String(GiB) });
    await sim.must('POST', '/api/disk', { action: 'rescan' });
    const second = await sim.post('/api/pool', { name: 'second', pool_type: 'raid0' });
    expectError(second, 400, 'InvalidParameterError');
    expect(second.body.error.message).toMatch(/multipool|Multiple pools/i);
  });
});
