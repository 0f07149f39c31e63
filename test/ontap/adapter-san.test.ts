// The ONTAP adapter's SAN and consistency groups over HTTP: LUN ids, hosts and host groups from igroups, maps, group
// snapshots.
import { type Rig, startRig } from './adapter-helpers';
import { uniq } from './sim-helpers';

describe('ONTAP adapter: LUNs, hosts, host groups and consistency groups', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  const lunOf = async (volumeId: string) =>
    (await rig.conn.listLuns!(rig.svm, { start: 0 })).find((l) => l.volumeId === volumeId)!;
  const newLun = async () =>
    lunOf((await rig.fixture.createVolume({ name: uniq('lun'), type: 'lun', sizeBytes: 4 << 20 })).id);
  const igroup = async (body: object) =>
    (
      await rig.sim.post('/api/protocols/san/igroups?return_records=true', {
        svm: { uuid: rig.svm },
        os_type: 'linux',
        ...body,
      })
    ).body.records[0].uuid as string;

  it('a LUN carries NetApp’s NAA id (OUI 00a098 and its serial in hex) and the SVM’s iSCSI target', async () => {
    const lun = await newLun();
    const raw = (await rig.sim.get(`/api/storage/luns/${lun.id}?fields=serial_number,name`)).body;
    expect(lun).toMatchObject({
      name: raw.name,
      serialNumber: raw.serial_number,
      naaId: `naa.600a0980${Buffer.from(raw.serial_number).toString('hex')}`,
      volumeType: 'lun',
    });
    expect(lun.privateIscsiTarget).toMatch(/^iqn\.1992-08\.com\.netapp:sn\.[0-9a-f]{32}:vs\.1$/);
  });

  it('online brings an offline LUN back', async () => {
    const lun = await newLun();
    await rig.sim.patch(`/api/storage/luns/${lun.id}`, { enabled: false });
    await rig.conn.onlineLun!(rig.svm, lun.id);
    expect((await rig.sim.get(`/api/storage/luns/${lun.id}?fields=status`)).body.status.state).toBe('online');
  });

  it('a host is an igroup: iSCSI hosts get an iscsi igroup, FC hosts an fcp one with their WWPNs', async () => {
    const iqn = `iqn.1994-05.com.redhat:${uniq('h')}`;
    const host = await rig.conn.createHost!(rig.svm, { name: uniq('host'), iqns: [iqn] });
    expect((await rig.sim.get(`/api/protocols/san/igroups/${host.id}?fields=protocol,os_type`)).body).toMatchObject({
      protocol: 'iscsi',
      os_type: 'linux',
    });
    const fc = await rig.conn.createHost!(rig.svm, { name: uniq('fc'), wwns: ['10000000C9ABCDEF'] });
    expect(fc).toMatchObject({
      wwns: ['10:00:00:00:c9:ab:cd:ef'],
      iqns: [],
      config: { fc: true, iscsi: false },
      serverGroupKeys: [rig.svm],
    });
  });

  it('a parent igroup is a host group of its children: not a host, mapped to all of them, seen with its id', async () => {
    const child = await igroup({
      name: uniq('node'),
      protocol: 'iscsi',
      initiators: [{ name: `iqn.1994-05.com.redhat:${uniq('n')}` }],
    });
    const group = await igroup({ name: uniq('cluster'), protocol: 'iscsi', igroups: [{ uuid: child }] });
    expect((await rig.conn.listHostGroups!(rig.svm, { start: 0 })).find((g) => g.id === group)).toMatchObject({
      hostIds: [child],
    });
    expect((await rig.conn.listHosts(rig.svm, { start: 0 })).map((h) => h.id)).not.toContain(group);
    await expect(rig.conn.getHost(rig.svm, group)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rig.conn.mapToHostGroup!(rig.svm, child, { volumeId: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const [own, shared] = [await newLun(), await newLun()];
    const mine = await rig.conn.mapToHost!(rig.svm, child, { lunId: own.id });
    const viaGroup = await rig.conn.mapToHostGroup!(rig.svm, group, { volumeId: shared.volumeId });
    expect(viaGroup).toEqual({ name: shared.name, volumeId: shared.volumeId, lunId: shared.id, lunNumber: 1 });
    const seen = await rig.conn.listHostLuns!(rig.svm, child, { start: 0 });
    expect(seen).toEqual([mine, { ...viaGroup, hostId: child, hostGroupId: group }]);
    expect(await rig.conn.listHostLuns!(rig.svm, child, { start: 1, limit: 1 })).toEqual([seen[1]]);
  });

  it('mapping by volume needs a volume with exactly one LUN; a LUN number already taken is CONFLICT', async () => {
    const host = await rig.conn.createHost!(rig.svm, {
      name: uniq('h'),
      iqns: [`iqn.1994-05.com.redhat:${uniq('m')}`],
    });
    const nas = (await rig.fixture.createVolume({ name: uniq('nas'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    await expect(rig.conn.mapToHost!(rig.svm, host.id, { volumeId: nas })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const lun = await newLun();
    const vname = (await rig.conn.getVolume(rig.svm, lun.volumeId)).name;
    await rig.sim.post('/api/storage/luns', {
      svm: { uuid: rig.svm },
      name: `/vol/${vname}/second`,
      os_type: 'linux',
      space: { size: 1 << 20 },
    });
    await expect(rig.conn.mapToHost!(rig.svm, host.id, { volumeId: lun.volumeId })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('lunId'),
    });
    await rig.conn.mapToHost!(rig.svm, host.id, { lunId: lun.id, lunNumber: 7 });
    const other = await newLun();
    await expect(rig.conn.mapToHost!(rig.svm, host.id, { lunId: other.id, lunNumber: 7 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(rig.conn.mapToHost!(rig.svm, host.id, { lunId: lun.id, lunNumber: 8 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('concurrent maps of one LUN to one host all answer the same mapping', async () => {
    const host = await rig.conn.createHost!(rig.svm, {
      name: uniq('race'),
      iqns: [`iqn.1994-05.com.redhat:${uniq('r')}`],
    });
    const lun = await newLun();
    const all = await Promise.all(
      Array.from({ length: 5 }, () => rig.conn.mapToHost!(rig.svm, host.id, { lunId: lun.id })),
    );
    expect(new Set(all.map((m) => m.lunNumber)).size).toBe(1);
    expect((await rig.sim.get(`/api/protocols/san/lun-maps?lun.uuid=${lun.id}`)).body.num_records).toBe(1);
  });

  describe('consistency groups', () => {
    async function group() {
      const vols = [];
      for (let i = 0; i < 2; i++)
        vols.push((await rig.fixture.createVolume({ name: uniq('cgv'), type: 'lun', sizeBytes: 4 << 20 })).id);
      return { cg: (await rig.fixture.createConsistencyGroup!(uniq('cg'), vols)).id, vols };
    }

    it('member snapshots name their group snapshot; one member’s snapshot can be deleted on its own', async () => {
      const { cg, vols } = await group();
      const snap = await rig.conn.cgTakeSnapshot!(rig.svm, cg, { prefix: 'nightly' });
      expect(snap.name).toMatch(/^nightly_\d{8}_\d{9}$/);
      const member = (await rig.conn.listSnapshots(rig.svm, vols[0], { start: 0 })).find(
        (s) => s.consistencyGroupSnapshotId === snap.id,
      )!;
      expect(await rig.conn.getSnapshot(rig.svm, vols[0], member.id)).toEqual(member);
      await rig.conn.deleteSnapshot(rig.svm, vols[0], member.id);
      expect(
        (await rig.sim.get(`/api/application/consistency-groups/${cg}/snapshots/${snap.id}`)).body.is_partial,
      ).toBe(true);
      expect(await rig.conn.listCgSnapshots!(rig.svm, cg, { start: 0 })).toEqual([snap]);
    });

    it('add-volume refuses incremental groups and a pool the volume is not on; adding twice is harmless', async () => {
      const { cg, vols } = await group();
      const extra = (await rig.fixture.createVolume({ name: uniq('extra'), type: 'filesystem', sizeBytes: 1 << 20 }))
        .id;
      await expect(rig.conn.cgAddVolume!(rig.svm, cg, { volumeId: extra, isIncremental: true })).rejects.toMatchObject({
        code: 'UNSUPPORTED',
      });
      await expect(rig.conn.cgAddVolume!(rig.svm, cg, { volumeId: extra, poolId: 'elsewhere' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect((await rig.conn.cgAddVolume!(rig.svm, cg, { volumeId: extra })).volumeIds).toEqual([...vols, extra]);
      expect((await rig.conn.cgAddVolume!(rig.svm, cg, { volumeId: extra })).volumeIds).toEqual([...vols, extra]);
      expect((await rig.conn.cgRemoveVolume!(rig.svm, cg, { volumeIds: [extra, 'not-a-member'] })).volumeIds).toEqual(
        vols,
      );
    });

    it('condense by age keeps what is young, and with no rule removes nothing', async () => {
      const { cg } = await group();
      const taken = [
        await rig.conn.cgTakeSnapshot!(rig.svm, cg, { prefix: 'h' }),
        await rig.conn.cgTakeSnapshot!(rig.svm, cg, { prefix: 'h' }),
      ];
      await rig.conn.cgCondense!(rig.svm, cg, {});
      await rig.conn.cgCondense!(rig.svm, cg, { ageInDays: 1, snapshotPrefixes: ['h'] });
      expect(await rig.conn.listCgSnapshots!(rig.svm, cg, { start: 0 })).toEqual(taken);
      await rig.conn.cgCondense!(rig.svm, cg, { ageInDays: 0, numberOfInstances: 1, snapshotPrefixes: ['h'] });
      expect(await rig.conn.listCgSnapshots!(rig.svm, cg, { start: 0 })).toEqual([taken[1]]);
    });
  });
});
