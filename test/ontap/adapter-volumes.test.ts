// The ONTAP adapter's volume mapping over HTTP: kinds, FlexClone and split progress, mount by junction path, restores
// by content.
import { type Rig, eventually, startRig } from './adapter-helpers';
import { uniq } from './sim-helpers';

const A = Buffer.from('A: what the snapshot holds\n'.repeat(300));
const B = Buffer.from('B: written after it\n'.repeat(400));

describe('ONTAP adapter: volumes', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  async function withSnapshot(type: 'filesystem' | 'lun', content = A) {
    const v = (await rig.fixture.createVolume({ name: uniq(type === 'lun' ? 'san' : 'nas'), type, sizeBytes: 8 << 20 }))
      .id;
    await rig.fixture.write(v, content);
    const snap = await rig.conn.createSnapshot(rig.svm, v, { name: uniq('s') });
    return { v, snap };
  }

  it('a volume holding LUNs is a lun volume, others filesystem; thin when it has no space guarantee', async () => {
    const nas = await withSnapshot('filesystem');
    const san = await withSnapshot('lun');
    expect(await rig.conn.getVolume(rig.svm, nas.v)).toMatchObject({
      volumeType: 'filesystem',
      serverGroupKey: rig.svm,
      config: { thinProvisioned: true },
      supports: { revert: true, split: 'NOT_NEEDED' },
    });
    expect((await rig.conn.getVolume(rig.svm, san.v)).volumeType).toBe('lun');
  });

  it('a FlexClone says split ANY_TIME; split reports growing progress until the clone stands alone', async () => {
    await rig.sim.settings({ splitMinMs: 3000 });
    try {
      const { v, snap } = await withSnapshot('filesystem');
      const clone = await rig.conn.cloneVolume!(rig.svm, v, { snapshot: { id: snap.id }, name: uniq('c') });
      expect(clone.supports.split).toBe('ANY_TIME');
      expect(await rig.conn.splitStatus!(rig.svm, clone.id)).toEqual({ percentageComplete: 0, complete: false });
      const started = await rig.conn.splitVolume!(rig.svm, clone.id);
      expect(started.complete).toBe(false);
      await new Promise((r) => setTimeout(r, 700));
      const middle = await rig.conn.splitStatus!(rig.svm, clone.id);
      expect(middle.percentageComplete).toBeGreaterThan(started.percentageComplete);
      expect(middle.percentageComplete).toBeLessThan(100);
      // A second split call while one runs is harmless.
      expect((await rig.conn.splitVolume!(rig.svm, clone.id)).complete).toBe(false);
      await eventually(async () => ((await rig.conn.splitStatus!(rig.svm, clone.id)).complete ? true : undefined));
      expect((await rig.conn.getVolume(rig.svm, clone.id)).supports.split).toBe('NOT_NEEDED');
      await rig.conn.deleteSnapshot(rig.svm, v, snap.id);
      expect(await rig.fixture.read(clone.id)).toEqual(A);
    } finally {
      await rig.sim.settings({ splitMinMs: 300 });
    }
  });

  it('a clone stays in its parent’s SVM: another server group key is refused', async () => {
    const { v, snap } = await withSnapshot('filesystem');
    await expect(
      rig.conn.cloneVolume!(rig.svm, v, { snapshot: { id: snap.id }, name: uniq('c'), serverGroupKeys: ['elsewhere'] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      rig.conn.cloneVolume!(rig.svm, v, { snapshot: { id: snap.id, name: 'not-its-name' }, name: uniq('c') }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('mount gives a NAS volume the junction path asked for, or /<name>; a LUN volume gets its LUNs online and path null', async () => {
    const named = (await rig.fixture.createVolume({ name: uniq('mnt'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    expect(await rig.conn.mountVolume!(rig.svm, named, { path: '/exports/x1' })).toEqual({ path: '/exports/x1' });
    expect((await rig.sim.get(`/api/storage/volumes/${named}?fields=nas.path`)).body.nas.path).toBe('/exports/x1');
    const plain = (await rig.fixture.createVolume({ name: uniq('mnt'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    const name = (await rig.conn.getVolume(rig.svm, plain)).name;
    expect(await rig.conn.mountVolume!(rig.svm, plain, {})).toEqual({ path: `/${name}` });
    const lun = (await rig.fixture.createVolume({ name: uniq('lunmnt'), type: 'lun', sizeBytes: 1 << 20 })).id;
    const [record] = (await rig.sim.get(`/api/storage/luns?location.volume.uuid=${lun}&fields=enabled`)).body.records;
    await rig.sim.patch(`/api/storage/luns/${record.uuid}`, { enabled: false });
    expect(await rig.conn.mountVolume!(rig.svm, lun, {})).toEqual({ path: null });
    expect((await rig.sim.get(`/api/storage/luns/${record.uuid}?fields=enabled`)).body.enabled).toBe(true);
    // Mounting again is harmless.
    expect(await rig.conn.mountVolume!(rig.svm, lun, {})).toEqual({ path: null });
  });

  it('restore-to-alternate copies a LUN snapshot into another volume’s LUN of another name; the target keeps its snapshots', async () => {
    const source = await withSnapshot('lun', A);
    const target = await withSnapshot('lun', B);
    const targetLun = (await rig.sim.get(`/api/storage/luns?location.volume.uuid=${target.v}`)).body.records[0].uuid;
    const restored = await rig.conn.restoreToAlternate!(rig.svm, source.v, {
      sourceSnapshotId: source.snap.id,
      targetVolumeId: target.v,
    });
    expect(restored.id).toBe(target.v);
    expect(await rig.fixture.read(target.v)).toEqual(A);
    expect(await rig.fixture.readSnapshot(target.v, target.snap.id)).toEqual(B);
    // Still the same LUN: hosts that map it keep their LUN.
    expect(
      (await rig.sim.get(`/api/storage/luns?location.volume.uuid=${target.v}`)).body.records.map(
        (l: { uuid: string }) => l.uuid,
      ),
    ).toEqual([targetLun]);
  });

  it('restore-to-alternate on NAS removes the target files the snapshot does not have', async () => {
    const source = await withSnapshot('filesystem', A);
    const target = (await rig.fixture.createVolume({ name: uniq('alt'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    await rig.sim.write(target, 'stray', Buffer.from('not in the snapshot'));
    await rig.conn.restoreToAlternate!(rig.svm, source.v, { sourceSnapshotId: source.snap.id, targetVolumeId: target });
    const names = (await rig.sim.get(`/api/storage/volumes/${target}/files/%2F`)).body.records.map(
      (f: { name: string }) => f.name,
    );
    expect(names).toEqual(['.snapshot', 'data']);
    expect(await rig.fixture.read(target)).toEqual(A);
  });

  it('restore-to-new on another aggregate makes an independent volume with the snapshot’s LUN content', async () => {
    const { v, snap } = await withSnapshot('lun', A);
    const pools = await rig.conn.listPools(rig.svm, { start: 0 });
    const sourcePool = (await rig.conn.getVolume(rig.svm, v)).poolId;
    const other = pools.find((p) => p.id !== sourcePool)!;
    const made = await rig.conn.restoreToNew!(rig.svm, v, {
      sourceSnapshotId: snap.id,
      targetVolumeName: uniq('new'),
      targetPoolIds: [other.id],
    });
    expect(made).toMatchObject({ poolId: other.id, volumeType: 'lun' });
    await rig.conn.deleteSnapshot(rig.svm, v, snap.id);
    expect(await rig.fixture.read(made.id)).toEqual(A);
    const lun = (await rig.sim.get(`/api/storage/luns?location.volume.uuid=${made.id}&fields=serial_number`)).body
      .records[0];
    const sourceLun = (await rig.sim.get(`/api/storage/luns?location.volume.uuid=${v}&fields=serial_number`)).body
      .records[0];
    expect(lun.serial_number).not.toBe(sourceLun.serial_number);
  });

  it('restore-to-new into a pool the SVM may not use answers NOT_FOUND and leaves nothing behind', async () => {
    const { v, snap } = await withSnapshot('filesystem');
    const name = uniq('nopool');
    await expect(
      rig.conn.restoreToNew!(rig.svm, v, {
        sourceSnapshotId: snap.id,
        targetVolumeName: name,
        targetPoolIds: ['no-such-aggregate'],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await rig.sim.get(`/api/storage/volumes?name=${name}`)).body.num_records).toBe(0);
  });
});
