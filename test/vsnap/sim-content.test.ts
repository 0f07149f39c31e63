// The data plane proves the ZFS operations by content: what is read back after writes, rollbacks, clones and restores.
import { BLOCK, GiB, MiB, TestSim, expectError, fill, startTestSim } from './sim-helpers';

const A = Buffer.from('AAAA version A of the data '.repeat(400)); // ~10 KiB, crosses block edges
const B = Buffer.from('bb version B '.repeat(1000));

describe('vSnap simulator: data plane', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ poolSizeBytes: 64 * MiB });
  });
  afterEach(() => sim.close());

  it('reads back exactly what was written, at any offset, with zeros where nothing was written', async () => {
    const fs = await sim.createVolume('fs');
    expect((await sim.read('volume', fs.id)).length).toBe(0);
    await sim.write(fs.id, 'hello');
    const reply = await sim.write(fs.id, 'world', 10000);
    expect(reply.body).toMatchObject({ length: '10005', size_used: String(2 * BLOCK) }); // the gap holds no blocks
    const data = await sim.read('volume', fs.id);
    const expected = Buffer.alloc(10005);
    expected.write('hello', 0);
    expected.write('world', 10000);
    expect(data.equals(expected)).toBe(true);
  });

  it('a write stores the raw bytes whatever the Content-Type says', async () => {
    const fs = await sim.createVolume('raw');
    const bytes = Buffer.from('{not json', 'utf8');
    const reply = await sim.call('PUT', `/sim/volume/${fs.id}/data`, undefined, {
      raw: bytes,
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
    expect((await sim.read('volume', fs.id)).equals(bytes)).toBe(true);
  });

  it('a write inside the content keeps the bytes around it', async () => {
    const lun = await sim.createLun('lun', MiB);
    await sim.write(lun.id, fill(3 * BLOCK, 0x61));
    await sim.write(lun.id, Buffer.from('XYZ'), BLOCK - 1);
    const data = await sim.read('volume', lun.id);
    expect(data.length).toBe(3 * BLOCK);
    expect(data.subarray(BLOCK - 2, BLOCK + 3).toString()).toBe('aXYZa');
  });

  it('reads answer application/octet-stream and may take an offset/length window', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, '0123456789');
    const reply = await sim.get(`/sim/volume/${fs.id}/data?offset=3&length=4`);
    expect(reply.headers['content-type']).toMatch(/application\/octet-stream/);
    expect(reply.text).toBe('3456');
  });

  it('write A, snapshot, write B, roll back: A reads back', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, A);
    const snap = await sim.snapshot(fs.id, 'a');
    await sim.write(fs.id, B);
    expect((await sim.read('volume', fs.id)).subarray(0, B.length).equals(B)).toBe(true);
    expect((await sim.read('snapshot', snap.id)).equals(A)).toBe(true);
    const rolled = await sim.must('POST', `/api/volume/${fs.id}`, { action: 'rollback', snapshot_id: snap.id });
    expect(rolled).toMatchObject({ id: fs.id, size_used: String(3 * BLOCK) });
    expect((await sim.read('volume', fs.id)).equals(A)).toBe(true);
    expect((await sim.ok(`/api/snapshot/${snap.id}`)).size_used).toBe('0');
  });

  it('rollback to an older snapshot answers 409 while newer snapshots exist, and works with destroy_newer', async () => {
    const lun = await sim.createLun('lun', MiB);
    await sim.write(lun.id, 'one');
    const s1 = await sim.snapshot(lun.id, 's1');
    await sim.write(lun.id, 'two');
    const s2 = await sim.snapshot(lun.id, 's2');
    await sim.write(lun.id, 'three');

    const refused = await sim.post(`/api/volume/${lun.id}`, { action: 'rollback', snapshot_id: s1.id });
    expectError(refused, 409, 'ObjectInUseError');
    expect(refused.body.error.message).toMatch(/more recent snapshots exist/);
    expect((await sim.read('volume', lun.id)).toString()).toBe('three');

    await sim.must('POST', `/api/volume/${lun.id}`, { action: 'rollback', snapshot_id: s1.id, destroy_newer: true });
    expect((await sim.read('volume', lun.id)).toString()).toBe('one');
    expectError(await sim.get(`/api/snapshot/${s2.id}`), 404, 'NotFoundError');
    expect((await sim.ok(`/api/volume/${lun.id}/snapshot`)).snapshots.map((s: { name: string }) => s.name)).toEqual([
      's1',
    ]);
  });

  it('rollback to the latest snapshot needs no destroy_newer', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, 'one');
    await sim.snapshot(fs.id, 's1');
    await sim.write(fs.id, 'two');
    const s2 = await sim.snapshot(fs.id, 's2');
    await sim.write(fs.id, 'three');
    await sim.must('POST', `/api/volume/${fs.id}`, { action: 'rollback', snapshot_id: s2.id });
    expect((await sim.read('volume', fs.id)).toString()).toBe('two');
  });

  it('when a newer snapshot has clones, rollback answers 409 even with destroy_newer, and changes nothing', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, 'one');
    const s1 = await sim.snapshot(fs.id, 's1');
    await sim.write(fs.id, 'two');
    const s2 = await sim.snapshot(fs.id, 's2');
    await sim.must('POST', '/api/volume', { name: 'keep', snapshot_id: s2.id });
    expectError(
      await sim.post(`/api/volume/${fs.id}`, { action: 'rollback', snapshot_id: s1.id, destroy_newer: true }),
      409,
      'ObjectInUseError',
    );
    expect((await sim.read('volume', fs.id)).toString()).toBe('two');
    expect((await sim.ok(`/api/volume/${fs.id}/snapshot`)).total).toBe(2);
  });

  it("rollback to another volume's snapshot answers 400; to a missing snapshot 404", async () => {
    const a = await sim.createVolume('a');
    const b = await sim.createVolume('b');
    const snapB = await sim.snapshot(b.id);
    expectError(
      await sim.post(`/api/volume/${a.id}`, { action: 'rollback', snapshot_id: snapB.id }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post(`/api/volume/${a.id}`, { action: 'rollback', snapshot_id: '999' }),
      404,
      'NotFoundError',
    );
    expectError(await sim.post(`/api/volume/${a.id}`, { action: 'rollback' }), 400, 'InvalidParameterError');
  });

  it('a clone reads the snapshot content, and its writes change neither the origin nor the snapshot', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, A);
    const snap = await sim.snapshot(fs.id);
    await sim.write(fs.id, 'origin moved on');
    const clone = await sim.must('POST', '/api/volume', { name: 'clone', snapshot_id: snap.id });
    expect((await sim.read('volume', clone.id)).equals(A)).toBe(true);
    await sim.write(clone.id, 'CLONE', 100);
    const cloneData = await sim.read('volume', clone.id);
    expect(cloneData.subarray(100, 105).toString()).toBe('CLONE');
    expect((await sim.read('snapshot', snap.id)).equals(A)).toBe(true);
    const origin = await sim.read('volume', fs.id);
    expect(origin.subarray(0, 15).toString()).toBe('origin moved on');
    expect(origin.subarray(100, 105).equals(A.subarray(100, 105))).toBe(true);
  });

  it('restore copies a snapshot of another volume into a volume: content and length exact, its own snapshots kept', async () => {
    const source = await sim.createLun('source', MiB);
    await sim.write(source.id, A);
    const srcSnap = await sim.snapshot(source.id, 'golden');
    const target = await sim.createLun('target', 2 * MiB);
    await sim.write(target.id, fill(20 * BLOCK, 0x7a)); // longer than A
    const targetSnap = await sim.snapshot(target.id, 'before-restore');

    const restored = await sim.must('POST', `/api/volume/${target.id}`, { action: 'restore', snapshot_id: srcSnap.id });
    expect(restored).toMatchObject({ id: target.id, size_total: String(2 * MiB), size_used: String(3 * BLOCK) });
    expect((await sim.read('volume', target.id)).equals(A)).toBe(true);
    expect((await sim.read('snapshot', targetSnap.id)).equals(fill(20 * BLOCK, 0x7a))).toBe(true);
    expect((await sim.ok(`/api/volume/${target.id}/snapshot`)).total).toBe(1);
    expect((await sim.ok(`/api/snapshot/${srcSnap.id}`)).has_clones).toBe(false); // a copy, not a clone

    await sim.write(target.id, 'after');
    expect((await sim.read('snapshot', srcSnap.id)).equals(A)).toBe(true);
    expect((await sim.read('volume', source.id)).equals(A)).toBe(true);
  });

  it('restore writes new blocks: the pool pays for the copy', async () => {
    const source = await sim.createVolume('source');
    await sim.write(source.id, fill(10 * BLOCK, 1));
    const snap = await sim.snapshot(source.id);
    const target = await sim.createVolume('target');
    const before = await sim.pool();
    await sim.must('POST', `/api/volume/${target.id}`, { action: 'restore', snapshot_id: snap.id });
    expect((await sim.pool()).used).toBe(before.used + 10 * BLOCK);
  });

  it('restore works across pools', async () => {
    await sim.must('POST', '/api/pool', { name: 'pool2', pool_type: 'raid0' });
    const source = await sim.createVolume('src');
    await sim.write(source.id, B);
    const snap = await sim.snapshot(source.id);
    const target = await sim.createVolume('dst', { pool_id: '2' });
    await sim.must('POST', `/api/volume/${target.id}`, { action: 'restore', snapshot_id: snap.id });
    expect((await sim.read('volume', target.id)).equals(B)).toBe(true);
    expect((await sim.pool('2')).used).toBe(Math.ceil(B.length / BLOCK) * BLOCK);
  });

  it('restore is refused across volume types (400) and into a smaller lun (400)', async () => {
    const fs = await sim.createVolume('fs');
    const fsSnap = await sim.snapshot(fs.id);
    const big = await sim.createLun('big', 2 * MiB);
    const bigSnap = await sim.snapshot(big.id);
    const small = await sim.createLun('small', MiB);
    expectError(
      await sim.post(`/api/volume/${small.id}`, { action: 'restore', snapshot_id: fsSnap.id }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post(`/api/volume/${small.id}`, { action: 'restore', snapshot_id: bigSnap.id }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post(`/api/volume/${small.id}`, { action: 'restore', snapshot_id: '999' }),
      404,
      'NotFoundError',
    );
  });

  it('restore answers 409 InsufficientSpaceError when the pool cannot hold the copy, and leaves the target alone', async () => {
    const small = await startTestSim({ poolSizeBytes: 3 * MiB });
    try {
      const source = await small.createVolume('src');
      await small.write(source.id, fill(2 * MiB, 1));
      const snap = await small.snapshot(source.id);
      const target = await small.createVolume('dst');
      await small.write(target.id, 'keep me');
      expectError(
        await small.post(`/api/volume/${target.id}`, { action: 'restore', snapshot_id: snap.id }),
        409,
        'InsufficientSpaceError',
      );
      expect((await small.read('volume', target.id)).toString()).toBe('keep me');
    } finally {
      await small.close();
    }
  });

  it('the data plane refuses a filebackedlun (400), an unknown volume (404) and a bad offset (400)', async () => {
    const fs = await sim.createVolume('fs');
    const fbl = await sim.must('POST', '/api/volume', {
      name: 'fl',
      volume_type: 'filebackedlun',
      parent_id: fs.id,
      parent_path: 'a.img',
    });
    expectError(await sim.write(fbl.id, 'x'), 400, 'InvalidParameterError');
    expectError(await sim.get(`/sim/volume/${fbl.id}/data`), 400, 'InvalidParameterError');
    expectError(await sim.write('999', 'x'), 404, 'NotFoundError');
    expectError(await sim.get('/sim/snapshot/999/data'), 404, 'NotFoundError');
    expectError(
      await sim.call('PUT', `/sim/volume/${fs.id}/data?offset=-5`, undefined, { raw: 'x' }),
      400,
      'InvalidParameterError',
    );
  });

  it('a write takes up to 16 MiB in one call; more answers 400', async () => {
    const lun = await sim.createLun('wide', GiB);
    const max = await sim.write(lun.id, fill(16 * MiB, 3));
    expect(max.body).toMatchObject({ length: String(16 * MiB), size_used: String(16 * MiB) });
    expectError(await sim.write(lun.id, fill(16 * MiB + 1, 3)), 400, 'InvalidParameterError');
  });
});
