import { forEachBackend } from '../helpers/backends';
import { expectUnsupported } from '../helpers/expect';
import { uniq } from '../helpers/plugin';

forEachBackend('volume snapshots', (ctx) => {
  let volumeId: string;
  let poolId: string;

  beforeAll(async () => {
    volumeId = (await ctx.p.fixture.createVolume({ name: uniq('snapvol'), type: 'filesystem', sizeBytes: 8 << 20 })).id;
    poolId = (await ctx.p.get(`${ctx.srv}/volume/${volumeId}`, ctx.sid).expect(200)).body.poolId;
  });

  it('create answers 201 with a Location that reads back the same snapshot', async () => {
    const name = uniq('s');
    const res = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name, poolId, isAutoDelete: false })
      .expect(201);
    expect(res.body).toMatchObject({ name, consistencyGroupSnapshotId: null, config: { groundCloneRequired: false } });
    expect(res.headers.location).toBe(
      `/storageplugin/api${ctx.srv}/volume/${volumeId}/snapshot/${encodeURIComponent(res.body.id)}`,
    );
    const back = await ctx.p.get(res.headers.location.replace('/storageplugin/api', ''), ctx.sid).expect(200);
    expect(back.body).toEqual(res.body);
  });

  it('lists the snapshots of the volume only, and pages them', async () => {
    const other = (await ctx.p.fixture.createVolume({ name: uniq('other'), type: 'filesystem', sizeBytes: 1 << 20 }))
      .id;
    await ctx.p.post(`${ctx.srv}/volume/${other}/snapshot`, ctx.sid, { name: uniq('elsewhere') }).expect(201);
    const names = [uniq('l1'), uniq('l2'), uniq('l3')];
    for (const name of names) await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name }).expect(201);
    const all = (await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid).expect(200)).body.snapshots;
    expect(all.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(names));
    expect(all.some((s: { name: string }) => s.name.startsWith('elsewhere'))).toBe(false);
    const page = (await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot?limit=1&start=1`, ctx.sid).expect(200)).body
      .snapshots;
    expect(page).toEqual([all[1]]);
  });

  it('repeating a create with the same name and parameters answers the same snapshot; other parameters answer 409', async () => {
    const name = uniq('dup');
    const first = (await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name }).expect(201)).body;
    const again = (await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name }).expect(201)).body;
    expect(again).toEqual(first);
    const other = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name, isAutoDelete: true })
      .expect(409);
    expect(other.body.error.type).toBe('CONFLICT');
  });

  it('a pool other than the volume’s answers 400: snapshots live with their volume', async () => {
    const res = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name: uniq('elsewhere'), poolId: '999' })
      .expect(400);
    expect(res.body.error).toMatchObject({ type: 'INVALID_ARGUMENT', details: [{ path: 'poolId' }] });
  });

  it('a snapshot of a volume that does not exist answers 404', async () => {
    await ctx.p.post(`${ctx.srv}/volume/999999/snapshot`, ctx.sid, { name: uniq('x') }).expect(404);
  });

  it('replicate: true on a volume with no replication target answers 409 (501 without replication), and creates nothing', async () => {
    const name = uniq('repl');
    const res = await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name, replicate: true });
    if (ctx.caps.replication.newSnapshot) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ type: 'CONFLICT', message: expect.stringMatching(/replicat/i) });
    } else {
      expectUnsupported(res);
    }
    const names = (await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid).expect(200)).body.snapshots.map(
      (s: { name: string }) => s.name,
    );
    expect(names).not.toContain(name);
  });

  it('get-Progress of a snapshot never replicated answers 409 (501 where the backend has no replication)', async () => {
    const snap = (
      await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name: uniq('prog') }).expect(201)
    ).body;
    const res = await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.id}?action=get-Progress`, ctx.sid, {
      destinationSnapshotId: 'x',
      destinationServerId: '0',
    });
    if (ctx.caps.replication.newSnapshot) {
      expect(res.status).toBe(409);
      return expect(res.body.error).toMatchObject({
        type: 'CONFLICT',
        message: expect.stringMatching(/not replicated/),
      });
    }
    expectUnsupported(res);
    expect(res.body.error.message).toMatch(/replication/);
  });

  it('delete answers 204 and the snapshot is gone; deleting again answers 404', async () => {
    const snap = (
      await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name: uniq('del') }).expect(201)
    ).body;
    await ctx.p.del(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.id}`, ctx.sid).expect(204);
    await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.id}`, ctx.sid).expect(404);
    await ctx.p.del(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.id}`, ctx.sid).expect(404);
  });

  it('a snapshot pins overwritten data: pool free space falls, and rises again once the snapshot is deleted', async () => {
    const vol = (await ctx.p.fixture.createVolume({ name: uniq('pin'), type: 'filesystem', sizeBytes: 64 << 20 })).id;
    const free = async () =>
      (await ctx.p.get(`${ctx.srv}/pool/${poolId}`, ctx.sid).expect(200)).body.freeSpace as number;
    await ctx.p.fixture.write(vol, Buffer.alloc(4 << 20, 1));
    const snap = (await ctx.p.post(`${ctx.srv}/volume/${vol}/snapshot`, ctx.sid, { name: uniq('pin') }).expect(201))
      .body;
    const beforeOverwrite = await free();
    await ctx.p.fixture.write(vol, Buffer.alloc(4 << 20, 2));
    const afterOverwrite = await free();
    expect(beforeOverwrite - afterOverwrite).toBeGreaterThanOrEqual(4 << 20);
    await ctx.p.del(`${ctx.srv}/volume/${vol}/snapshot/${snap.id}`, ctx.sid).expect(204);
    expect((await free()) - afterOverwrite).toBeGreaterThanOrEqual(4 << 20);
  });
});
