import { forEachBackend } from '../helpers/backends';
import { eventually, expectUnsupported } from '../helpers/expect';
import { uniq } from '../helpers/plugin';

const A = Buffer.from('content A: the first version of the volume\n'.repeat(200));
const B = Buffer.from('content B: written after the snapshot, longer than A\n'.repeat(300));
const C = Buffer.from('content C: the newest\n'.repeat(50));

forEachBackend('volumes and their actions, proven by content', (ctx) => {
  const vol = (id: string) => `${ctx.srv}/volume/${id}`;

  /** A volume holding `content`, with a snapshot taken of it. */
  async function volumeWithSnapshot(content: Buffer, type: 'filesystem' | 'lun' = 'filesystem') {
    const v = await ctx.p.fixture.createVolume({ name: uniq('vol'), type, sizeBytes: 64 << 20 });
    await ctx.p.fixture.write(v.id, content);
    const snap = await ctx.p.post(`${vol(v.id)}/snapshot`, ctx.sid, { name: uniq('snap') }).expect(201);
    return { volumeId: v.id, snapshotId: snap.body.id as string, snapshotName: snap.body.name as string };
  }

  async function clone(volumeId: string, snapshotId: string, extra: object = {}) {
    return (
      await ctx.p
        .post(`${vol(volumeId)}?action=clone`, ctx.sid, { snapshot: { id: snapshotId }, name: uniq('clone'), ...extra })
        .expect(200)
    ).body;
  }

  it('lists volumes and pages them without overlap, in a stable order', async () => {
    for (let i = 0; i < 5; i++)
      await ctx.p.fixture.createVolume({ name: uniq('page'), type: 'filesystem', sizeBytes: 1 << 20 });
    const all = (await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(200)).body.volumes as { id: string }[];
    expect(all.length).toBeGreaterThanOrEqual(5);
    const first = (await ctx.p.get(`${ctx.srv}/volume?limit=2&start=0`, ctx.sid).expect(200)).body.volumes as {
      id: string;
    }[];
    const second = (await ctx.p.get(`${ctx.srv}/volume?limit=2&start=2`, ctx.sid).expect(200)).body.volumes as {
      id: string;
    }[];
    expect(first.map((v) => v.id)).toEqual(all.slice(0, 2).map((v) => v.id));
    expect(second.map((v) => v.id)).toEqual(all.slice(2, 4).map((v) => v.id));
    expect(
      (await ctx.p.get(`${ctx.srv}/volume?limit=5&start=${all.length}`, ctx.sid).expect(200)).body.volumes,
    ).toEqual([]);
  });

  it('reports a volume with its size, use and pool, and the use grows with content', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('stats'), type: 'lun', sizeBytes: 32 << 20 });
    const before = (await ctx.p.get(vol(v.id), ctx.sid).expect(200)).body;
    expect(before).toMatchObject({ id: v.id, serverGroupKey: expect.any(String) });
    expect(before.stats.size).toBeGreaterThanOrEqual(32 << 20);
    const pools = (await ctx.p.get(`${ctx.srv}/pool`, ctx.sid).expect(200)).body.pools.map((x: { id: string }) => x.id);
    expect(pools).toContain(before.poolId);
    await ctx.p.fixture.write(v.id, Buffer.alloc(1 << 20, 1));
    const after = (await ctx.p.get(vol(v.id), ctx.sid).expect(200)).body;
    expect(after.stats.usedSize).toBeGreaterThanOrEqual(before.stats.usedSize + (1 << 20));
    expect(after.creationTime).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('restore brings back the snapshot content (write A, snapshot, write B, restore, read A)', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    await ctx.p.fixture.write(volumeId, B);
    expect(await ctx.p.fixture.read(volumeId)).toEqual(B);
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore`, ctx.sid, { snapshotId });
    if (!ctx.caps.restore) return expectUnsupported(res);
    expect([res.status, res.body.id]).toEqual([200, volumeId]);
    expect(await ctx.p.fixture.read(volumeId)).toEqual(A);
  });

  it('restore to an older snapshot brings its content back and keeps the newer snapshots', async () => {
    const { volumeId, snapshotId: older } = await volumeWithSnapshot(A);
    await ctx.p.fixture.write(volumeId, B);
    const newer = (await ctx.p.post(`${vol(volumeId)}/snapshot`, ctx.sid, { name: uniq('newer') }).expect(201)).body.id;
    await ctx.p.fixture.write(volumeId, C);
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore`, ctx.sid, { snapshotId: older });
    if (!ctx.caps.restore) return expectUnsupported(res);
    expect(res.status).toBe(200);
    expect(await ctx.p.fixture.read(volumeId)).toEqual(A);
    const snaps = (await ctx.p.get(`${vol(volumeId)}/snapshot`, ctx.sid).expect(200)).body.snapshots.map(
      (s: { id: string }) => s.id,
    );
    expect(snaps).toEqual(expect.arrayContaining([older, newer]));
    expect(await ctx.p.fixture.readSnapshot(volumeId, newer)).toEqual(B);
  });

  it('restore with a snapshot of another volume answers 404 and leaves the content alone', async () => {
    const a = await volumeWithSnapshot(A);
    const b = await volumeWithSnapshot(B);
    const res = await ctx.p.post(`${vol(a.volumeId)}?action=restore`, ctx.sid, { snapshotId: b.snapshotId });
    if (!ctx.caps.restore) return expectUnsupported(res);
    expect(res.status).toBe(404);
    expect(await ctx.p.fixture.read(a.volumeId)).toEqual(A);
  });

  it('clone by snapshot id holds the snapshot content, and writing it leaves the source alone', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    await ctx.p.fixture.write(volumeId, B);
    if (!ctx.caps.clone) return cloneUnsupported(volumeId, snapshotId);
    const c = await clone(volumeId, snapshotId);
    expect(c.name).toMatch(/^clone_/);
    await eventually(async () => ((await ctx.p.fixture.read(c.id)).equals(A) ? true : undefined));
    await ctx.p.fixture.write(c.id, C);
    expect(await ctx.p.fixture.read(volumeId)).toEqual(B);
    expect(await ctx.p.fixture.readSnapshot(volumeId, snapshotId)).toEqual(A);
  });

  it('clone by snapshot name works too', async () => {
    const { volumeId, snapshotName } = await volumeWithSnapshot(A);
    const res = await ctx.p.post(`${vol(volumeId)}?action=clone`, ctx.sid, {
      snapshot: { name: snapshotName },
      name: uniq('byname'),
    });
    if (!ctx.caps.clone) return expectUnsupported(res);
    expect(res.status).toBe(200);
    await eventually(async () => ((await ctx.p.fixture.read(res.body.id)).equals(A) ? true : undefined));
  });

  /** Without clone support, the clone action itself must say so. */
  const cloneUnsupported = async (volumeId: string, snapshotId: string) =>
    expectUnsupported(
      await ctx.p.post(`${vol(volumeId)}?action=clone`, ctx.sid, { snapshot: { id: snapshotId }, name: uniq('c') }),
    );

  it("a clone's split flag tells the truth about its dependency on the snapshot", async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    if (!ctx.caps.clone) return cloneUnsupported(volumeId, snapshotId);
    const c = await clone(volumeId, snapshotId);
    const snapDelete = await ctx.p.del(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid);
    if (c.supports.split === 'NOT_NEEDED') {
      // An independent clone: its snapshot goes, its content stays.
      expect(snapDelete.status).toBe(204);
      await eventually(async () => ((await ctx.p.fixture.read(c.id)).equals(A) ? true : undefined));
      return;
    }
    // A dependent clone: neither the snapshot nor its volume can go while the clone exists.
    expect([snapDelete.status, snapDelete.body.error?.type]).toEqual([409, 'CONFLICT']);
    expect((await ctx.p.del(vol(volumeId), ctx.sid).expect(409)).body.error.type).toBe('CONFLICT');
    await ctx.p.get(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid).expect(200);
    await ctx.p.del(vol(c.id), ctx.sid).expect(200);
    await ctx.p.del(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid).expect(204);
    await ctx.p.del(vol(volumeId), ctx.sid).expect(200);
    await ctx.p.get(vol(volumeId), ctx.sid).expect(404);
  });

  it('an instantly split clone is independent: its snapshot can be deleted at once', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    if (!ctx.caps.clone) return cloneUnsupported(volumeId, snapshotId);
    const c = await clone(volumeId, snapshotId, { instantSplit: true });
    expect(c.supports.split).toBe('NOT_NEEDED');
    await ctx.p.del(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid).expect(204);
    await eventually(async () => ((await ctx.p.fixture.read(c.id)).equals(A) ? true : undefined));
  });

  it('split detaches a clone, splitstatus follows it to completion, and the snapshot is then free', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    if (!ctx.caps.split || !ctx.caps.clone) {
      expectUnsupported(await ctx.p.post(`${vol(volumeId)}?action=split`, ctx.sid));
      return expectUnsupported(await ctx.p.get(`${vol(volumeId)}/splitstatus`, ctx.sid));
    }
    const c = await clone(volumeId, snapshotId);
    const started = (await ctx.p.post(`${vol(c.id)}?action=split`, ctx.sid).expect(200)).body;
    expect(started.percentageComplete).toBeGreaterThanOrEqual(0);
    const done = await eventually(async () => {
      const s = (await ctx.p.get(`${vol(c.id)}/splitstatus`, ctx.sid).expect(200)).body;
      return s.complete ? s : undefined;
    }, 20_000);
    expect(done.percentageComplete).toBe(100);
    expect(await ctx.p.fixture.read(c.id)).toEqual(A);
    await ctx.p.del(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid).expect(204);
    expect(await ctx.p.fixture.read(c.id)).toEqual(A);
  });

  it('restore-to-alternate puts the snapshot content into another volume, which keeps its snapshots', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const target = await volumeWithSnapshot(C);
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore-to-alternate`, ctx.sid, {
      sourceSnapshotId: snapshotId,
      targetVolumeId: target.volumeId,
    });
    if (!ctx.caps.restoreToAlternate) return expectUnsupported(res);
    expect([res.status, res.body.id]).toEqual([200, target.volumeId]);
    expect(await ctx.p.fixture.read(target.volumeId)).toEqual(A);
    expect(await ctx.p.fixture.readSnapshot(target.volumeId, target.snapshotId)).toEqual(C);
    expect(await ctx.p.fixture.read(volumeId)).toEqual(A);
  });

  it('restore-to-alternate into a volume that does not exist answers 404', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore-to-alternate`, ctx.sid, {
      sourceSnapshotId: snapshotId,
      targetVolumeId: '999999',
    });
    if (!ctx.caps.restoreToAlternate) return expectUnsupported(res);
    expect(res.status).toBe(404);
  });

  it('restore-to-new makes a new, independent volume with the snapshot content in the chosen pool', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A, 'lun');
    const source = (await ctx.p.get(vol(volumeId), ctx.sid).expect(200)).body;
    const name = uniq('new');
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore-to-new`, ctx.sid, {
      sourceSnapshotId: snapshotId,
      targetVolumeName: name,
      targetPoolIds: [source.poolId],
    });
    if (!ctx.caps.restoreToNew) return expectUnsupported(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name, poolId: source.poolId, volumeType: source.volumeType });
    expect(res.body.stats.size).toBeGreaterThanOrEqual(source.stats.size);
    expect(res.body.id).not.toBe(volumeId);
    await eventually(async () => ((await ctx.p.fixture.read(res.body.id)).equals(A) ? true : undefined));
    await ctx.p.del(`${vol(volumeId)}/snapshot/${snapshotId}`, ctx.sid).expect(204);
    expect(await ctx.p.fixture.read(res.body.id)).toEqual(A);
  });

  it('restore-to-new into a pool that does not exist answers 404 and leaves no volume behind', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    const name = uniq('nopool');
    const res = await ctx.p.post(`${vol(volumeId)}?action=restore-to-new`, ctx.sid, {
      sourceSnapshotId: snapshotId,
      targetVolumeName: name,
      targetPoolIds: ['no-such-pool'],
    });
    if (!ctx.caps.restoreToNew) return expectUnsupported(res);
    expect(res.status).toBe(404);
    const names = (await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(200)).body.volumes.map(
      (v: { name: string }) => v.name,
    );
    expect(names).not.toContain(name);
  });

  it('repeating a clone answers the same clone; the same name from another snapshot answers 409', async () => {
    const { volumeId, snapshotId } = await volumeWithSnapshot(A);
    if (!ctx.caps.clone) return cloneUnsupported(volumeId, snapshotId);
    const other = (await ctx.p.post(`${vol(volumeId)}/snapshot`, ctx.sid, { name: uniq('other') }).expect(201)).body.id;
    const name = uniq('taken');
    const first = (
      await ctx.p.post(`${vol(volumeId)}?action=clone`, ctx.sid, { snapshot: { id: snapshotId }, name }).expect(200)
    ).body;
    const again = (
      await ctx.p.post(`${vol(volumeId)}?action=clone`, ctx.sid, { snapshot: { id: snapshotId }, name }).expect(200)
    ).body;
    expect(again.id).toBe(first.id);
    const res = await ctx.p
      .post(`${vol(volumeId)}?action=clone`, ctx.sid, { snapshot: { id: other }, name })
      .expect(409);
    expect(res.body.error.type).toBe('CONFLICT');
  });

  it('mount answers a path (null for a block volume), and mounting again answers the same path', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('mnt'), type: 'filesystem', sizeBytes: 1 << 20 });
    const first = await ctx.p.post(`${vol(v.id)}?action=mount`, ctx.sid, { path: `/${uniq('mnt')}` });
    if (!ctx.caps.mount) return expectUnsupported(first);
    expect(first.status).toBe(200);
    // An array with block volumes only (Element) made a LUN volume: it is made usable and has no path.
    const block = (await ctx.p.get(vol(v.id), ctx.sid).expect(200)).body.volumeType === 'lun';
    if (block) expect(first.body).toEqual({ path: null });
    else expect(first.body.path).toMatch(/^\//);
    const again = (await ctx.p.post(`${vol(v.id)}?action=mount`, ctx.sid, {}).expect(200)).body;
    expect(again.path).toBe(first.body.path);
  });

  it('mount of a block (LUN) volume makes it usable and answers 200 with path null', async () => {
    if (!ctx.caps.luns) return expect(ctx.caps.luns).toBe(false);
    const v = await ctx.p.fixture.createVolume({ name: uniq('mntlun'), type: 'lun', sizeBytes: 1 << 20 });
    expect((await ctx.p.get(vol(v.id), ctx.sid).expect(200)).body.volumeType).toBe('lun');
    expect(ctx.caps.mount).toBe(true);
    const first = await ctx.p.post(`${vol(v.id)}?action=mount`, ctx.sid, {}).expect(200);
    expect(first.body).toEqual({ path: null });
    await ctx.p.post(`${vol(v.id)}?action=mount`, ctx.sid, {}).expect(200, { path: null });
    // Its LUN is there to be mapped.
    const luns = (await ctx.p.get(`${ctx.srv}/lun`, ctx.sid).expect(200)).body.luns as { volumeId: string }[];
    expect(luns.some((l) => l.volumeId === v.id)).toBe(true);
  });

  it('delete answers 200 and the volume is gone; deleting again answers 404', async () => {
    const v = await ctx.p.fixture.createVolume({ name: uniq('gone'), type: 'filesystem', sizeBytes: 1 << 20 });
    await ctx.p.del(vol(v.id), ctx.sid).expect(200);
    await ctx.p.get(vol(v.id), ctx.sid).expect(404);
    await ctx.p.del(vol(v.id), ctx.sid).expect(404);
  });
});
