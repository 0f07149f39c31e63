import { forEachBackend } from '../helpers/backends';
import { expectUnsupported } from '../helpers/expect';
import { uniq } from '../helpers/plugin';

interface Snap {
  id: string;
  name: string;
  consistencyGroupSnapshotId: string | null;
}

forEachBackend('consistency groups, proven by content', (ctx) => {
  const cgPath = (id: string) => `${ctx.srv}/consistencygroup/${encodeURIComponent(id)}`;

  /** Two volumes with distinct content in a new group (made through the backend's fixture hook). */
  async function groupOfTwo() {
    const vols = [];
    for (const tag of ['one', 'two']) {
      const v = await ctx.p.fixture.createVolume({ name: uniq(`cg${tag}`), type: 'lun', sizeBytes: 8 << 20 });
      await ctx.p.fixture.write(v.id, Buffer.from(`${tag}: ${uniq('data')}\n`.repeat(100)));
      vols.push(v.id);
    }
    const cg = await ctx.p.fixture.createConsistencyGroup!(uniq('cg'), vols);
    return { cgId: cg.id, vols };
  }

  it('a backend declaring consistency groups gives its fixture a way to make one', () => {
    expect(typeof ctx.p.fixture.createConsistencyGroup === 'function').toBe(ctx.caps.consistencyGroups);
  });

  it('lists and reads a group with its volumes; an unknown group answers 404', async () => {
    if (!ctx.caps.consistencyGroups) {
      // No groups here: the list is empty and any group is missing.
      expect((await ctx.p.get(`${ctx.srv}/consistencygroup`, ctx.sid).expect(200)).body.consistencyGroups).toEqual([]);
      return void (await ctx.p.get(cgPath('999999'), ctx.sid).expect(404));
    }
    const { cgId, vols } = await groupOfTwo();
    const list = (await ctx.p.get(`${ctx.srv}/consistencygroup`, ctx.sid).expect(200)).body.consistencyGroups;
    expect(list.map((g: { id: string }) => g.id)).toContain(cgId);
    const cg = (await ctx.p.get(cgPath(cgId), ctx.sid).expect(200)).body;
    expect([...cg.volumeIds].sort()).toEqual([...vols].sort());
    await ctx.p.get(cgPath('999999'), ctx.sid).expect(404);
  });

  it('take-snapshot snapshots every volume at once: each volume has a member snapshot holding its content', async () => {
    if (!ctx.caps.consistencyGroups)
      return expectUnsupported(await ctx.p.post(`${cgPath('1')}?action=take-snapshot`, ctx.sid, {}));
    const { cgId, vols } = await groupOfTwo();
    const before = await Promise.all(vols.map((v) => ctx.p.fixture.read(v)));
    const prefix = uniq('daily');
    const snap = (await ctx.p.post(`${cgPath(cgId)}?action=take-snapshot`, ctx.sid, { prefix }).expect(200)).body;
    expect(snap.name.startsWith(prefix)).toBe(true);
    for (const v of vols) await ctx.p.fixture.write(v, Buffer.from('overwritten after the group snapshot'));
    const listed = (await ctx.p.get(`${cgPath(cgId)}/snapshot`, ctx.sid).expect(200)).body.snapshots;
    expect(listed).toEqual(expect.arrayContaining([snap]));
    for (const [i, v] of vols.entries()) {
      const member = (
        (await ctx.p.get(`${ctx.srv}/volume/${v}/snapshot`, ctx.sid).expect(200)).body.snapshots as Snap[]
      ).find((s) => s.consistencyGroupSnapshotId === snap.id);
      expect(member).toBeDefined();
      expect(await ctx.p.fixture.readSnapshot(v, member!.id)).toEqual(before[i]);
    }
  });

  it('add-volume and remove-volume change the membership and answer the group', async () => {
    if (!ctx.caps.consistencyGroups)
      return expectUnsupported(await ctx.p.post(`${cgPath('1')}?action=add-volume`, ctx.sid, { volumeId: '1' }));
    const { cgId } = await groupOfTwo();
    const extra = (await ctx.p.fixture.createVolume({ name: uniq('cgextra'), type: 'lun', sizeBytes: 8 << 20 })).id;
    const added = (await ctx.p.post(`${cgPath(cgId)}?action=add-volume`, ctx.sid, { volumeId: extra }).expect(200))
      .body;
    expect(added.volumeIds).toContain(extra);
    expect((await ctx.p.get(cgPath(cgId), ctx.sid).expect(200)).body.volumeIds).toContain(extra);
    const removed = (
      await ctx.p.post(`${cgPath(cgId)}?action=remove-volume`, ctx.sid, { volumeIds: [extra] }).expect(200)
    ).body;
    expect(removed.volumeIds).not.toContain(extra);
    await ctx.p.post(`${cgPath(cgId)}?action=add-volume`, ctx.sid, { volumeId: '999999' }).expect(404);
  });

  it('condense keeps the newest instances of the given prefixes and removes the older ones', async () => {
    if (!ctx.caps.consistencyGroups)
      return expectUnsupported(await ctx.p.post(`${cgPath('1')}?action=condense`, ctx.sid, {}));
    const { cgId } = await groupOfTwo();
    const prefix = uniq('hourly');
    const keep = uniq('keep');
    const taken = [];
    for (let i = 0; i < 3; i++)
      taken.push((await ctx.p.post(`${cgPath(cgId)}?action=take-snapshot`, ctx.sid, { prefix }).expect(200)).body);
    const other = (await ctx.p.post(`${cgPath(cgId)}?action=take-snapshot`, ctx.sid, { prefix: keep }).expect(200))
      .body;
    await ctx.p
      .post(`${cgPath(cgId)}?action=condense`, ctx.sid, { numberOfInstances: 1, snapshotPrefixes: [prefix] })
      .expect(200);
    const left = (await ctx.p.get(`${cgPath(cgId)}/snapshot`, ctx.sid).expect(200)).body.snapshots.map(
      (s: { id: string }) => s.id,
    );
    expect(left).toContain(taken[2].id);
    expect(left).toContain(other.id);
    expect(left).not.toContain(taken[0].id);
    expect(left).not.toContain(taken[1].id);
  });
});
