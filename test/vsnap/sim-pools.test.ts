// Seed section 7: pools built from disks, their capacity, properties, actions, and the cascading delete.
import { GiB, TestSim, expectError, startTestSim } from './sim-helpers';

interface Disk {
  uuid: string;
}

describe('vSnap simulator: pools', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ poolSizeBytes: 10 * GiB });
  });
  afterEach(() => sim.close());

  /** Attach disks to the VM and rescan, as an administrator would before creating a pool. */
  async function attach(count: number, size: number): Promise<string[]> {
    const attached = await sim.must('POST', '/sim/disks', { count, size: String(size) });
    await sim.must('POST', '/api/disk', { action: 'rescan' });
    return attached.disks.map((d: Disk) => d.uuid);
  }

  it('the seeded pool1 is a raid5 pool of three disks whose capacity is two disks', async () => {
    const pool = await sim.ok('/api/pool/1');
    expect(pool).toMatchObject({
      id: '1',
      name: 'pool1',
      pool_type: 'raid5',
      size_total: String(10 * GiB),
      size_used: '0',
      status: 'ONLINE',
      health: '100',
    });
    expect(pool.size_free).toBe(pool.size_total);
    expect(Object.keys(pool.disks)).toEqual(['raid5_group1']);
    expect(pool.disks.raid5_group1).toHaveLength(3);
    expect(pool.disks.raid5_group1[0]).toMatch(/^\/dev\/disk\/by-id\/scsi-36000c29[0-9a-f]{25}$/);
  });

  it('a raid5 pool over three disks holds two of them; its disks are no longer unused', async () => {
    const uuids = await attach(3, 4 * GiB);
    const pool = await sim.must('POST', '/api/pool', {
      name: 'data5',
      disk_list: uuids,
      pool_type: 'raid5',
      compression: false,
      deduplication: true,
      syncwrite: false,
    });
    expect(pool).toMatchObject({
      name: 'data5',
      pool_type: 'raid5',
      compression: false,
      deduplication: true,
      syncwrite: false,
      size_total: String(8 * GiB),
      size_free: String(8 * GiB),
      size_used: '0',
      compression_ratio: '1.00x',
      deduplication_ratio: '1.00x',
      diskgroup_size: '8',
    });
    for (const key of [
      'id',
      'size_before_compression',
      'size_before_deduplication',
      'time_created',
      'time_updated',
      'health',
    ]) {
      expect([key, typeof pool[key]]).toEqual([key, 'string']);
    }
    const unused = await sim.ok('/api/disk?used_as=unused');
    expect(unused.disks.map((d: Disk) => d.uuid)).not.toEqual(expect.arrayContaining([uuids[0]]));
  });

  it('raid6 splits nine disks into groups of five and four and loses two disks per group', async () => {
    const uuids = await attach(9, GiB);
    const pool = await sim.must('POST', '/api/pool', { name: 'data6', disk_list: uuids, pool_type: 'raid6' });
    expect(Object.values(pool.disks).map((g) => (g as string[]).length)).toEqual([5, 4]);
    expect(pool.size_total).toBe(String((3 + 2) * GiB));
  });

  it('raid0 stripes over every unused disk when disk_list is empty, using their full size', async () => {
    const pool = await sim.must('POST', '/api/pool', { name: 'stripe', disk_list: [], pool_type: 'raid0' });
    expect(pool.size_total).toBe(String(2 * 16 * GiB));
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(0);
  });

  it('creating a pool is refused with 400 for too few disks, a bad pool_type, a bad or used disk, or a bad name', async () => {
    const [free] = await attach(1, GiB);
    expectError(
      await sim.post('/api/pool', { name: 'r6', disk_list: [free], pool_type: 'raid6' }),
      400,
      'InvalidParameterError',
    );
    expectError(await sim.post('/api/pool', { name: 'x', pool_type: 'raid10' }), 400, 'InvalidParameterError');
    const used = (await sim.ok('/api/pool/1')).disks.raid5_group1[0].replace('/dev/disk/by-id/scsi-', '');
    const taken = await sim.post('/api/pool', { name: 'x', disk_list: [used], pool_type: 'raid0' });
    expectError(taken, 400, 'InvalidParameterError');
    expect(taken.body.error.message).toBe(`Disk UUID ${used} is not a valid candidate for a pool`);
    expectError(
      await sim.post('/api/pool', { name: 'x', disk_list: ['12345'], pool_type: 'raid0' }),
      400,
      'InvalidParameterError',
    );
    expectError(await sim.post('/api/pool', { name: 'bad/name', pool_type: 'raid0' }), 400, 'InvalidParameterError');
    expectError(await sim.post('/api/pool', { pool_type: 'raid0' }), 400, 'InvalidParameterError');
  });

  it('a pool name already in use answers 409 ObjectExistsError', async () => {
    expectError(await sim.post('/api/pool', { name: 'pool1', pool_type: 'raid0' }), 409, 'ObjectExistsError');
  });

  it('a pool is found by /pool/<id>, ?id= and ?name=; the list shows only the summary fields', async () => {
    const list = await sim.ok('/api/pool');
    expect(list.total).toBe(1);
    expect(Object.keys(list.pools[0]).sort()).toEqual([
      'health',
      'id',
      'name',
      'pool_type',
      'size_free',
      'size_total',
      'size_used',
      'status',
      'time_created',
      'time_updated',
    ]);
    const byPath = await sim.ok('/api/pool/1');
    expect(await sim.ok('/api/pool?id=1')).toEqual(byPath);
    expect(await sim.ok('/api/pool?name=pool1')).toEqual(byPath);
    expect(byPath.disks).toBeDefined();
  });

  it('an unknown pool answers 404 in every form', async () => {
    expectError(await sim.get('/api/pool/99'), 404, 'NotFoundError');
    expectError(await sim.get('/api/pool?id=99'), 404, 'NotFoundError');
    expectError(await sim.get('/api/pool?name=nope'), 404, 'NotFoundError');
    expectError(await sim.put('/api/pool/99', { compression: false }), 404, 'NotFoundError');
    expectError(await sim.del('/api/pool/99'), 404, 'NotFoundError');
  });

  it('PUT renames a pool and toggles its properties, keeping what it does not name', async () => {
    const updated = await sim.must('PUT', '/api/pool/1', { name: 'renamed', compression: false });
    expect(updated).toMatchObject({ name: 'renamed', compression: false, deduplication: false, syncwrite: true });
    expect((await sim.ok('/api/pool?name=renamed')).id).toBe('1');
    expectError(await sim.put('/api/pool/1', { syncwrite: 'yes' }), 400, 'InvalidParameterError');
  });

  it('expand adds a raid group and the capacity grows by it', async () => {
    const uuids = await attach(3, 2 * GiB);
    const pool = await sim.must('POST', '/api/pool/1', { action: 'expand', disk_list: uuids });
    expect(pool.size_total).toBe(String(10 * GiB + 4 * GiB));
    expect(Object.keys(pool.disks)).toEqual(['raid5_group1', 'raid5_group2']);
  });

  it('log, cache and spare disks come and go with their actions and never add capacity', async () => {
    const [log1, log2, cache, spare] = await attach(4, GiB);
    await sim.must('POST', '/api/pool/1', { action: 'addlog', disk_list: [log1, log2] });
    await sim.must('POST', '/api/pool/1', { action: 'addcache', disk: cache });
    let pool = await sim.must('POST', '/api/pool/1', { action: 'addspare', disk_list: [spare] });
    expect(pool.disks.logs).toHaveLength(2);
    expect(pool.disks.cache).toEqual([`/dev/disk/by-id/scsi-${cache}`]);
    expect(pool.disks.spares).toEqual([`/dev/disk/by-id/scsi-${spare}`]);
    expect(pool.size_total).toBe(String(10 * GiB));
    const disks = await sim.ok('/api/disk');
    expect(disks.disks.find((d: Disk) => d.uuid === log1).used_as).toBe('log');
    await sim.must('POST', '/api/pool/1', { action: 'removelog' });
    await sim.must('POST', '/api/pool/1', { action: 'removecache' });
    pool = await sim.must('POST', '/api/pool/1', { action: 'removespare', disk_list: [spare] });
    expect(Object.keys(pool.disks)).toEqual(['raid5_group1']);
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(2 + 4);
  });

  it('pool actions with missing disks, a disk that is not a spare, or an unknown action answer 400', async () => {
    expectError(await sim.post('/api/pool/1', { action: 'addlog' }), 400, 'InvalidParameterError');
    expectError(await sim.post('/api/pool/1', { action: 'addcache' }), 400, 'InvalidParameterError');
    const unused = (await sim.ok('/api/disk?used_as=unused')).disks[0].uuid;
    expectError(
      await sim.post('/api/pool/1', { action: 'removespare', disk_list: [unused] }),
      400,
      'InvalidParameterError',
    );
    expectError(await sim.post('/api/pool/1', { action: 'scrub' }), 400, 'InvalidParameterError');
  });

  it('deleting a pool deletes its volumes, snapshots, clones and shares, unmaps its luns and frees its disks', async () => {
    const fs = await sim.createVolume('fs');
    await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'nfs' });
    const snap = await sim.snapshot(fs.id);
    await sim.must('POST', '/api/volume', { name: 'fs_clone', snapshot_id: snap.id });
    const lun = await sim.createLun('lun', GiB);
    const host = await sim.must('POST', '/api/host', { name: 'h', iqns: ['iqn.1994-05.com.redhat:h'] });
    await sim.must('POST', `/api/host/${host.id}`, { action: 'map', vol_id: lun.id });

    expect(await sim.must('DELETE', '/api/pool/1')).toEqual({});
    expect(await sim.ok('/api/pool')).toEqual({ pools: [], total: 0 });
    expect((await sim.ok('/api/volume')).total).toBe(0);
    expect((await sim.ok('/api/snapshot')).total).toBe(0);
    expect((await sim.ok('/api/share')).total).toBe(0);
    expect((await sim.ok(`/api/host/${host.id}`)).mapped_luns).toEqual([]);
    expect((await sim.ok('/api/disk?used_as=unused')).total).toBe(5);
  });
});
