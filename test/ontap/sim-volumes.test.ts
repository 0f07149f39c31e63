// Simulator semantics of volumes, proven by content and space: FlexClone dependency and split, SnapRestore, delete
// rules, aggregates.
import { eventually } from './adapter-helpers';
import { GiB, MiB, type TestSim, startSim, uniq } from './sim-helpers';

const A = Buffer.from('version A of the data\n'.repeat(500));
const B = Buffer.from('version B, written later and longer\n'.repeat(700));

describe('ONTAP simulator: volumes, clones, split, restore and space', () => {
  let sim: TestSim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const vol = (uuid: string, fields = '*') =>
    sim.get(`/api/storage/volumes/${uuid}?fields=${fields}`).then((r) => r.body);
  const clone = async (parent: string, snapshot: string, name = uniq('clone')) => {
    const res = await sim.done('POST', '/api/storage/volumes?return_records=true', {
      name,
      svm: { name: 'svm1' },
      clone: { parent_volume: { uuid: parent }, parent_snapshot: { uuid: snapshot } },
    });
    return res.body.records[0].uuid as string;
  };

  describe('create', () => {
    it('refuses a volume below 20 MiB, a duplicate name in the SVM, and an rw volume on a DR destination SVM', async () => {
      const small = await sim.post('/api/storage/volumes?return_timeout=5', {
        name: uniq('small'),
        svm: { name: 'svm1' },
        size: 10 * MiB,
      });
      expect([small.status, small.body.error.code]).toEqual([400, '917535']);
      const name = uniq('dup');
      await sim.volume(name);
      const dup = await sim.post('/api/storage/volumes?return_timeout=5', {
        name,
        svm: { name: 'svm1' },
        size: 32 * MiB,
      });
      expect([dup.status, dup.body.error.code]).toEqual([409, '1']);
      const dr = await sim.post('/api/storage/volumes?return_timeout=5', {
        name: uniq('rw'),
        svm: { name: 'svm1_dr' },
        size: 32 * MiB,
        type: 'rw',
      });
      expect(dr.status).toBe(400);
      await sim.done('POST', '/api/storage/volumes', {
        name: uniq('dp'),
        svm: { name: 'svm1_dr' },
        size: 32 * MiB,
        guarantee: { type: 'none' },
      });
    });

    it('a space-guaranteed volume reserves its size in the aggregate; a thin one only what it holds', async () => {
      const free = async () => (await sim.aggregate('aggr2')).space.block_storage.available as number;
      const before = await free();
      await sim.volume(uniq('thick'), { aggregates: [{ name: 'aggr2' }], size: GiB, guarantee: { type: 'volume' } });
      expect(before - (await free())).toBe(GiB);
      const thin = await sim.volume(uniq('thin'), { aggregates: [{ name: 'aggr2' }], size: GiB });
      const mid = await free();
      await sim.write(thin, 'data', Buffer.alloc(2 * MiB, 7));
      expect(mid - (await free())).toBe(2 * MiB);
    });

    it('a guaranteed volume larger than the aggregate has left fails with code 917534', async () => {
      const res = await sim.post('/api/storage/volumes?return_timeout=5', {
        name: uniq('huge'),
        svm: { name: 'svm1' },
        aggregates: [{ name: 'aggr2' }],
        size: 500 * GiB,
        guarantee: { type: 'volume' },
      });
      expect([res.status, res.body.error.code]).toEqual([409, '917534']);
    });
  });

  describe('FlexClone', () => {
    it('a clone holds the snapshot content, shares its blocks, and diverges on write', async () => {
      const parent = await sim.volume(uniq('parent'));
      await sim.write(parent, 'data', A);
      const snap = await sim.snapshot(parent, 'base');
      await sim.write(parent, 'data', B);
      const aggrBefore = (await sim.aggregate()).space.block_storage.used;
      const c = await clone(parent, snap);
      expect((await sim.aggregate()).space.block_storage.used).toBe(aggrBefore);
      expect(await sim.read(c, 'data')).toEqual(A);
      expect(await vol(c, 'clone')).toMatchObject({
        clone: {
          is_flexclone: true,
          parent_volume: { uuid: parent },
          parent_snapshot: { uuid: snap, name: 'base' },
          split_initiated: false,
          split_complete_percent: 0,
        },
      });
      await sim.write(c, 'data', Buffer.from('only in the clone'));
      expect(await sim.read(parent, 'data')).toEqual(B);
      expect(await sim.readSnapshot(parent, snap, 'data')).toEqual(A);
    });

    it('without a named snapshot ONTAP takes one for the clone', async () => {
      const parent = await sim.volume(uniq('auto'));
      await sim.write(parent, 'data', A);
      const c = await sim.done('POST', '/api/storage/volumes?return_records=true', {
        name: uniq('autoclone'),
        svm: { name: 'svm1' },
        clone: { is_flexclone: true, parent_volume: { uuid: parent } },
      });
      const info = await vol(c.body.records[0].uuid, 'clone');
      expect(info.clone.parent_snapshot.name).toMatch(/^clone_autoclone_/);
      expect(await sim.read(c.body.records[0].uuid, 'data')).toEqual(A);
    });

    it('while a clone depends on it, the snapshot answers 1638555 and the parent cannot be deleted', async () => {
      const parent = await sim.volume(uniq('dep'));
      const snap = await sim.snapshot(parent, 'base');
      const c = await clone(parent, snap);
      expect((await sim.outcome('DELETE', `/api/storage/volumes/${parent}/snapshots/${snap}`)).code).toBe('1638555');
      expect((await sim.outcome('DELETE', `/api/storage/volumes/${parent}`)).code).toBe('917537');
      await sim.done('DELETE', `/api/storage/volumes/${c}`);
      await sim.done('DELETE', `/api/storage/volumes/${parent}/snapshots/${snap}`);
      await sim.done('DELETE', `/api/storage/volumes/${parent}`);
    });

    it('a split runs in the background with a growing percentage; no snapshot meanwhile; then the parent snapshot is free', async () => {
      await sim.settings({ splitMinMs: 3000 });
      try {
        const parent = await sim.volume(uniq('split'));
        await sim.write(parent, 'data', A);
        const snap = await sim.snapshot(parent, 'base');
        const c = await clone(parent, snap);
        await sim.done('PATCH', `/api/storage/volumes/${c}`, { clone: { split_initiated: true } });
        const during = (await vol(c, 'clone')).clone;
        expect(during).toMatchObject({ is_flexclone: true, split_initiated: true });
        expect(during.split_complete_percent).toBeLessThan(100);
        expect((await sim.outcome('POST', `/api/storage/volumes/${c}/snapshots`, { name: 'during' })).code).toBe(
          '917539',
        );
        await new Promise((r) => setTimeout(r, 800));
        const later = (await vol(c, 'clone')).clone.split_complete_percent;
        expect(later).toBeGreaterThan(during.split_complete_percent);
        await eventually(async () => ((await vol(c, 'clone')).clone.is_flexclone === false ? true : undefined));
        expect((await vol(c, 'clone')).clone).toEqual({ is_flexclone: false });
        await sim.done('DELETE', `/api/storage/volumes/${parent}/snapshots/${snap}`);
        expect(await sim.read(c, 'data')).toEqual(A);
      } finally {
        await sim.settings({ splitMinMs: 300 });
      }
    });

    it('a split of a volume that is not a clone answers 917538; it cannot be undone', async () => {
      const v = await sim.volume(uniq('plain'));
      expect((await sim.outcome('PATCH', `/api/storage/volumes/${v}`, { clone: { split_initiated: true } })).code).toBe(
        '917538',
      );
      expect((await sim.patch(`/api/storage/volumes/${v}`, { clone: { split_initiated: false } })).status).toBe(400);
    });
  });

  describe('SnapRestore (restore_to.snapshot)', () => {
    it('brings back an older snapshot and keeps every snapshot, newer ones too', async () => {
      const v = await sim.volume(uniq('restore'));
      await sim.write(v, 'data', A);
      const older = await sim.snapshot(v, 'older');
      await sim.write(v, 'data', B);
      const newer = await sim.snapshot(v, 'newer');
      await sim.write(v, 'data', Buffer.from('latest'));
      await sim.done('PATCH', `/api/storage/volumes/${v}`, { restore_to: { snapshot: { name: 'older' } } });
      expect(await sim.read(v, 'data')).toEqual(A);
      const names = (await sim.get(`/api/storage/volumes/${v}/snapshots`)).body.records.map(
        (s: { uuid: string }) => s.uuid,
      );
      expect(names).toEqual([older, newer]);
      expect(await sim.readSnapshot(v, newer, 'data')).toEqual(B);
    });

    it('restores the LUN set too: a LUN made since goes, one deleted since comes back with its serial', async () => {
      const v = await sim.volume(uniq('lunrestore'));
      const kept = await sim.lun(v, 'kept');
      const gone = await sim.lun(v, 'dropped');
      const serial = (await sim.get(`/api/storage/luns/${gone}?fields=serial_number`)).body.serial_number;
      await sim.writeLun(kept, A);
      await sim.snapshot(v, 'two_luns');
      await sim.writeLun(kept, B);
      expect((await sim.del(`/api/storage/luns/${gone}`)).status).toBe(200);
      const extra = await sim.lun(v, 'extra');
      await sim.done('PATCH', `/api/storage/volumes/${v}`, { restore_to: { snapshot: { name: 'two_luns' } } });
      expect(await sim.readLun(kept)).toEqual(A);
      expect((await sim.get(`/api/storage/luns/${gone}?fields=serial_number`)).body.serial_number).toBe(serial);
      expect((await sim.get(`/api/storage/luns/${extra}`)).status).toBe(404);
    });

    it('a snapshot of another volume answers 404 and changes nothing', async () => {
      const a = await sim.volume(uniq('ra'));
      const b = await sim.volume(uniq('rb'));
      await sim.write(a, 'data', A);
      const snapB = await sim.snapshot(b, 'b');
      const res = await sim.patch(`/api/storage/volumes/${a}`, { restore_to: { snapshot: { uuid: snapB } } });
      expect([res.status, res.body.error.code]).toEqual([404, '4']);
      expect(await sim.read(a, 'data')).toEqual(A);
    });
  });

  describe('space', () => {
    it('a snapshot pins overwritten blocks: the volume reports them as snapshot space until the snapshot goes', async () => {
      const v = await sim.volume(uniq('pin'));
      await sim.write(v, 'data', Buffer.alloc(4 * MiB, 1));
      const snap = await sim.snapshot(v, 'pin');
      const aggrBefore = (await sim.aggregate()).space.block_storage.available;
      await sim.write(v, 'data', Buffer.alloc(4 * MiB, 2));
      const space = (await vol(v, 'space')).space;
      expect([space.used, space.snapshot.used]).toEqual([8 * MiB, 4 * MiB]);
      expect(aggrBefore - (await sim.aggregate()).space.block_storage.available).toBe(4 * MiB);
      await sim.done('DELETE', `/api/storage/volumes/${v}/snapshots/${snap}`);
      expect((await vol(v, 'space')).space).toMatchObject({ used: 4 * MiB, snapshot: { used: 0 } });
    });

    it('a volume fills up to its size; one block more is refused with 917534', async () => {
      const v = await sim.volume(uniq('full'), { size: 20 * MiB, space: { snapshot: { reserve_percent: 0 } } });
      expect((await sim.write(v, 'data', Buffer.alloc(12 * MiB, 3))).status).toBe(200);
      expect((await sim.write(v, 'data', Buffer.alloc(8 * MiB, 3), 12 * MiB)).status).toBe(200);
      const over = await sim.write(v, 'data', Buffer.alloc(4096, 4), 20 * MiB);
      expect([over.status, over.body.error.code]).toEqual([409, '917534']);
      expect((await vol(v, 'space')).space.available).toBe(0);
    });

    it('delete frees what only the volume held', async () => {
      const free = async () => (await sim.aggregate()).space.block_storage.available as number;
      const v = await sim.volume(uniq('free'));
      await sim.write(v, 'data', Buffer.alloc(3 * MiB, 5));
      await sim.snapshot(v, 's');
      const before = await free();
      await sim.done('DELETE', `/api/storage/volumes/${v}`);
      expect((await free()) - before).toBe(3 * MiB);
    });
  });
});
