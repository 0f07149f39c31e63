import { POOL_ID } from '../../plugins/element/mapper';
import { type Adapter, cdmName, startAdapter } from './adapter-helpers';
import { GiB, MiB, fill, until } from './sim-helpers';

const A = fill(30_000, 'A');
const B = fill(70_000, 'B');

describe('Element adapter: the cluster, its volumes and copies, through the CDM contract', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await startAdapter({ capacityBytes: 50 * GiB });
  });
  afterAll(() => a.close());

  /** A volume made the way the adapter names volumes (the CDM name kept in its attributes). */
  async function volume(size = 8 * MiB, content?: Buffer) {
    const name = cdmName('vol');
    const id = await a.sim.volume(name.replace(/_/g, '-'), size, content);
    const attributes = { cdm: { name } };
    await a.sim.ok('ModifyVolume', { volumeID: id, attributes });
    return { id: String(id), name };
  }
  const snap = async (volumeId: string) => (await a.conn.createSnapshot('0', volumeId, { name: cdmName('snap') })).id;
  const same = (x: Buffer, y: Buffer) => expect(x.equals(y)).toBe(true);

  it('the cluster is server "0", its storage id the cluster uuid, its version the Element version', async () => {
    const info = (await a.sim.ok('GetClusterInfo')).clusterInfo;
    expect(await a.conn.storage()).toMatchObject({
      id: info.uuid,
      name: info.name,
      vendor: 'NetApp',
      version: '12.3.0.958',
      serverIds: ['0'],
      ipAddress: '127.0.0.1',
    });
    expect(await a.conn.getServer('0')).toMatchObject({
      id: '0',
      config: { isIscsiServiceEnabled: true, isNfsServiceEnabled: false },
    });
    await expect(a.conn.getServer('1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('system and pool space are logical: one copy of the data, although the cluster stores two', async () => {
    const before = await a.conn.getSystem('0');
    expect(before.capacityInBytes).toBe(50 * GiB);
    const free = (await a.conn.getPool('0', POOL_ID)).freeSpace;
    const v = await volume(64 * MiB);
    await a.sim.write(Number(v.id), fill(4 * MiB, 'x'));
    const after = await a.conn.getSystem('0');
    expect(after.totalSizeInBytes - before.totalSizeInBytes).toBe(4 * MiB);
    expect(free - (await a.conn.getPool('0', POOL_ID)).freeSpace).toBe(4 * MiB);
    expect(after).toMatchObject({ parity: 'doubleHelix', model: 'NetApp Element', systemSizeInBytes: 0 });
    await expect(a.conn.getPool('0', 'another')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a volume shows the CDM name it was given, though Element itself refuses underscores', async () => {
    const v = await volume();
    const seen = await a.conn.getVolume('0', v.id);
    expect(seen).toMatchObject({
      id: v.id,
      name: v.name,
      volumeType: 'lun',
      poolId: POOL_ID,
      stats: { size: 8 * MiB, usedSize: 0 },
      supports: { split: 'NOT_NEEDED', revert: true },
    });
    const element = (await a.sim.ok('ListVolumes', { volumeIDs: [Number(v.id)] })).volumes[0];
    expect(element.name).toBe(v.name.replace(/_/g, '-'));
  });

  it('pages the volume list the way the array pages it, by start id, without gaps or overlaps', async () => {
    for (let i = 0; i < 5; i++) await volume(MiB);
    const all = (await a.conn.listVolumes('0', { start: 0 })).map((v) => v.id);
    const pages = [];
    for (let start = 0; start < all.length; start += 2)
      pages.push(...(await a.conn.listVolumes('0', { start, limit: 2 })).map((v) => v.id));
    expect(pages).toEqual(all);
    expect(await a.conn.listVolumes('0', { start: all.length, limit: 3 })).toEqual([]);
  });

  it('ids that are not Element ids are simply not found', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '../../x'])
      await expect(a.conn.getVolume('0', id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('mount makes a volume read-write and answers path null; a replication target is refused, an unknown id 404', async () => {
    for (const access of ['readOnly', 'locked', 'readWrite']) {
      const v = await volume();
      await a.sim.ok('ModifyVolume', { volumeID: Number(v.id), access });
      expect(await a.conn.mountVolume!('0', v.id, {})).toEqual({ path: null });
      expect((await a.sim.ok('ListVolumes', { volumeIDs: [Number(v.id)] })).volumes[0].access).toBe('readWrite');
    }
    const target = await volume();
    await a.sim.ok('ModifyVolume', { volumeID: Number(target.id), access: 'replicationTarget' });
    await expect(a.conn.mountVolume!('0', target.id, {})).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await a.sim.ok('ListVolumes', { volumeIDs: [Number(target.id)] })).volumes[0].access).toBe(
      'replicationTarget',
    );
    await expect(a.conn.mountVolume!('0', '987654', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('delete purges the volume: CDM never sees it again and the cluster gets its space back', async () => {
    const v = await volume(32 * MiB);
    const provisioned = async () => (await a.sim.ok('GetClusterCapacity')).clusterCapacity.provisionedSpace;
    const before = await provisioned();
    await a.conn.deleteVolume('0', v.id);
    expect(before - (await provisioned())).toBe(32 * MiB);
    expect((await a.sim.ok('ListDeletedVolumes')).volumes).toEqual([]);
    await expect(a.conn.deleteVolume('0', v.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('without purge a deleted volume is held by the array, but gone for CDM', async () => {
    const keeper = a.connectWith({ purgeOnDelete: false });
    const v = await volume();
    await keeper.deleteVolume('0', v.id);
    expect(
      (await a.sim.ok('ListDeletedVolumes')).volumes.map((x: { volumeID: number }) => String(x.volumeID)),
    ).toContain(v.id);
    await expect(keeper.getVolume('0', v.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("a LUN is its volume: NAA id and iSCSI target are the volume's own", async () => {
    const v = await volume();
    const element = (await a.sim.ok('ListVolumes', { volumeIDs: [Number(v.id)] })).volumes[0];
    expect(await a.conn.getLun!('0', v.id)).toEqual({
      id: v.id,
      name: v.name,
      volumeId: v.id,
      naaId: `naa.${element.scsiNAADeviceID}`,
      serialNumber: element.scsiEUIDeviceID,
      privateIscsiTarget: element.iqn,
      volumeType: 'lun',
    });
  });

  it('a clone depends on its snapshot while it copies (split ANY_TIME), splitstatus follows the copy, then the snapshot is free', async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 1500 });
    const v = await volume(8 * MiB, A);
    const s = await snap(v.id);
    const clone = await a.conn.cloneVolume!('0', v.id, { snapshot: { id: s }, name: cdmName('clone') });
    expect(clone.supports.split).toBe('ANY_TIME');
    same(await a.sim.read(Number(clone.id)), A);
    await expect(a.conn.deleteSnapshot('0', v.id, s)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(a.conn.deleteVolume('0', v.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const first = await a.conn.splitVolume!('0', clone.id);
    expect(first.complete).toBe(false);
    const done = await until(async () => {
      const st = await a.conn.splitStatus!('0', clone.id);
      return st.complete ? st : undefined;
    });
    expect(done).toEqual({ percentageComplete: 100, complete: true });
    expect((await a.conn.getVolume('0', clone.id)).supports.split).toBe('NOT_NEEDED');
    await a.conn.deleteSnapshot('0', v.id, s);
    same(await a.sim.read(Number(clone.id)), A);
  });

  it('an instantly split clone is answered once its copy is complete, and keeps the CDM name', async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 400 });
    const v = await volume(8 * MiB, A);
    const s = await snap(v.id);
    const name = cdmName('instant');
    const clone = await a.conn.cloneVolume!('0', v.id, { snapshot: { id: s }, name, instantSplit: true });
    expect(clone).toMatchObject({ name, supports: { split: 'NOT_NEEDED' } });
    await a.conn.deleteSnapshot('0', v.id, s);
    await expect(a.conn.cloneVolume!('0', v.id, { snapshot: { name: 'nope' }, name })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("a clone does not inherit its source's consistency group, as Element's copied attributes would make it", async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 0 });
    const v = await volume(8 * MiB, A);
    await a.sim.ok('ModifyVolume', {
      volumeID: Number(v.id),
      attributes: { cdm: { name: v.name, consistencyGroup: { id: 'cg-x', name: 'x', created: 1 } }, owner: 'dba' },
    });
    const clone = await a.conn.cloneVolume!('0', v.id, { snapshot: { id: await snap(v.id) }, name: cdmName('nocg') });
    const attrs = (await a.sim.ok('ListVolumes', { volumeIDs: [Number(clone.id)] })).volumes[0].attributes;
    expect(attrs).toEqual({ owner: 'dba', cdm: { name: clone.name } });
    expect((await a.conn.getConsistencyGroup!('0', 'cg-x')).volumeIds).toEqual([v.id]);
  });

  it('a clone name in use is a CONFLICT, whatever Element would allow', async () => {
    const v = await volume(MiB);
    await expect(
      a.conn.cloneVolume!('0', v.id, { snapshot: { id: await snap(v.id) }, name: v.name }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('restore rolls back in place and keeps every snapshot', async () => {
    const v = await volume(8 * MiB, A);
    const older = await snap(v.id);
    await a.sim.write(Number(v.id), B);
    const newer = await snap(v.id);
    await a.conn.restoreVolume!('0', v.id, { snapshotId: older });
    same(await a.sim.read(Number(v.id)), A);
    expect((await a.conn.listSnapshots('0', v.id, { start: 0 })).map((s) => s.id)).toEqual([older, newer]);
  });

  it('restore to an alternate volume copies into a volume of the same size, and refuses another size', async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 300 });
    const v = await volume(8 * MiB, A);
    const s = await snap(v.id);
    const target = await volume(8 * MiB, B);
    const targetSnap = await snap(target.id);
    expect((await a.conn.restoreToAlternate!('0', v.id, { sourceSnapshotId: s, targetVolumeId: target.id })).id).toBe(
      target.id,
    );
    same(await a.sim.read(Number(target.id)), A);
    same(await a.sim.readSnapshot(Number(targetSnap)), B);
    const bigger = await volume(16 * MiB);
    await expect(
      a.conn.restoreToAlternate!('0', v.id, { sourceSnapshotId: s, targetVolumeId: bigger.id }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/same size/) });
  });

  it('restore to new answers an independent volume; an unknown pool leaves nothing behind', async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 300 });
    const v = await volume(8 * MiB, A);
    const s = await snap(v.id);
    const count = async () => (await a.sim.ok('ListActiveVolumes')).volumes.length;
    const before = await count();
    await expect(
      a.conn.restoreToNew!('0', v.id, {
        sourceSnapshotId: s,
        targetVolumeName: cdmName('lost'),
        targetPoolIds: ['elsewhere'],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await count()).toBe(before);
    const name = cdmName('restored');
    const fresh = await a.conn.restoreToNew!('0', v.id, {
      sourceSnapshotId: s,
      targetVolumeName: name,
      targetPoolIds: [POOL_ID],
    });
    expect(fresh).toMatchObject({ name, poolId: POOL_ID, supports: { split: 'NOT_NEEDED' } });
    await a.conn.deleteSnapshot('0', v.id, s);
    same(await a.sim.read(Number(fresh.id)), A);
  });

  it('a copy that outlasts the wait budget is BACKEND_TIMEOUT, and the new volume goes on copying', async () => {
    await a.sim.sim('POST', '/settings', { cloneMinMs: 5000 });
    const impatient = a.connectWith({ copyWaitMs: 200 });
    const v = await volume(8 * MiB, A);
    const s = await snap(v.id);
    const name = cdmName('slow');
    await expect(
      impatient.restoreToNew!('0', v.id, { sourceSnapshotId: s, targetVolumeName: name }),
    ).rejects.toMatchObject({ code: 'BACKEND_TIMEOUT' });
    const left = (await a.conn.listVolumes('0', { start: 0 })).find((x) => x.name === name);
    expect(left?.supports.split).toBe('ANY_TIME');
    await a.conn.deleteVolume('0', left!.id);
    await a.sim.sim('POST', '/settings', { cloneMinMs: 200 });
  });
});
