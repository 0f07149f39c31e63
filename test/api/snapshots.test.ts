import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe('volume snapshots', () => {
  let p: TestPlugin;
  let sid: string;
  let volumeId: string;
  let poolId: string;

  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
    volumeId = (await p.fixture.createVolume({ name: uniq('snapvol'), type: 'filesystem', sizeBytes: 8 << 20 })).id;
    poolId = (await p.get(`/server/0/volume/${volumeId}`, sid).expect(200)).body.poolId;
  });
  afterAll(() => p.close());

  it('create answers 201 with a Location that reads back the same snapshot', async () => {
    const name = uniq('s');
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name, poolId, isAutoDelete: false }).expect(201);
    expect(res.body).toMatchObject({ name, consistencyGroupSnapshotId: null, config: { groundCloneRequired: false } });
    expect(res.headers.location).toBe(`/storageplugin/api/server/0/volume/${volumeId}/snapshot/${res.body.id}`);
    const back = await p.get(res.headers.location.replace('/storageplugin/api', ''), sid).expect(200);
    expect(back.body).toEqual(res.body);
  });

  it('lists the snapshots of the volume only, and pages them', async () => {
    const other = (await p.fixture.createVolume({ name: uniq('other'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    await p.post(`/server/0/volume/${other}/snapshot`, sid, { name: uniq('elsewhere') }).expect(201);
    const names = [uniq('l1'), uniq('l2'), uniq('l3')];
    for (const name of names) await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name }).expect(201);
    const all = (await p.get(`/server/0/volume/${volumeId}/snapshot`, sid).expect(200)).body.snapshots;
    expect(all.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(names));
    expect(all.some((s: { name: string }) => s.name.startsWith('elsewhere'))).toBe(false);
    const page = (await p.get(`/server/0/volume/${volumeId}/snapshot?limit=1&start=1`, sid).expect(200)).body.snapshots;
    expect(page).toEqual([all[1]]);
  });

  it('a duplicate name on the same volume answers 409', async () => {
    const name = uniq('dup');
    await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name }).expect(201);
    expect((await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name }).expect(409)).body.error.type).toBe('CONFLICT');
  });

  it('a pool other than the volume’s answers 400: snapshots live with their volume', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name: uniq('elsewhere'), poolId: '999' }).expect(400);
    expect(res.body.error).toMatchObject({ type: 'INVALID_ARGUMENT', details: [{ path: 'poolId' }] });
  });

  it('a snapshot of a volume that does not exist answers 404', async () => {
    await p.post('/server/0/volume/999999/snapshot', sid, { name: uniq('x') }).expect(404);
  });

  it('replicate: true answers 501 while the array has no replication, and creates nothing', async () => {
    const name = uniq('repl');
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name, replicate: true }).expect(501);
    expect(res.body.error.type).toBe('UNSUPPORTED');
    const names = (await p.get(`/server/0/volume/${volumeId}/snapshot`, sid).expect(200)).body.snapshots.map((s: { name: string }) => s.name);
    expect(names).not.toContain(name);
  });

  it('get-Progress answers 501: there is no replication to report on', async () => {
    const snap = (await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name: uniq('prog') }).expect(201)).body;
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot/${snap.id}?action=get-Progress`, sid, { destinationSnapshotId: 'x', destinationServerId: '0' }).expect(501);
    expect(res.body.error.message).toMatch(/replication/);
  });

  it('delete answers 204 and the snapshot is gone; deleting again answers 404', async () => {
    const snap = (await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name: uniq('del') }).expect(201)).body;
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snap.id}`, sid).expect(204);
    await p.get(`/server/0/volume/${volumeId}/snapshot/${snap.id}`, sid).expect(404);
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snap.id}`, sid).expect(404);
  });

  it('a snapshot pins overwritten data: pool free space falls, and rises again once the snapshot is deleted', async () => {
    const vol = (await p.fixture.createVolume({ name: uniq('pin'), type: 'filesystem', sizeBytes: 64 << 20 })).id;
    const free = async () => (await p.get(`/server/0/pool/${poolId}`, sid).expect(200)).body.freeSpace as number;
    await p.fixture.write(vol, Buffer.alloc(4 << 20, 1));
    const snap = (await p.post(`/server/0/volume/${vol}/snapshot`, sid, { name: uniq('pin') }).expect(201)).body;
    const beforeOverwrite = await free();
    await p.fixture.write(vol, Buffer.alloc(4 << 20, 2));
    const afterOverwrite = await free();
    expect(beforeOverwrite - afterOverwrite).toBeGreaterThanOrEqual(4 << 20);
    await p.del(`/server/0/volume/${vol}/snapshot/${snap.id}`, sid).expect(204);
    expect((await free()) - afterOverwrite).toBeGreaterThanOrEqual(4 << 20);
  });
});
