import { forEachBackend } from '../helpers/backends';
import { uniq } from '../helpers/plugin';

forEachBackend('storage, servers, system, pools and networks', (ctx) => {
  it('GET /storage describes the array the session was opened on', async () => {
    const res = await ctx.p.get('/storage', ctx.sid).expect(200);
    expect(res.body).toMatchObject({
      ipAddress: '127.0.0.1',
      port: ctx.p.target.port,
      pluginId: `cdm-storage-plugin.${ctx.name}`,
      vendor: ctx.p.backend.vendor,
    });
    expect(res.body.serverIds).toContain(ctx.serverId);
    expect(res.body.version).toBeTruthy();
  });

  it('lists the servers of /storage, each readable on its own, and pages them', async () => {
    const storage = (await ctx.p.get('/storage', ctx.sid).expect(200)).body;
    const list = (await ctx.p.get('/server', ctx.sid).expect(200)).body.servers;
    expect(list.map((s: { id: string }) => s.id).sort()).toEqual([...storage.serverIds].sort());
    for (const s of list)
      expect((await ctx.p.get(`/server/${encodeURIComponent(s.id)}`, ctx.sid).expect(200)).body).toEqual(s);
    expect((await ctx.p.get(`/server?start=${list.length}`, ctx.sid).expect(200)).body.servers).toEqual([]);
  });

  it('system figures add up and follow the data: used space, snapshot space, provisioned size', async () => {
    const before = (await ctx.p.get(`${ctx.srv}/system`, ctx.sid).expect(200)).body;
    expect(before.capacityInBytes).toBeGreaterThan(0);
    expect(
      before.volumesSizeInBytes + before.snapshotsSizeInBytes + before.sharedSpaceInBytes + before.systemSizeInBytes,
    ).toBe(before.totalSizeInBytes);
    const v = await ctx.p.fixture.createVolume({ name: uniq('sys'), type: 'lun', sizeBytes: 256 << 20 });
    await ctx.p.fixture.write(v.id, Buffer.alloc(2 << 20, 3));
    await ctx.p.post(`${ctx.srv}/volume/${v.id}/snapshot`, ctx.sid, { name: uniq('sys') }).expect(201);
    await ctx.p.fixture.write(v.id, Buffer.alloc(2 << 20, 4));
    const after = (await ctx.p.get(`${ctx.srv}/system`, ctx.sid).expect(200)).body;
    expect(after.totalSizeInBytes - before.totalSizeInBytes).toBeGreaterThanOrEqual(4 << 20);
    expect(after.snapshotsSizeInBytes - before.snapshotsSizeInBytes).toBeGreaterThanOrEqual(2 << 20);
    expect(after.provisionedSizeInBytes - before.provisionedSizeInBytes).toBeGreaterThanOrEqual(256 << 20);
    expect(after.thinProvisioning).toBeGreaterThan(0);
    expect(after.thinProvisioning).toBeLessThan(1);
  });

  it('pools show their free space, which falls as a volume fills', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('fill'), type: 'filesystem', sizeBytes: 64 << 20 });
    const poolId = (await ctx.p.get(`${ctx.srv}/volume/${v.id}`, ctx.sid).expect(200)).body.poolId;
    const pools = (await ctx.p.get(`${ctx.srv}/pool`, ctx.sid).expect(200)).body.pools;
    expect(pools.map((x: { id: string }) => x.id)).toContain(poolId);
    const pool = `${ctx.srv}/pool/${encodeURIComponent(poolId)}`;
    const before = (await ctx.p.get(pool, ctx.sid).expect(200)).body;
    await ctx.p.fixture.write(v.id, Buffer.alloc(3 << 20, 9));
    const after = (await ctx.p.get(pool, ctx.sid).expect(200)).body;
    expect(before.freeSpace - after.freeSpace).toBeGreaterThanOrEqual(3 << 20);
  });

  it('networks list the interfaces, each readable on its own', async () => {
    const nets = (await ctx.p.get(`${ctx.srv}/network`, ctx.sid).expect(200)).body.networks;
    expect(nets.length).toBeGreaterThan(0);
    for (const n of nets) {
      expect(n.ipAddress ?? n.wwpn).toBeTruthy();
      expect((await ctx.p.get(`${ctx.srv}/network/${encodeURIComponent(n.id)}`, ctx.sid).expect(200)).body).toEqual(n);
    }
  });
});
