// Seed section 8: creating, listing, reading, updating and deleting volumes, and their snapshots, shares and maps.
import { GiB, TestSim, expectError, startTestSim } from './sim-helpers';

const DETAIL_KEYS = [
  'host_ids',
  'id',
  'is_clone',
  'name',
  'parent_id',
  'parent_path',
  'pool_id',
  'pool_name',
  'serial',
  'share_id',
  'size_free',
  'size_total',
  'size_used',
  'snapshot_id',
  'time_created',
  'time_updated',
  'volume_type',
].sort();

describe('vSnap simulator: volumes', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim({ poolSizeBytes: 10 * GiB });
  });
  afterEach(() => sim.close());

  it('a lun is created with the seed detail fields: string ids and sizes, a v4 serial, nulls where it has none', async () => {
    const lun = await sim.must('POST', '/api/volume', {
      name: 'my_new_vol',
      volume_type: 'lun',
      pool_id: '1',
      size_total: '1073741824',
      size_block: '512',
    });
    expect(Object.keys(lun).sort()).toEqual(DETAIL_KEYS);
    expect(lun).toMatchObject({
      name: 'my_new_vol',
      volume_type: 'lun',
      is_clone: false,
      pool_id: '1',
      pool_name: 'pool1',
      size_total: '1073741824',
      size_free: '1073741824',
      size_used: '0',
      parent_id: null,
      parent_path: null,
      snapshot_id: null,
      share_id: null,
      host_ids: [],
    });
    expect(lun.id).toMatch(/^\d+$/);
    expect(lun.serial).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lun.time_created).toMatch(/^\d{10}$/);
    expect((await sim.ok(`/api/volume/${lun.id}`)).serial).toBe(lun.serial);
  });

  it('a filesystem without size_total has no limit: size_total is null and size_free is the pool free space', async () => {
    const fs = await sim.createVolume('myfs1');
    expect(fs).toMatchObject({
      volume_type: 'filesystem',
      size_total: null,
      size_used: '0',
      size_free: String(10 * GiB),
    });
    const capped = await sim.createVolume('capped', { size_total: 5 * GiB });
    expect(capped).toMatchObject({ size_total: String(5 * GiB), size_free: String(5 * GiB) });
  });

  it('a filebackedlun lives in its parent filesystem and has null sizes', async () => {
    const fs = await sim.createVolume('files');
    const fbl = await sim.must('POST', '/api/volume', {
      name: 'my_file_lun',
      volume_type: 'filebackedlun',
      parent_id: fs.id,
      parent_path: 'my_files/file1.img',
    });
    expect(fbl).toMatchObject({
      volume_type: 'filebackedlun',
      pool_id: '1',
      size_total: null,
      size_free: null,
      size_used: null,
      parent_id: fs.id,
      parent_path: 'my_files/file1.img',
    });
    expectError(
      await sim.post('/api/volume', {
        name: 'again',
        volume_type: 'filebackedlun',
        parent_id: fs.id,
        parent_path: 'my_files/file1.img',
      }),
      409,
      'ObjectExistsError',
    );
    expectError(
      await sim.post('/api/volume', {
        name: 'abs',
        volume_type: 'filebackedlun',
        parent_id: fs.id,
        parent_path: '/etc/passwd',
      }),
      400,
      'InvalidParameterError',
    );
    const lun = await sim.createLun('blk', GiB);
    expectError(
      await sim.post('/api/volume', {
        name: 'inlun',
        volume_type: 'filebackedlun',
        parent_id: lun.id,
        parent_path: 'x.img',
      }),
      400,
      'InvalidParameterError',
    );
    const busy = await sim.del(`/api/volume/${fs.id}`);
    expectError(busy, 409, 'ObjectInUseError');
  });

  it('bad create parameters answer 400 and an unknown pool 404', async () => {
    expectError(
      await sim.post('/api/volume', { name: 'l', volume_type: 'lun', pool_id: '1' }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post('/api/volume', { name: 'l', volume_type: 'lun', pool_id: '1', size_total: '1G' }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post('/api/volume', { name: 'l', volume_type: 'lun', pool_id: '1', size_total: GiB, size_block: 1000 }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post('/api/volume', { name: 'l', volume_type: 'tape', pool_id: '1' }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post('/api/volume', { name: 'a b', volume_type: 'filesystem', pool_id: '1' }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await sim.post('/api/volume', { volume_type: 'filesystem', pool_id: '1' }),
      400,
      'InvalidParameterError',
    );
    expectError(await sim.post('/api/volume', { name: 'l', volume_type: 'filesystem' }), 400, 'InvalidParameterError');
    expectError(
      await sim.post('/api/volume', { name: 'l', volume_type: 'filesystem', pool_id: '9' }),
      404,
      'NotFoundError',
    );
    expectError(await sim.post('/api/volume', { name: 'c', snapshot_id: '999' }), 404, 'NotFoundError');
  });

  it('a volume name is unique within its pool: a duplicate answers 409 ObjectExistsError', async () => {
    await sim.createVolume('dup');
    expectError(
      await sim.post('/api/volume', { name: 'dup', volume_type: 'lun', pool_id: '1', size_total: GiB }),
      409,
      'ObjectExistsError',
    );
  });

  it('the same volume name in another pool is fine, and ?name= then answers a list', async () => {
    await sim.must('POST', '/api/pool', { name: 'pool2', pool_type: 'raid0' });
    const a = await sim.createVolume('shared');
    const b = await sim.createVolume('shared', { pool_id: '2' });
    const found = await sim.ok('/api/volume?name=shared');
    expect(found.total).toBe(2);
    expect(found.volumes.map((v: { id: string }) => v.id)).toEqual([a.id, b.id]);
  });

  it('a volume is found by /volume/<id>, ?id= and ?name=; the list shows the summary fields', async () => {
    const fs = await sim.createVolume('findme');
    const detail = await sim.ok(`/api/volume/${fs.id}`);
    expect(await sim.ok(`/api/volume?id=${fs.id}`)).toEqual(detail);
    expect(await sim.ok('/api/volume?name=findme')).toEqual(detail);
    const list = await sim.ok('/api/volume');
    expect(list.total).toBe(1);
    expect(Object.keys(list.volumes[0]).sort()).toEqual([
      'id',
      'is_clone',
      'name',
      'pool_id',
      'size_free',
      'size_total',
      'size_used',
      'time_created',
      'time_updated',
      'volume_type',
    ]);
    expectError(await sim.get('/api/volume/77'), 404, 'NotFoundError');
    expectError(await sim.get('/api/volume?id=77'), 404, 'NotFoundError');
    expectError(await sim.get('/api/volume?name=ghost'), 404, 'NotFoundError');
  });

  it('PUT renames a volume (409 on a taken name) and resizes a lun, which cannot shrink below its data', async () => {
    const lun = await sim.createLun('resizable', 1024 * 1024);
    await sim.createVolume('taken');
    expect((await sim.must('PUT', `/api/volume/${lun.id}`, { name: 'renamed' })).name).toBe('renamed');
    expectError(await sim.put(`/api/volume/${lun.id}`, { name: 'taken' }), 409, 'ObjectExistsError');
    const grown = await sim.must('PUT', `/api/volume/${lun.id}`, { size_total: String(2 * 1024 * 1024) });
    expect(grown).toMatchObject({ size_total: String(2 * 1024 * 1024), size_free: String(2 * 1024 * 1024) });
    await sim.write(lun.id, Buffer.alloc(100, 1), 1024 * 1024);
    expectError(await sim.put(`/api/volume/${lun.id}`, { size_total: 1024 * 1024 }), 400, 'InvalidParameterError');
    expect((await sim.must('PUT', `/api/volume/${lun.id}`, { size_total: 1024 * 1024 + 4096 })).size_total).toBe(
      String(1024 * 1024 + 4096),
    );
    expectError(await sim.put(`/api/volume/${lun.id}`, { size_total: null }), 400, 'InvalidParameterError');
  });

  it('a filesystem quota can be set and removed, but not below what the filesystem uses', async () => {
    const fs = await sim.createVolume('quota');
    await sim.write(fs.id, Buffer.alloc(8192, 7));
    expectError(await sim.put(`/api/volume/${fs.id}`, { size_total: 4096 }), 400, 'InvalidParameterError');
    expect((await sim.must('PUT', `/api/volume/${fs.id}`, { size_total: 65536 })).size_free).toBe(String(65536 - 8192));
    expect((await sim.must('PUT', `/api/volume/${fs.id}`, { size_total: null })).size_total).toBeNull();
  });

  it('deleting a volume removes its snapshots, its share and its host mappings', async () => {
    const fs = await sim.createVolume('doomed');
    await sim.snapshot(fs.id, 's1');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'smb' });
    const lun = await sim.createLun('doomed_lun', GiB);
    const host = await sim.must('POST', '/api/host', { name: 'h1' });
    await sim.must('POST', `/api/volume/${lun.id}/map`, { host_id: host.id });

    expect(await sim.must('DELETE', `/api/volume/${fs.id}`)).toEqual({});
    expect(await sim.must('DELETE', `/api/volume/${lun.id}`)).toEqual({});
    expectError(await sim.get(`/api/volume/${fs.id}`), 404, 'NotFoundError');
    expectError(await sim.get(`/api/share/${share.id}`), 404, 'NotFoundError');
    expect((await sim.ok('/api/snapshot')).total).toBe(0);
    expect((await sim.ok(`/api/host/${host.id}`)).mapped_luns).toEqual([]);
    expectError(await sim.del(`/api/volume/${fs.id}`), 404, 'NotFoundError');
  });

  it('ids are never reused after a delete', async () => {
    const first = await sim.createVolume('first');
    await sim.must('DELETE', `/api/volume/${first.id}`);
    const second = await sim.createVolume('second');
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
  });

  it('snapshots of a volume: named or generated names, unique per volume, listed with summary fields', async () => {
    const fs = await sim.createVolume('myvol1');
    const other = await sim.createVolume('myvol2');
    const named = await sim.snapshot(fs.id, 'ecx_1007_1234567890_myvol1');
    expect(named).toMatchObject({
      name: 'ecx_1007_1234567890_myvol1',
      parent_id: fs.id,
      parent_name: 'myvol1',
      pool_id: '1',
      pool_name: 'pool1',
      has_clones: false,
      size_used: '0',
    });
    expect(named.version_id).toMatch(/^\d+$/);
    const generated = await sim.snapshot(fs.id);
    expect(generated.name).not.toBe(named.name);
    expectError(await sim.post(`/api/volume/${fs.id}/snapshot`, { name: named.name }), 409, 'ObjectExistsError');
    await sim.snapshot(other.id, named.name); // the same name on another volume is fine
    const list = await sim.ok(`/api/volume/${fs.id}/snapshot`);
    expect(list.total).toBe(2);
    expect(list.snapshots[0]).toEqual({
      id: named.id,
      name: named.name,
      parent_id: fs.id,
      time_created: named.time_created,
      time_updated: named.time_updated,
    });
    expectError(await sim.get('/api/volume/404/snapshot'), 404, 'NotFoundError');
    expectError(await sim.post('/api/volume/404/snapshot', {}), 404, 'NotFoundError');
  });

  it('an NFS share is named /vsnap/<pool>/<volume> and shows on the volume; a second share answers 409', async () => {
    const fs = await sim.createVolume('vol1');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, {
      share_type: 'nfs',
      share_options: { read_only: false, allowed_hosts: ['172.20.0.0/16', '172.19.1.6'] },
    });
    expect(share).toMatchObject({
      name: '/vsnap/pool1/vol1',
      vol_id: fs.id,
      share_type: 'nfs',
      share_options: { read_only: false, allowed_hosts: ['172.20.0.0/16', '172.19.1.6'] },
    });
    expect((await sim.ok(`/api/volume/${fs.id}`)).share_id).toBe(share.id);
    expectError(await sim.post(`/api/volume/${fs.id}/share`, { share_type: 'smb' }), 409, 'ObjectInUseError');
  });

  it('an SMB share is named <pool>_<volume>; PUT and DELETE through the volume change and remove it', async () => {
    const fs = await sim.createVolume('fs2');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'smb' });
    expect(share).toMatchObject({ name: 'pool1_fs2', share_type: 'smb', share_options: {} });
    const nfs = await sim.must('PUT', `/api/volume/${fs.id}/share`, {
      share_type: 'nfs',
      share_options: { allowed_hosts: ['all'] },
    });
    expect(nfs).toMatchObject({
      id: share.id,
      name: '/vsnap/pool1/fs2',
      share_options: { read_only: false, allowed_hosts: ['all'] },
    });
    expect(await sim.must('DELETE', `/api/volume/${fs.id}/share`)).toEqual({});
    expect((await sim.ok(`/api/volume/${fs.id}`)).share_id).toBeNull();
    expect(await sim.must('DELETE', `/api/volume/${fs.id}/share`)).toEqual({}); // "if a share exists"
  });

  it('shares are for filesystems only, and share_type must be nfs or smb', async () => {
    const lun = await sim.createLun('nolun', GiB);
    expectError(await sim.post(`/api/volume/${lun.id}/share`, { share_type: 'nfs' }), 400, 'InvalidParameterError');
    const fs = await sim.createVolume('fs3');
    expectError(await sim.post(`/api/volume/${fs.id}/share`, { share_type: 'ftp' }), 400, 'InvalidParameterError');
    expectError(
      await sim.post(`/api/volume/${fs.id}/share`, { share_type: 'nfs', share_options: { read_only: 'no' } }),
      400,
      'InvalidParameterError',
    );
  });

  it('POST /api/volume/<id>/map maps a lun to a host; a filesystem cannot be mapped', async () => {
    const lun = await sim.createLun('maplun', GiB);
    const fs = await sim.createVolume('mapfs');
    const host = await sim.must('POST', '/api/host', { name: 'mh', iqns: ['iqn.1988-12.com.oracle:devoracle47'] });
    expect(await sim.must('POST', `/api/volume/${lun.id}/map`, { host_id: host.id })).toEqual({
      vol_id: lun.id,
      lun: '0',
    });
    expect((await sim.ok(`/api/volume/${lun.id}`)).host_ids).toEqual([host.id]);
    expectError(await sim.post(`/api/volume/${fs.id}/map`, { host_id: host.id }), 400, 'InvalidParameterError');
    expectError(await sim.post(`/api/volume/${lun.id}/map`, { host_id: '99' }), 404, 'NotFoundError');
    expectError(await sim.post(`/api/volume/${lun.id}/map`, {}), 400, 'InvalidParameterError');
  });

  it('an unknown volume action answers 400', async () => {
    const fs = await sim.createVolume('act');
    expectError(await sim.post(`/api/volume/${fs.id}`, { action: 'defrag' }), 400, 'InvalidParameterError');
  });
});
