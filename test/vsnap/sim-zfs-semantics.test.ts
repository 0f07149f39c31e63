// ZFS behaviour: thin volumes, copy-on-write space accounting, and the rules that tie snapshots to their clones.
import { BLOCK, GiB, MiB, TestSim, expectError, fill, startTestSim } from './sim-helpers';

describe('vSnap simulator: copy-on-write space accounting', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ poolSizeBytes: 4 * MiB });
  });
  afterEach(() => sim.close());

  it('pool free space falls by the blocks written and the volume reports them as used', async () => {
    const fs = await sim.createVolume('fs');
    const before = await sim.pool();
    const reply = await sim.write(fs.id, fill(10 * BLOCK, 1));
    expect(reply.body).toEqual({ vol_id: fs.id, length: String(10 * BLOCK), size_used: String(10 * BLOCK) });
    const after = await sim.pool();
    expect(after.used - before.used).toBe(10 * BLOCK);
    expect(after.free).toBe(before.free - 10 * BLOCK);
    expect(after.total).toBe(4 * MiB);
    const vol = await sim.ok(`/api/volume/${fs.id}`);
    expect(vol).toMatchObject({ size_used: String(10 * BLOCK), size_free: String(after.free), size_total: null });
  });

  it('a partial write takes a whole 4096-byte block; overwriting unshared data costs nothing more', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, Buffer.from('x'), 5000);
    expect((await sim.pool()).used).toBe(BLOCK);
    await sim.write(fs.id, fill(BLOCK, 2), BLOCK);
    expect((await sim.pool()).used).toBe(BLOCK);
  });

  it('a snapshot costs nothing until its blocks are overwritten, then it pins the old data', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(8 * BLOCK, 1));
    const snap = await sim.snapshot(fs.id, 's1');
    expect(snap.size_used).toBe('0');
    expect((await sim.pool()).used).toBe(8 * BLOCK);

    await sim.write(fs.id, fill(3 * BLOCK, 2)); // overwrite 3 of the 8 blocks
    const pool = await sim.pool();
    expect(pool.used).toBe(11 * BLOCK);
    expect((await sim.ok(`/api/snapshot/${snap.id}`)).size_used).toBe(String(3 * BLOCK));
    expect((await sim.ok(`/api/volume/${fs.id}`)).size_used).toBe(String(8 * BLOCK));
  });

  it('deleting the snapshot gives the pinned space back', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(8 * BLOCK, 1));
    const snap = await sim.snapshot(fs.id);
    await sim.write(fs.id, fill(8 * BLOCK, 2));
    const pinned = await sim.pool();
    expect(pinned.used).toBe(16 * BLOCK);
    await sim.must('DELETE', `/api/snapshot/${snap.id}`);
    const released = await sim.pool();
    expect(released.used).toBe(8 * BLOCK);
    expect(released.free).toBe(pinned.free + 8 * BLOCK);
  });

  it('a block shared by two snapshots is unique to neither, until one of them is deleted', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(4 * BLOCK, 1));
    const s1 = await sim.snapshot(fs.id, 's1');
    const s2 = await sim.snapshot(fs.id, 's2');
    await sim.write(fs.id, fill(4 * BLOCK, 9));
    expect((await sim.ok(`/api/snapshot/${s1.id}`)).size_used).toBe('0');
    expect((await sim.ok(`/api/snapshot/${s2.id}`)).size_used).toBe('0');
    expect((await sim.pool()).used).toBe(8 * BLOCK);
    await sim.must('DELETE', `/api/snapshot/${s1.id}`);
    expect((await sim.ok(`/api/snapshot/${s2.id}`)).size_used).toBe(String(4 * BLOCK));
    expect((await sim.pool()).used).toBe(8 * BLOCK);
  });

  it("deleting a volume frees its blocks and its snapshots' blocks", async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(4 * BLOCK, 1));
    await sim.snapshot(fs.id);
    await sim.write(fs.id, fill(4 * BLOCK, 2));
    await sim.must('DELETE', `/api/volume/${fs.id}`);
    expect((await sim.pool()).used).toBe(0);
  });

  it('volumes are thin: a lun far larger than the pool is accepted and its size_free is size_total minus used', async () => {
    const lun = await sim.createLun('big', 100 * GiB);
    await sim.write(lun.id, fill(2 * BLOCK, 3), 50 * GiB);
    const vol = await sim.ok(`/api/volume/${lun.id}`);
    expect(vol).toMatchObject({
      size_total: String(100 * GiB),
      size_used: String(2 * BLOCK),
      size_free: String(100 * GiB - 2 * BLOCK),
    });
  });

  it('when the pool is full, a write needing new blocks answers 409 InsufficientSpaceError and changes nothing', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(3 * MiB, 1));
    const before = await sim.pool();
    const reply = await sim.write(fs.id, fill(2 * MiB, 2), 3 * MiB);
    expectError(reply, 409, 'InsufficientSpaceError');
    expect(await sim.pool()).toEqual(before);
    expect((await sim.read('volume', fs.id)).length).toBe(3 * MiB);
    // Overwriting blocks nobody else holds needs no new space, even on a nearly full pool.
    expect((await sim.write(fs.id, fill(MiB, 5))).status).toBe(200);
  });

  it('a snapshot pinning old data makes an overwrite fail once the pool cannot hold both copies', async () => {
    const fs = await sim.createVolume('fs');
    await sim.write(fs.id, fill(3 * MiB, 1));
    await sim.snapshot(fs.id);
    expectError(await sim.write(fs.id, fill(2 * MiB, 2)), 409, 'InsufficientSpaceError');
  });

  it('a filesystem cannot grow past its size_total quota: 409 InsufficientSpaceError', async () => {
    const fs = await sim.createVolume('fs', { size_total: 4 * BLOCK });
    expect((await sim.write(fs.id, fill(4 * BLOCK, 1))).status).toBe(200);
    expectError(await sim.write(fs.id, Buffer.from('more'), 4 * BLOCK), 409, 'InsufficientSpaceError');
  });

  it('a write past the end of a lun answers 400', async () => {
    const lun = await sim.createLun('small', 8 * BLOCK);
    expect((await sim.write(lun.id, fill(BLOCK, 1), 7 * BLOCK)).status).toBe(200);
    expectError(await sim.write(lun.id, fill(BLOCK + 1, 1), 7 * BLOCK), 400, 'InvalidParameterError');
  });
});

describe('vSnap simulator: snapshots and their clones', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ poolSizeBytes: 64 * MiB });
  });
  afterEach(() => sim.close());

  async function volumeWithSnapshot(): Promise<{ vol: { id: string }; snap: { id: string; name: string } }> {
    const vol = await sim.createLun('origin', 16 * MiB, { size_block: 4096 });
    await sim.write(vol.id, fill(4 * BLOCK, 1));
    const snap = await sim.snapshot(vol.id, 'base');
    return { vol, snap };
  }

  it('a clone lives in the origin pool with the origin type and size, and is marked as a clone of the snapshot', async () => {
    const { vol, snap } = await volumeWithSnapshot();
    const clone = await sim.must('POST', '/api/volume', { name: 'my_clone_vol', snapshot_id: snap.id });
    expect(clone).toMatchObject({
      name: 'my_clone_vol',
      volume_type: 'lun',
      is_clone: true,
      snapshot_id: snap.id,
      pool_id: '1',
      size_total: String(16 * MiB),
      size_used: String(4 * BLOCK),
    });
    expect(clone.serial).not.toBe((await sim.ok(`/api/volume/${vol.id}`)).serial);
    expect((await sim.ok('/api/volume')).volumes.find((v: { id: string }) => v.id === clone.id).is_clone).toBe(true);
  });

  it('a clone shares the snapshot blocks: creating it takes no pool space', async () => {
    const { snap } = await volumeWithSnapshot();
    const before = await sim.pool();
    await sim.must('POST', '/api/volume', { name: 'cheap', snapshot_id: snap.id });
    expect(await sim.pool()).toEqual(before);
  });

  it('when the snapshot has clones, has_clones is true and delete answers 409 ObjectInUseError', async () => {
    const { snap } = await volumeWithSnapshot();
    await sim.must('POST', '/api/volume', { name: 'c1', snapshot_id: snap.id });
    expect((await sim.ok(`/api/snapshot/${snap.id}`)).has_clones).toBe(true);
    expectError(await sim.del(`/api/snapshot/${snap.id}`), 409, 'ObjectInUseError');
    expect((await sim.ok(`/api/snapshot/${snap.id}`)).name).toBe('base');
  });

  it("when a volume's snapshot has clones, deleting the volume answers 409 ObjectInUseError", async () => {
    const { vol, snap } = await volumeWithSnapshot();
    await sim.must('POST', '/api/volume', { name: 'c1', snapshot_id: snap.id });
    expectError(await sim.del(`/api/volume/${vol.id}`), 409, 'ObjectInUseError');
    expect((await sim.ok(`/api/volume/${vol.id}`)).id).toBe(vol.id);
  });

  it('deleting the clone releases the snapshot: it can then be deleted, and so can the volume', async () => {
    const { vol, snap } = await volumeWithSnapshot();
    const clone = await sim.must('POST', '/api/volume', { name: 'c1', snapshot_id: snap.id });
    await sim.must('DELETE', `/api/volume/${clone.id}`);
    expect((await sim.ok(`/api/snapshot/${snap.id}`)).has_clones).toBe(false);
    expect(await sim.must('DELETE', `/api/snapshot/${snap.id}`)).toEqual({});
    expect(await sim.must('DELETE', `/api/volume/${vol.id}`)).toEqual({});
    expect((await sim.pool()).used).toBe(0);
  });

  it('a clone name taken in the pool answers 409 ObjectExistsError', async () => {
    const { snap } = await volumeWithSnapshot();
    expectError(await sim.post('/api/volume', { name: 'origin', snapshot_id: snap.id }), 409, 'ObjectExistsError');
  });

  it("a clone's own writes take new space while the shared blocks stay counted once", async () => {
    const { snap } = await volumeWithSnapshot();
    const clone = await sim.must('POST', '/api/volume', { name: 'c1', snapshot_id: snap.id });
    const before = await sim.pool();
    await sim.write(clone.id, fill(BLOCK, 7));
    expect((await sim.pool()).used).toBe(before.used + BLOCK);
    expect((await sim.ok(`/api/volume/${clone.id}`)).size_used).toBe(String(4 * BLOCK));
  });
});
