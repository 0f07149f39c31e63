// Simulator SAN semantics: LUNs with serials and content, igroups (iSCSI, FC, nested), LUN maps and their numbers.
import { MiB, type TestSim, startSim, uniq } from './sim-helpers';

describe('ONTAP simulator: LUNs, igroups and LUN maps', () => {
  let sim: TestSim;
  let volume: string;
  beforeAll(async () => {
    sim = await startSim();
    volume = await sim.volume(uniq('san'), { size: 256 * MiB, space: { snapshot: { reserve_percent: 0 } } });
  });
  afterAll(() => sim.close());

  const igroup = async (body: object) => {
    const res = await sim.post('/api/protocols/san/igroups?return_records=true', {
      svm: { name: 'svm1' },
      os_type: 'linux',
      ...body,
    });
    if (res.status !== 201) throw new Error(`igroup: ${res.status} ${res.raw.toString()}`);
    return res.body.records[0].uuid as string;
  };
  const map = (lun: string, ig: string, extra: object = {}) =>
    sim.post('/api/protocols/san/lun-maps?return_records=true', { lun: { uuid: lun }, igroup: { uuid: ig }, ...extra });

  describe('LUNs', () => {
    it('a LUN is a file of its volume, named /vol/<volume>/<lun>, with a 12-character serial number', async () => {
      const lun = await sim.lun(volume, uniq('l'));
      const got = (await sim.get(`/api/storage/luns/${lun}?fields=*`)).body;
      expect(got).toMatchObject({
        name: expect.stringMatching(/^\/vol\/san_\d+_\d+\/l_/),
        location: { volume: { uuid: volume } },
        os_type: 'linux',
        space: { size: 8 * MiB },
        status: { state: 'online', mapped: false },
      });
      expect(got.serial_number).toMatch(/^[A-Za-z0-9+-]{12}$/);
      const files = (await sim.get(`/api/storage/volumes/${volume}/files/%2F`)).body.records;
      expect(files).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: got.location.logical_unit, type: 'lun' })]),
      );
    });

    it('can be named by its path, refuses a duplicate name, a missing os_type and a size above its volume', async () => {
      const name = uniq('bypath');
      const vname = (await sim.get(`/api/storage/volumes/${volume}`)).body.name;
      const made = await sim.post('/api/storage/luns', {
        svm: { name: 'svm1' },
        name: `/vol/${vname}/${name}`,
        os_type: 'vmware',
        space: { size: MiB },
      });
      expect([made.status, made.headers.location]).toEqual([201, expect.stringMatching(/^\/api\/storage\/luns\//)]);
      const again = await sim.post('/api/storage/luns', {
        svm: { name: 'svm1' },
        name: `/vol/${vname}/${name}`,
        os_type: 'vmware',
        space: { size: MiB },
      });
      expect([again.status, again.body.error.code]).toEqual([409, '1']);
      expect(
        (
          await sim.post('/api/storage/luns', {
            svm: { name: 'svm1' },
            name: `/vol/${vname}/${uniq('x')}`,
            space: { size: MiB },
          })
        ).body.error.code,
      ).toBe('262186');
      expect(
        (
          await sim.post('/api/storage/luns', {
            svm: { name: 'svm1' },
            name: `/vol/${vname}/${uniq('x')}`,
            os_type: 'linux',
            space: { size: 300 * MiB },
          })
        ).status,
      ).toBe(400);
    });

    it('holds content up to its size; a write past its end is refused', async () => {
      const lun = await sim.lun(volume, uniq('content'), MiB);
      const data = Buffer.from('sector zero'.padEnd(512, '.'));
      expect((await sim.writeLun(lun, data)).status).toBe(200);
      expect(await sim.readLun(lun)).toEqual(data);
      expect((await sim.writeLun(lun, Buffer.alloc(4096), MiB - 1024)).status).toBe(400);
    });

    it('goes offline and online again, and cannot be deleted while mapped unless asked to', async () => {
      const lun = await sim.lun(volume, uniq('onoff'));
      expect((await sim.patch(`/api/storage/luns/${lun}`, { enabled: false })).status).toBe(200);
      expect((await sim.get(`/api/storage/luns/${lun}?fields=status`)).body.status.state).toBe('offline');
      await sim.patch(`/api/storage/luns/${lun}`, { enabled: true });
      const ig = await igroup({
        name: uniq('ig'),
        protocol: 'iscsi',
        initiators: [{ name: `iqn.1994-05.com.redhat:${uniq('h')}` }],
      });
      expect((await map(lun, ig)).status).toBe(201);
      expect((await sim.del(`/api/storage/luns/${lun}`)).body.error.code).toBe('5374924');
      expect((await sim.del(`/api/storage/luns/${lun}?allow_delete_while_mapped=true`)).status).toBe(200);
      expect((await sim.get(`/api/protocols/san/lun-maps?lun.uuid=${lun}`)).body.num_records).toBe(0);
    });
  });

  describe('igroups', () => {
    it('take iSCSI names and FC WWPNs by protocol, keep WWPNs in colon form, and refuse the wrong kind', async () => {
      const fc = await igroup({ name: uniq('fc'), protocol: 'fcp', initiators: [{ name: '10000000C9123456' }] });
      expect((await sim.get(`/api/protocols/san/igroups/${fc}?fields=initiators`)).body.initiators).toEqual([
        { name: '10:00:00:00:c9:12:34:56' },
      ]);
      const wrong = await sim.post('/api/protocols/san/igroups', {
        svm: { name: 'svm1' },
        name: uniq('x'),
        os_type: 'linux',
        protocol: 'iscsi',
        initiators: [{ name: '10:00:00:00:c9:12:34:56' }],
      });
      expect(wrong.status).toBe(400);
      const junk = await sim.post('/api/protocols/san/igroups', {
        svm: { name: 'svm1' },
        name: uniq('x'),
        os_type: 'linux',
        initiators: [{ name: 'not-an-initiator' }],
      });
      expect([junk.status, junk.body.error.code]).toEqual([400, '262197']);
    });

    it('a name already used in the SVM answers 409 with code "1"', async () => {
      const name = uniq('same');
      await igroup({ name });
      const res = await sim.post('/api/protocols/san/igroups', { svm: { name: 'svm1' }, name, os_type: 'linux' });
      expect([res.status, res.body.error.code]).toEqual([409, '1']);
    });

    it('initiators are added and removed through the igroup initiators collection', async () => {
      const ig = await igroup({ name: uniq('grow'), protocol: 'iscsi' });
      const iqn = `iqn.1994-05.com.redhat:${uniq('n')}`;
      expect((await sim.post(`/api/protocols/san/igroups/${ig}/initiators`, { name: iqn })).status).toBe(201);
      expect((await sim.get(`/api/protocols/san/igroups/${ig}?fields=initiators`)).body.initiators).toEqual([
        { name: iqn },
      ]);
      expect((await sim.del(`/api/protocols/san/igroups/${ig}/initiators/${iqn}`)).status).toBe(200);
      expect((await sim.del(`/api/protocols/san/igroups/${ig}/initiators/${iqn}`)).status).toBe(404);
    });
  });

  describe('LUN maps', () => {
    it('number LUNs from 0 per igroup, refuse a second map of the same pair (5374922) and a number in use (5374923)', async () => {
      const ig = await igroup({
        name: uniq('host'),
        protocol: 'iscsi',
        initiators: [{ name: `iqn.1994-05.com.redhat:${uniq('m')}` }],
      });
      const [l1, l2, l3] = [
        await sim.lun(volume, uniq('m1')),
        await sim.lun(volume, uniq('m2')),
        await sim.lun(volume, uniq('m3')),
      ];
      expect((await map(l1, ig)).body.records[0].logical_unit_number).toBe(0);
      expect((await map(l2, ig)).body.records[0].logical_unit_number).toBe(1);
      const twice = await map(l1, ig);
      expect([twice.status, twice.body.error.code]).toEqual([409, '5374922']);
      const taken = await map(l3, ig, { logical_unit_number: 1 });
      expect([taken.status, taken.body.error.code]).toEqual([409, '5374923']);
      expect((await sim.del(`/api/protocols/san/lun-maps/${l1}/${ig}`)).status).toBe(200);
      expect((await map(l3, ig)).body.records[0].logical_unit_number).toBe(0);
      expect((await sim.get(`/api/storage/luns/${l3}?fields=lun_maps,status`)).body).toMatchObject({
        status: { mapped: true },
        lun_maps: [{ logical_unit_number: 0 }],
      });
    });

    it('a parent igroup reaches its children: numbers stay unique across what a child sees', async () => {
      const child = await igroup({
        name: uniq('child'),
        protocol: 'iscsi',
        initiators: [{ name: `iqn.1994-05.com.redhat:${uniq('c')}` }],
      });
      const parent = await igroup({ name: uniq('parent'), protocol: 'iscsi', igroups: [{ uuid: child }] });
      const [own, shared] = [await sim.lun(volume, uniq('own')), await sim.lun(volume, uniq('shared'))];
      expect((await map(own, child)).body.records[0].logical_unit_number).toBe(0);
      expect((await map(shared, parent)).body.records[0].logical_unit_number).toBe(1);
      const view = (await sim.get(`/api/protocols/san/igroups/${child}?fields=parent_igroups`)).body;
      expect(view.parent_igroups).toEqual([expect.objectContaining({ uuid: parent })]);
      expect((await sim.del(`/api/protocols/san/igroups/${child}`)).status).toBe(400);
      const mixed = await sim.post('/api/protocols/san/igroups', {
        svm: { name: 'svm1' },
        name: uniq('both'),
        os_type: 'linux',
        initiators: [{ name: `iqn.1994-05.com.redhat:${uniq('x')}` }],
        igroups: [{ uuid: child }],
      });
      expect(mixed.status).toBe(400);
    });
  });
});
