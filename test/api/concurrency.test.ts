import { lockKey } from '../../src/domain/service';
import { arrayKeyOf } from '../../src/http/session';
import { forEachBackend } from '../helpers/backends';
import { expectUnsupported } from '../helpers/expect';
import { startTestPlugin, uniq } from '../helpers/plugin';

forEachBackend('concurrency and idempotent creates', (ctx) => {
  let arrayKey: string;
  beforeAll(async () => {
    const storageId = (await ctx.p.get('/storage', ctx.sid).expect(200)).body.id;
    arrayKey = arrayKeyOf({ identity: { storageId }, target: ctx.p.target });
  });
  const volumeLock = (volumeId: string) => lockKey(ctx.name, arrayKey, ctx.serverId, 'volume', volumeId);

  it('ten parallel identical snapshot creates make one snapshot, and every caller gets it', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('par'), type: 'lun', sizeBytes: 1 << 20 });
    const name = uniq('burst');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => ctx.p.post(`${ctx.srv}/volume/${v.id}/snapshot`, ctx.sid, { name })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const snaps = (await ctx.p.get(`${ctx.srv}/volume/${v.id}/snapshot`, ctx.sid).expect(200)).body.snapshots;
    expect(snaps.filter((s: { name: string }) => s.name === name)).toHaveLength(1);
  });

  it('ten parallel identical host creates make one host', async () => {
    const name = uniq('hburst');
    const body = { name, iqns: [`iqn.1994-05.com.redhat:${name}`] };
    if (!ctx.caps.hostCreation) return expectUnsupported(await ctx.p.post(`${ctx.srv}/host`, ctx.sid, body));
    const answers = await Promise.all(Array.from({ length: 10 }, () => ctx.p.post(`${ctx.srv}/host`, ctx.sid, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const hosts = (await ctx.p.get(`${ctx.srv}/host`, ctx.sid).expect(200)).body.hosts;
    expect(hosts.filter((h: { name: string }) => h.name === name)).toHaveLength(1);
    await ctx.p.post(`${ctx.srv}/host`, ctx.sid, { name, iqns: [] }).expect(409);
  });

  it('a repeat after the create window is not a retry: the array answers its conflict, no stale object is handed out', async () => {
    const short = await startTestPlugin(ctx.name, { config: { createWindowSeconds: 1 } });
    try {
      const sid = await short.login();
      const v = await short.fixture.createVolume({ name: uniq('win'), type: 'lun', sizeBytes: 1 << 20 });
      const name = uniq('late');
      await short
        .post(`/server/${encodeURIComponent(short.fixture.serverId)}/volume/${v.id}/snapshot`, sid, { name })
        .expect(201);
      await new Promise((r) => setTimeout(r, 1200));
      const res = await short
        .post(`/server/${encodeURIComponent(short.fixture.serverId)}/volume/${v.id}/snapshot`, sid, { name })
        .expect(409);
      expect(res.body.error.type).toBe('CONFLICT');
    } finally {
      await short.close();
    }
  });

  it('a volume busy with another operation answers 409 at once, and works again when the lock is released', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('busy'), type: 'lun', sizeBytes: 1 << 20 });
    // Another plugin instance holds the volume's lock (it is kept in the shared store).
    const token = await ctx.p.coordinator.acquire(volumeLock(v.id), 30_000);
    expect(token).not.toBeNull();
    const started = Date.now();
    const res = await ctx.p.del(`${ctx.srv}/volume/${v.id}`, ctx.sid).expect(409);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.body.error).toMatchObject({ type: 'CONFLICT', message: expect.stringContaining('in progress') });
    await ctx.p.get(`${ctx.srv}/volume/${v.id}`, ctx.sid).expect(200);
    await ctx.p.coordinator.release(volumeLock(v.id), token!);
    await ctx.p.del(`${ctx.srv}/volume/${v.id}`, ctx.sid).expect(200);
  });

  it('a failed operation releases its lock', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('fail'), type: 'lun', sizeBytes: 1 << 20 });
    await ctx.p.del(`${ctx.srv}/volume/${v.id}/snapshot/999999`, ctx.sid).expect(404);
    expect(await ctx.p.coordinator.get(volumeLock(v.id))).toBeNull();
    await ctx.p.del(`${ctx.srv}/volume/${v.id}`, ctx.sid).expect(200);
  });

  it('map calls on one host are serialized: parallel maps of different LUNs get distinct numbers', async () => {
    if (!ctx.caps.hostMapping) return expect(ctx.caps.hostMapping).toBe(false);
    const host = (
      await ctx.p
        .post(`${ctx.srv}/host`, ctx.sid, { name: uniq('race'), iqns: [`iqn.1994-05.com.redhat:${uniq('r')}`] })
        .expect(201)
    ).body;
    const vols = await Promise.all(
      Array.from({ length: 4 }, () =>
        ctx.p.fixture.createVolume({ name: uniq('rl'), type: 'lun', sizeBytes: 1 << 20 }),
      ),
    );
    // Fired together: some find the host busy (409, at once) and retry; none may get a number twice.
    let conflicts = 0;
    const mapped = await Promise.all(
      vols.map(async (v) => {
        for (;;) {
          const r = await ctx.p.post(`${ctx.srv}/host/${host.id}?action=map`, ctx.sid, { volumeId: v.id });
          if (r.status === 200) return r.body.lunNumber as number;
          expect(r.status).toBe(409);
          conflicts++;
          await new Promise((res) => setTimeout(res, 10));
        }
      }),
    );
    expect(conflicts).toBeGreaterThanOrEqual(0);
    expect(new Set(mapped).size).toBe(4);
  });
});
