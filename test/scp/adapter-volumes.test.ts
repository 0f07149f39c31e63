// The SCP adapter's volumes, snapshots, restores, mount, hosts, pools and networks against the simulator: CDM's names
// kept beside the service's own, volumes made from snapshots proven by content, hosts from access rules.
import { MemoryNameStore } from '../../src/coordination/names';
import type { ArrayConnection } from '../../src/backend';
import { CREDS, type Rig, driver, rig } from './adapter-helpers';
import { ok, sim, volume } from './sim-helpers';

describe('SCP adapter: volumes, snapshots and what CDM names them', () => {
  let r: Rig;
  beforeAll(async () => (r = await rig()));
  afterAll(() => r.close());

  const raw = <T>(path: string) => ok<T>(r.west, path);

  it('a clone keeps the CDM name, while the service names the volume its own way', async () => {
    const vid = await volume(r.west, 'name_src');
    await sim(r.west, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('cloned content'));
    const snap = await r.conn.createSnapshot('0', vid, { name: 'before-upgrade' });
    expect(snap.name).toBe('before-upgrade');
    const clone = await r.conn.cloneVolume!('0', vid, { snapshot: { name: 'before-upgrade' }, name: 'vol1-clone' });
    expect(clone).toMatchObject({ name: 'vol1-clone', poolId: 'HDD', volumeType: 'filesystem' });
    expect(clone.supports.split).toBe('NOT_NEEDED');
    expect((await raw<{ name: string }>(`/v1/volumes/${clone.id}`)).name).toMatch(/^vol1_clone[a-z0-9]{6}$/);
    expect((await sim(r.west, 'GET', `/sim/volume/${clone.id}/data`)).toString()).toBe('cloned content');
    // The service named the snapshot itself.
    const scpSnap = (await raw<{ snapshots: { id: string; name: string }[] }>(`/v1/snapshots?volume_id=${vid}`))
      .snapshots;
    expect(scpSnap.map((s) => [s.id, s.name])).toEqual([
      [snap.id, expect.stringMatching(/^name_src[a-z0-9]{6}\.\d{4}-/)],
    ]);
  });

  it('names are shared by every instance with the same store, and an object CDM never named shows the service’s name', async () => {
    const names = new MemoryNameStore();
    const [a, b] = [driver({ names }), driver({ names })];
    const connect = async (d: ReturnType<typeof driver>): Promise<ArrayConnection> =>
      d.connect(r.target, CREDS, await d.login(r.target, CREDS));
    const [ca, cb] = [await connect(a), await connect(b)];
    const vid = await volume(r.west, 'shared_src');
    const made = await ca.createSnapshot('0', vid, { name: 'nightly 2026-12-07' });
    expect((await cb.getSnapshot('0', vid, made.id)).name).toBe('nightly 2026-12-07');
    expect((await cb.getVolume('0', vid)).name).toMatch(/^shared_src[a-z0-9]{6}$/);
    await Promise.all([a.close(), b.close()]);
  });

  it('a CDM name already taken answers CONFLICT, and a snapshot name already taken on the volume too', async () => {
    const vid = await volume(r.west, 'taken_src');
    const snap = await r.conn.createSnapshot('0', vid, { name: 's1' });
    await expect(r.conn.createSnapshot('0', vid, { name: 's1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await r.conn.cloneVolume!('0', vid, { snapshot: { id: snap.id }, name: 'taken name' });
    await expect(
      r.conn.cloneVolume!('0', vid, { snapshot: { id: snap.id }, name: 'taken name' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('restore brings the snapshot content back and keeps newer snapshots; restore-to-new keeps the disk type', async () => {
    const vid = await volume(r.west, 'restore_src', { type_name: 'SSD' });
    await sim(r.west, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('AAAA'));
    const older = await r.conn.createSnapshot('0', vid, { name: 'older' });
    await sim(r.west, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('BBBB'));
    await r.conn.createSnapshot('0', vid, { name: 'newer' });
    const back = await r.conn.restoreVolume!('0', vid, { snapshotId: older.id });
    expect(back.id).toBe(vid);
    expect((await sim(r.west, 'GET', `/sim/volume/${vid}/data`)).toString()).toBe('AAAA');
    expect((await r.conn.listSnapshots('0', vid, { start: 0 })).map((s) => s.name)).toEqual(['older', 'newer']);
    await expect(
      r.conn.restoreToNew!('0', vid, {
        sourceSnapshotId: older.id,
        targetVolumeName: 'in-hdd',
        targetPoolIds: ['HDD'],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: [{ path: 'targetPoolIds' }] });
    const made = await r.conn.restoreToNew!('0', vid, {
      sourceSnapshotId: older.id,
      targetVolumeName: 'restored copy',
      targetPoolIds: ['SSD'],
    });
    expect(made).toMatchObject({ name: 'restored copy', poolId: 'SSD' });
    expect((await sim(r.west, 'GET', `/sim/volume/${made.id}/data`)).toString()).toBe('AAAA');
  });

  it('mount answers the export path of the volume, whatever path is asked for', async () => {
    const vid = await volume(r.west, 'mount_nfs');
    const { name } = await raw<{ name: string }>(`/v1/volumes/${vid}`);
    expect(await r.conn.mountVolume!('0', vid, { path: '/wanted' })).toEqual({ path: `/${name}` });
    const cifs = await volume(r.west, 'mount_cifs', { protocol: 'CIFS', cifs_password: 'secret-pass-1' });
    const cifsName = (await raw<{ name: string }>(`/v1/volumes/${cifs}`)).name;
    expect(await r.conn.mountVolume!('0', cifs, {})).toEqual({ path: `/${cifsName}` });
  });

  it('a volume made from a CIFS volume’s snapshot needs a password the contract cannot carry: CONFLICT', async () => {
    const cifs = await volume(r.west, 'cifs_src', { protocol: 'CIFS', cifs_password: 'secret-pass-1' });
    const snap = await r.conn.createSnapshot('0', cifs, { name: 'c1' });
    await expect(
      r.conn.cloneVolume!('0', cifs, { snapshot: { id: snap.id }, name: 'cifs-clone' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/CIFS password/) });
  });

  it('hosts are the objects access rules name; they read back, and an unknown one is NOT_FOUND', async () => {
    const vid = await volume(r.west, 'acl_vol');
    for (const [type, id] of [
      ['VM', 'vm-0101'],
      ['BM', 'bm-0202'],
    ])
      await ok(r.west, `/v1/volumes/${vid}/access-rules`, {
        method: 'PUT',
        body: { action: 'add', object_type: type, object_id: id },
      });
    const hosts = await r.conn.listHosts('0', { start: 0 });
    expect(hosts.map((h) => [h.id, h.name])).toEqual(
      expect.arrayContaining([
        ['vm-0101', 'VM vm-0101'],
        ['bm-0202', 'BM bm-0202'],
      ]),
    );
    expect(await r.conn.getHost('0', 'bm-0202')).toEqual(hosts.find((h) => h.id === 'bm-0202'));
    await expect(r.conn.getHost('0', 'vm-none')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pools are the three disk types; networks are the addresses volumes are mounted from', async () => {
    expect((await r.conn.listPools('0', { start: 0 })).map((p) => p.id)).toEqual(['HDD', 'SSD', 'HighPerformanceSSD']);
    await expect(r.conn.getPool('0', 'NVMe')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const vid = await volume(r.west, 'net_vol');
    const path = (await raw<{ path: string }>(`/v1/volumes/${vid}`)).path;
    const address = path.split(':')[0];
    expect(await r.conn.getNetwork('0', address)).toMatchObject({ ipAddress: address, config: { nfs: true } });
  });

  it('deleting a volume waits until it is gone', async () => {
    const vid = await volume(r.west, 'gone_vol');
    await r.conn.deleteVolume('0', vid);
    await expect(r.conn.getVolume('0', vid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
