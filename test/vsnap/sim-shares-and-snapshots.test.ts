// Seed sections 9 and 11: the share and snapshot collections, read by id, by name, updated and deleted.
import { TestSim, expectError, startTestSim } from './sim-helpers';

describe('vSnap simulator: shares', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(() => sim.close());

  it('GET /api/share lists summaries; /share/<id> and ?id= show the options too', async () => {
    const fs1 = await sim.createVolume('vol1');
    const fs2 = await sim.createVolume('fs2');
    const nfs = await sim.must('POST', `/api/volume/${fs1.id}/share`, {
      share_type: 'nfs',
      share_options: { read_only: true, allowed_hosts: ['192.168.1.0/24'] },
    });
    await sim.must('POST', `/api/volume/${fs2.id}/share`, { share_type: 'smb' });
    const list = await sim.ok('/api/share');
    expect(list.total).toBe(2);
    expect(list.shares[1]).toEqual({
      id: list.shares[1].id,
      name: 'pool1_fs2',
      vol_id: fs2.id,
      share_type: 'smb',
      time_created: expect.any(String),
      time_updated: expect.any(String),
    });
    const detail = await sim.ok(`/api/share/${nfs.id}`);
    expect(detail).toMatchObject({
      id: nfs.id,
      name: '/vsnap/pool1/vol1',
      vol_id: fs1.id,
      share_type: 'nfs',
      share_options: { read_only: true, allowed_hosts: ['192.168.1.0/24'] },
    });
    expect(await sim.ok(`/api/share?id=${nfs.id}`)).toEqual(detail);
    expectError(await sim.get('/api/share/77'), 404, 'NotFoundError');
    expectError(await sim.get('/api/share?id=77'), 404, 'NotFoundError');
  });

  it('PUT /api/share/<id> takes back the whole detail body and applies the changed options', async () => {
    const fs = await sim.createVolume('vol1');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'nfs' });
    expect(share.share_options).toEqual({ read_only: false, allowed_hosts: [] });
    const body = { ...share, share_options: { read_only: false, allowed_hosts: ['172.20.0.0/16', '172.19.1.6'] } };
    const updated = await sim.must('PUT', `/api/share/${share.id}`, body);
    expect(updated).toMatchObject({
      id: share.id,
      name: '/vsnap/pool1/vol1',
      share_options: { allowed_hosts: ['172.20.0.0/16', '172.19.1.6'] },
    });
    expect((await sim.ok(`/api/share/${share.id}`)).share_options.allowed_hosts).toEqual([
      '172.20.0.0/16',
      '172.19.1.6',
    ]);
    expectError(await sim.put(`/api/share/${share.id}`, { share_type: 'afp' }), 400, 'InvalidParameterError');
  });

  it('a share name follows a renamed volume or pool', async () => {
    const fs = await sim.createVolume('before');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'nfs' });
    await sim.must('PUT', `/api/volume/${fs.id}`, { name: 'after' });
    await sim.must('PUT', '/api/pool/1', { name: 'tank' });
    expect((await sim.ok(`/api/share/${share.id}`)).name).toBe('/vsnap/tank/after');
  });

  it('DELETE /api/share/<id> unshares the volume; a second delete answers 404', async () => {
    const fs = await sim.createVolume('vol1');
    const share = await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'nfs' });
    expect(await sim.must('DELETE', `/api/share/${share.id}`)).toEqual({});
    expect((await sim.ok(`/api/volume/${fs.id}`)).share_id).toBeNull();
    expectError(await sim.del(`/api/share/${share.id}`), 404, 'NotFoundError');
    expect((await sim.must('POST', `/api/volume/${fs.id}/share`, { share_type: 'nfs' })).id).not.toBe(share.id);
  });
});

describe('vSnap simulator: snapshots', () => {
  let sim: TestSim;
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(() => sim.close());

  it('GET /api/snapshot lists the snapshots of every volume with the summary fields', async () => {
    const a = await sim.createVolume('a');
    const b = await sim.createVolume('b');
    const s1 = await sim.snapshot(a.id, 'one');
    const s2 = await sim.snapshot(b.id, 'two');
    const list = await sim.ok('/api/snapshot');
    expect(list).toEqual({
      snapshots: [
        { id: s1.id, name: 'one', parent_id: a.id, time_created: s1.time_created, time_updated: s1.time_updated },
        { id: s2.id, name: 'two', parent_id: b.id, time_created: s2.time_created, time_updated: s2.time_updated },
      ],
      total: 2,
    });
  });

  it('a snapshot is found by /snapshot/<id>, ?id= and ?name= with the detail fields', async () => {
    const fs = await sim.createVolume('myvol1');
    const snap = await sim.snapshot(fs.id, 'ecx_1007_1234567890_myvol1');
    const detail = await sim.ok(`/api/snapshot/${snap.id}`);
    expect(Object.keys(detail).sort()).toEqual([
      'has_clones',
      'id',
      'name',
      'parent_id',
      'parent_name',
      'pool_id',
      'pool_name',
      'size_used',
      'time_created',
      'time_updated',
      'version_id',
    ]);
    expect(detail).toEqual(snap);
    expect(await sim.ok(`/api/snapshot?id=${snap.id}`)).toEqual(detail);
    expect(await sim.ok('/api/snapshot?name=ecx_1007_1234567890_myvol1')).toEqual(detail);
  });

  it('when several volumes have a snapshot of that name, ?name= answers a list', async () => {
    const a = await sim.createVolume('a');
    const b = await sim.createVolume('b');
    await sim.snapshot(a.id, 'daily');
    await sim.snapshot(b.id, 'daily');
    const found = await sim.ok('/api/snapshot?name=daily');
    expect(found.total).toBe(2);
    expect(found.snapshots.map((s: { parent_id: string }) => s.parent_id)).toEqual([a.id, b.id]);
  });

  it('an unknown snapshot answers 404 in every form', async () => {
    expectError(await sim.get('/api/snapshot/5'), 404, 'NotFoundError');
    expectError(await sim.get('/api/snapshot?id=5'), 404, 'NotFoundError');
    expectError(await sim.get('/api/snapshot?name=none'), 404, 'NotFoundError');
    expectError(await sim.del('/api/snapshot/5'), 404, 'NotFoundError');
  });

  it('DELETE /api/snapshot/<id> removes it from both lists', async () => {
    const fs = await sim.createVolume('v');
    const snap = await sim.snapshot(fs.id);
    expect(await sim.must('DELETE', `/api/snapshot/${snap.id}`)).toEqual({});
    expect((await sim.ok('/api/snapshot')).total).toBe(0);
    expect((await sim.ok(`/api/volume/${fs.id}/snapshot`)).total).toBe(0);
  });

  it('a filebackedlun has no snapshots of its own: 400', async () => {
    const fs = await sim.createVolume('parent');
    const fbl = await sim.must('POST', '/api/volume', {
      name: 'fl',
      volume_type: 'filebackedlun',
      parent_id: fs.id,
      parent_path: 'f.img',
    });
    expectError(await sim.post(`/api/volume/${fbl.id}/snapshot`, {}), 400, 'InvalidParameterError');
  });
});
