import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

const A = Buffer.from('content A: the first version of the volume\n'.repeat(200));
const B = Buffer.from('content B: written after the snapshot, longer than A\n'.repeat(300));
const C = Buffer.from('content C: the newest\n'.repeat(50));

describe('volumes and their actions, proven by content', () => {
  let p: TestPlugin;
  let sid: string;

  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
  });
  afterAll(() => p.close());

  /** A volume holding `content`, with a snapshot taken of it. */
  async function volumeWithSnapshot(content: Buffer, type: 'filesystem' | 'lun' = 'filesystem') {
    const vol = await p.fixture.createVolume({ name: uniq('vol'), type, sizeBytes: 64 << 20 });
    await p.fixture.write(vol.id, content);
    const snap = await p.post(`/server/0/volume/${vol.id}/snapshot`, sid, { name: uniq('snap') }).expect(201);
    return { volumeId: vol.id, snapshotId: snap.body.id as string, snapshotName: snap.body.name as string };
  }

  it('lists volumes with CDM fields and pages them without overlap', async () => {
    for (let i = 0; i < 5; i++) await p.fixture.createVolume({ name: uniq('page'), type: 'filesystem', sizeBytes: 1 << 20 });
    const all = (await p.get('/server/0/volume', sid).expect(200)).body.volumes as { id: string }[];
    expect(all.length).toBeGreaterThanOrEqual(5);
    const first = (await p.get('/server/0/volume?limit=2&start=0', sid).expect(200)).body.volumes as { id: string }[];
    const second = (await p.get('/server/0/volume?limit=2&start=2', sid).expect(200)).body.volumes as { id: string }[];
    expect(first.map((v) => v.id)).toEqual(all.slice(0, 2).map((v) => v.id));
    expect(second.map((v) => v.id)).toEqual(all.slice(2, 4).map((v) => v.id));
    const beyond = (await p.get(`/server/0/volume?limit=5&start=${all.length}`, sid).expect(200)).body.volumes;
    expect(beyond).toEqual([]);
  });

  it('reports a volume with its size, use and pool, and the use grows with content', async () => {
    const vol = await p.fixture.createVolume({ name: uniq('stats'), type: 'lun', sizeBytes: 32 << 20 });
    const before = (await p.get(`/server/0/volume/${vol.id}`, sid).expect(200)).body;
    expect(before).toMatchObject({ id: vol.id, volumeType: 'lun', serverGroupKey: '0', stats: { size: 32 << 20 }, config: { thinProvisioned: true } });
    await p.fixture.write(vol.id, Buffer.alloc(1 << 20, 1));
    const after = (await p.get(`/server/0/volume/${vol.id}`, sid).expect(200)).body;
    expect(after.stats.usedSize).toBeGreaterThanOrEqual(before.stats.usedSize + (1 << 20));
    expect(after.creationTime).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('restore brings back the snapshot content (write A, snapshot, write B, restore, read A)', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    await p.fixture.write(volumeId, B);
    expect(await p.fixture.read(volumeId)).toEqual(B);
    const res = await p.post(`/server/0/volume/${volumeId}?action=restore`, sid, { snapshotId }).expect(200);
    expect(res.body.id).toBe(volumeId);
    expect(await p.fixture.read(volumeId)).toEqual(A);
  });

  it('restore to an older snapshot brings its content back and keeps the newer snapshots', async () => {
    const { volumeId, snapshotId: older } = await volumeWithSnapshot(A);
    await p.fixture.write(volumeId, B);
    const newer = (await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name: uniq('newer') }).expect(201)).body.id;
    await p.fixture.write(volumeId, C);
    await p.post(`/server/0/volume/${volumeId}?action=restore`, sid, { snapshotId: older }).expect(200);
    expect(await p.fixture.read(volumeId)).toEqual(A);
    const snaps = (await p.get(`/server/0/volume/${volumeId}/snapshot`, sid).expect(200)).body.snapshots.map((s: { id: string }) => s.id);
    expect(snaps).toEqual(expect.arrayContaining([older, newer]));
    expect(await p.fixture.readSnapshot(volumeId, newer)).toEqual(B);
  });

  it('clone by snapshot id holds the snapshot content, and writing it leaves the source alone', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    await p.fixture.write(volumeId, B);
    const name = uniq('clone');
    const clone = (await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { id: snapshotId }, name }).expect(200)).body;
    expect(clone).toMatchObject({ name, supports: { split: 'NONE' } });
    expect(await p.fixture.read(clone.id)).toEqual(A);
    await p.fixture.write(clone.id, C);
    expect(await p.fixture.read(volumeId)).toEqual(B);
    expect(await p.fixture.readSnapshot(volumeId, snapshotId)).toEqual(A);
  });

  it('clone by snapshot name works too', async () => {
    const { volumeId, snapshotName } = await volumeWithSnapshot(A);
    const clone = (await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { name: snapshotName }, name: uniq('byname') }).expect(200)).body;
    expect(await p.fixture.read(clone.id)).toEqual(A);
  });

  it('when the snapshot has clones, deleting it answers 409 and deleting the volume answers 409', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const clone = (await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { id: snapshotId }, name: uniq('dep') }).expect(200)).body;
    expect((await p.del(`/server/0/volume/${volumeId}/snapshot/${snapshotId}`, sid).expect(409)).body.error.type).toBe('CONFLICT');
    expect((await p.del(`/server/0/volume/${volumeId}`, sid).expect(409)).body.error.type).toBe('CONFLICT');
    // Nothing was lost: both are still there, and once the clone is gone both can go.
    await p.get(`/server/0/volume/${volumeId}/snapshot/${snapshotId}`, sid).expect(200);
    await p.del(`/server/0/volume/${clone.id}`, sid).expect(200);
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snapshotId}`, sid).expect(204);
    await p.del(`/server/0/volume/${volumeId}`, sid).expect(200);
    await p.get(`/server/0/volume/${volumeId}`, sid).expect(404);
  });

  it('an instantly split clone is independent: its snapshot can be deleted at once', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const clone = (await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { id: snapshotId }, name: uniq('split'), instantSplit: true }).expect(200)).body;
    expect(clone.supports.split).toBe('NOT_NEEDED');
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snapshotId}`, sid).expect(204);
    expect(await p.fixture.read(clone.id)).toEqual(A);
  });

  it('restore-to-alternate puts the snapshot content into another volume, which keeps its snapshots', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const target = await volumeWithSnapshot(C);
    const res = await p.post(`/server/0/volume/${volumeId}?action=restore-to-alternate`, sid, { sourceSnapshotId: snapshotId, targetVolumeId: target.volumeId }).expect(200);
    expect(res.body.id).toBe(target.volumeId);
    expect(await p.fixture.read(target.volumeId)).toEqual(A);
    expect(await p.fixture.readSnapshot(target.volumeId, target.snapshotId)).toEqual(C);
    expect(await p.fixture.read(volumeId)).toEqual(A);
  });

  it('restore-to-alternate into a volume that does not exist answers 404 and changes nothing', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    await p.post(`/server/0/volume/${volumeId}?action=restore-to-alternate`, sid, { sourceSnapshotId: snapshotId, targetVolumeId: '999999' }).expect(404);
  });

  it('restore-to-new makes a new, independent volume with the snapshot content in the chosen pool', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A, 'lun');
    const pools = (await p.get('/server/0/pool', sid).expect(200)).body.pools;
    const name = uniq('new');
    const vol = (await p.post(`/server/0/volume/${volumeId}?action=restore-to-new`, sid, { sourceSnapshotId: snapshotId, targetVolumeName: name, targetPoolIds: [pools[0].id] }).expect(200)).body;
    expect(vol).toMatchObject({ name, volumeType: 'lun', poolId: pools[0].id, stats: { size: 64 << 20 } });
    expect(vol.id).not.toBe(volumeId);
    expect(await p.fixture.read(vol.id)).toEqual(A);
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snapshotId}`, sid).expect(204);
    expect(await p.fixture.read(vol.id)).toEqual(A);
  });

  it('restore-to-new into a pool that does not exist answers 404 and leaves no volume behind', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const name = uniq('nopool');
    await p.post(`/server/0/volume/${volumeId}?action=restore-to-new`, sid, { sourceSnapshotId: snapshotId, targetVolumeName: name, targetPoolIds: ['999'] }).expect(404);
    const names = (await p.get('/server/0/volume', sid).expect(200)).body.volumes.map((v: { name: string }) => v.name);
    expect(names).not.toContain(name);
  });

  it('restore with a snapshot of another volume answers 404 and leaves the content alone', async () => {
    const a = await volumeWithSnapshot(A);
    const b = await volumeWithSnapshot(B);
    await p.post(`/server/0/volume/${a.volumeId}?action=restore`, sid, { snapshotId: b.snapshotId }).expect(404);
    expect(await p.fixture.read(a.volumeId)).toEqual(A);
  });

  it('a clone name already in use answers 409', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const name = uniq('taken');
    await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { id: snapshotId }, name }).expect(200);
    expect((await p.post(`/server/0/volume/${volumeId}?action=clone`, sid, { snapshot: { id: snapshotId }, name }).expect(409)).body.error.type).toBe('CONFLICT');
  });

  it('mount exports a filesystem and answers its path; mounting again answers the same path', async () => {
    const vol = await p.fixture.createVolume({ name: uniq('mnt'), type: 'filesystem', sizeBytes: 1 << 20 });
    const first = (await p.post(`/server/0/volume/${vol.id}?action=mount`, sid, { path: '/mnt/x' }).expect(200)).body;
    expect(first.path).toMatch(/^\/vsnap\/.+\/mnt_/);
    const again = (await p.post(`/server/0/volume/${vol.id}?action=mount`, sid, {}).expect(200)).body;
    expect(again.path).toBe(first.path);
  });

  it('mount of a LUN answers 400 saying to map it instead', async () => {
    const vol = await p.fixture.createVolume({ name: uniq('lunmnt'), type: 'lun', sizeBytes: 1 << 20 });
    const res = await p.post(`/server/0/volume/${vol.id}?action=mount`, sid, {}).expect(400);
    expect(res.body.error).toMatchObject({ type: 'INVALID_ARGUMENT', message: expect.stringContaining('map') });
  });

  it('split and splitstatus answer 501 UNSUPPORTED: vSnap clones cannot be split', async () => {
    const vol = await p.fixture.createVolume({ name: uniq('nosplit'), type: 'filesystem', sizeBytes: 1 << 20 });
    expect((await p.post(`/server/0/volume/${vol.id}?action=split`, sid).expect(501)).body.error.type).toBe('UNSUPPORTED');
    expect((await p.get(`/server/0/volume/${vol.id}/splitstatus`, sid).expect(501)).body.error.message).toMatch(/split/);
  });

  it('delete answers 200 and the volume is gone', async () => {
    const vol = await p.fixture.createVolume({ name: uniq('gone'), type: 'filesystem', sizeBytes: 1 << 20 });
    await p.del(`/server/0/volume/${vol.id}`, sid).expect(200);
    await p.get(`/server/0/volume/${vol.id}`, sid).expect(404);
    await p.del(`/server/0/volume/${vol.id}`, sid).expect(404);
  });
});
