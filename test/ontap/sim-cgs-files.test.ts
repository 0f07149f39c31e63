// Simulator semantics of consistency groups (membership, group snapshots by content, partial groups) and of files and
// file copy.
import { MiB, type TestSim, startSim, uniq } from './sim-helpers';

describe('ONTAP simulator: consistency groups and files', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const cgBase = '/api/application/consistency-groups';
  async function group(volumes: string[], name = uniq('cg')): Promise<string> {
    const res = await sim.done('POST', `${cgBase}?return_records=true`, {
      svm: { name: 'svm1' },
      name,
      volumes: volumes.map((uuid) => ({ uuid, provisioning_options: { action: 'add' } })),
    });
    return res.body.records[0].uuid;
  }

  describe('consistency groups', () => {
    it('a group snapshot snapshots every member at once; each member snapshot holds that member’s content', async () => {
      const [a, b] = [await sim.volume(uniq('cga')), await sim.volume(uniq('cgb'))];
      await sim.write(a, 'data', Buffer.from('member a'));
      await sim.write(b, 'data', Buffer.from('member b'));
      const cg = await group([a, b]);
      const snap = (await sim.done('POST', `${cgBase}/${cg}/snapshots?return_records=true`, { name: 'daily_1' })).body
        .records[0].uuid;
      await sim.write(a, 'data', Buffer.from('changed a'));
      const view = (await sim.get(`${cgBase}/${cg}/snapshots/${snap}`)).body;
      expect(view).toMatchObject({ name: 'daily_1', is_partial: false, consistency_group: { uuid: cg } });
      expect(view.snapshot_volumes.map((m: { volume: { uuid: string } }) => m.volume.uuid)).toEqual([a, b]);
      const memberA = view.snapshot_volumes[0].snapshot.uuid;
      expect((await sim.readSnapshot(a, memberA, 'data')).toString()).toBe('member a');
    });

    it('a volume belongs to one group only, and a member cannot be deleted while in its group', async () => {
      const v = await sim.volume(uniq('only'));
      await group([v]);
      const again = await sim.outcome('POST', cgBase, {
        svm: { name: 'svm1' },
        name: uniq('second'),
        volumes: [{ uuid: v }],
      });
      expect([again.status, again.code]).toEqual([409, '53411842']);
      expect((await sim.outcome('DELETE', `/api/storage/volumes/${v}`)).code).toBe('53411842');
    });

    it('PATCH adds and removes existing volumes; a group keeps at least one', async () => {
      const [a, b] = [await sim.volume(uniq('pa')), await sim.volume(uniq('pb'))];
      const cg = await group([a]);
      await sim.done('PATCH', `${cgBase}/${cg}`, { volumes: [{ uuid: b, provisioning_options: { action: 'add' } }] });
      expect((await sim.get(`${cgBase}/${cg}`)).body.volumes.map((v: { uuid: string }) => v.uuid)).toEqual([a, b]);
      await sim.done('PATCH', `${cgBase}/${cg}`, {
        volumes: [{ uuid: a, provisioning_options: { action: 'remove' } }],
      });
      expect((await sim.get(`${cgBase}/${cg}`)).body.volumes.map((v: { uuid: string }) => v.uuid)).toEqual([b]);
      expect(
        (
          await sim.outcome('PATCH', `${cgBase}/${cg}`, {
            volumes: [{ uuid: b, provisioning_options: { action: 'remove' } }],
          })
        ).status,
      ).toBe(400);
    });

    it('a member snapshot deleted on its own leaves the group snapshot partial; the name clash answers 53411921', async () => {
      const [a, b] = [await sim.volume(uniq('partial_a')), await sim.volume(uniq('partial_b'))];
      const cg = await group([a, b]);
      const snap = (await sim.done('POST', `${cgBase}/${cg}/snapshots?return_records=true`, { name: 'hourly_1' })).body
        .records[0].uuid;
      expect((await sim.outcome('POST', `${cgBase}/${cg}/snapshots`, { name: 'hourly_1' })).code).toBe('53411921');
      const member = (await sim.get(`/api/storage/volumes/${b}/snapshots?name=hourly_1`)).body.records[0].uuid;
      await sim.done('DELETE', `/api/storage/volumes/${b}/snapshots/${member}`);
      expect((await sim.get(`${cgBase}/${cg}/snapshots/${snap}`)).body).toMatchObject({
        is_partial: true,
        missing_volumes: [{ uuid: b }],
      });
      await sim.done('DELETE', `${cgBase}/${cg}/snapshots/${snap}`);
      expect((await sim.get(`/api/storage/volumes/${a}/snapshots?name=hourly_1`)).body.num_records).toBe(0);
    });
  });

  describe('files and file copy', () => {
    it('lists a volume’s files and LUNs, its snapshots as .snapshot directories, and a snapshot’s files', async () => {
      const v = await sim.volume(uniq('files'));
      await sim.write(v, 'data', Buffer.from('hello'));
      await sim.lun(v, 'disk0', MiB);
      await sim.snapshot(v, 'snap1');
      const root = (await sim.get(`/api/storage/volumes/${v}/files/%2F`)).body.records;
      expect(root.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
        ['.snapshot', 'directory'],
        ['data', 'file'],
        ['disk0', 'lun'],
      ]);
      expect(
        (await sim.get(`/api/storage/volumes/${v}/files/.snapshot`)).body.records.map((f: { name: string }) => f.name),
      ).toEqual(['snap1']);
      const inSnap = (await sim.get(`/api/storage/volumes/${v}/files/.snapshot%2Fsnap1`)).body.records;
      expect(inSnap.map((f: { path: string; size: number }) => [f.path, f.size])).toEqual([
        ['.snapshot/snap1/data', 5],
        ['.snapshot/snap1/disk0', 0],
      ]);
    });

    it('copies a file from a snapshot into another volume, independent of the source', async () => {
      const [src, dst] = [await sim.volume(uniq('src')), await sim.volume(uniq('dst'))];
      await sim.write(src, 'data', Buffer.from('from the snapshot'));
      await sim.snapshot(src, 's');
      await sim.write(src, 'data', Buffer.from('later'));
      const copy = (overwrite: boolean) =>
        sim.outcome('POST', '/api/storage/file/copy', {
          overwrite_destination: overwrite,
          files_to_copy: [
            {
              source_path: { volume: { uuid: src }, path: '.snapshot/s/data' },
              destination_path: { volume: { uuid: dst }, path: 'data' },
            },
          ],
        });
      expect((await copy(false)).job.state).toBe('success');
      expect((await sim.read(dst, 'data')).toString()).toBe('from the snapshot');
      expect((await copy(false)).code).toBe('1');
      expect((await copy(true)).job.state).toBe('success');
    });

    it('a LUN copied to a new path becomes a new LUN; copied onto a LUN it replaces its content', async () => {
      const [src, dst] = [await sim.volume(uniq('lsrc')), await sim.volume(uniq('ldst'))];
      const lun = await sim.lun(src, 'disk', MiB);
      await sim.writeLun(lun, Buffer.from('boot sector'));
      const copy = (to: string) =>
        sim.done('POST', '/api/storage/file/copy', {
          overwrite_destination: true,
          files_to_copy: [
            {
              source_path: { volume: { uuid: src }, path: 'disk' },
              destination_path: { volume: { uuid: dst }, path: to },
            },
          ],
        });
      await copy('disk_copy');
      const made = (await sim.get(`/api/storage/luns?location.volume.uuid=${dst}&fields=serial_number`)).body.records;
      expect(made).toHaveLength(1);
      expect((await sim.readLun(made[0].uuid)).toString()).toBe('boot sector');
      await sim.writeLun(lun, Buffer.from('BOOT SECTOR'));
      await copy('disk_copy');
      expect((await sim.readLun(made[0].uuid)).toString()).toBe('BOOT SECTOR');
      expect((await sim.get(`/api/storage/luns?location.volume.uuid=${dst}`)).body.num_records).toBe(1);
    });

    it('a NAS file is deleted through the files API; a LUN file and snapshot content are refused', async () => {
      const v = await sim.volume(uniq('del'));
      await sim.write(v, 'data', Buffer.from('x'));
      await sim.lun(v, 'lun', MiB);
      await sim.snapshot(v, 's');
      expect((await sim.del(`/api/storage/volumes/${v}/files/lun`)).status).toBe(400);
      expect((await sim.del(`/api/storage/volumes/${v}/files/.snapshot%2Fs%2Fdata`)).status).toBe(400);
      expect((await sim.del(`/api/storage/volumes/${v}/files/data`)).status).toBe(200);
      expect((await sim.read(v, 'data')).length).toBe(0);
    });
  });
});
