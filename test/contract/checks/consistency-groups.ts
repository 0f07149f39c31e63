/**
 * Consistency groups: list, get, add-volume, remove-volume, condense, take-snapshot (proven by content on
 * every member), add-replication-target and replicate as the flags say, group snapshots, paging.
 */
import {
  expectError,
  expectSame,
  expectStatus,
  expectUnsupported,
  fail,
  group,
  isUnsupported,
  ok,
  skip,
} from '../check';
import { type SuiteContext, enc } from '../context';
import { expectSnapshotHolds, payload } from './content';
import { checkPaging } from './paging';

interface CgJson {
  id: string;
  name: string;
  volumeIds: string[];
}

const cgPath = (ctx: SuiteContext, id = ctx.cg?.id ?? skip('needs a consistency group, and the array has none')) =>
  `${ctx.srv}/consistencygroup/${enc(id)}`;

/** The group the suite made itself, which it may change; the array's own groups are only read. */
function ourGroup(ctx: SuiteContext): { id: string; volumeIds: string[] } {
  ctx.requireFeature('consistency groups');
  const cg = ctx.cg;
  if (!cg?.ours)
    skip(
      `needs a group of the suite's own: ${ctx.fixture ? 'the fixture cannot make consistency groups and the contract has no create' : ctx.fixtureNote}`,
    );
  return cg;
}

async function cgSnapshots(ctx: SuiteContext): Promise<{ id: string; name: string }[]> {
  const res = await ctx.api.get(`${cgPath(ctx)}/snapshot`);
  expectStatus(res, 200);
  return (res.json as { snapshots: { id: string; name: string }[] }).snapshots;
}

async function takeSnapshot(ctx: SuiteContext, prefix: string): Promise<{ id: string; name: string }> {
  const res = await ctx.api.post(`${cgPath(ctx)}?action=take-snapshot`, { prefix });
  expectStatus(res, 200);
  const snap = res.json as { id: string; name: string };
  ok(
    snap.name.startsWith(prefix),
    `the group snapshot '${snap.name}' does not start with the prefix '${prefix}'`,
    res,
    '$.name',
  );
  return snap;
}

/** The snapshot each member volume got from a group snapshot, in the order of `volumeIds`. */
async function memberSnapshots(
  ctx: SuiteContext,
  volumeIds: string[],
  cgSnapshotId: string,
): Promise<{ volumeId: string; id: string }[]> {
  const out = [];
  for (const v of volumeIds) {
    const res = await ctx.api.get(`${ctx.srv}/volume/${enc(v)}/snapshot`);
    expectStatus(res, 200);
    const member = (
      res.json as { snapshots: { id: string; consistencyGroupSnapshotId: string | null }[] }
    ).snapshots.find((s) => s.consistencyGroupSnapshotId === cgSnapshotId);
    ok(member, `volume ${v} has no snapshot with consistencyGroupSnapshotId ${cgSnapshotId}`, res, '$.snapshots');
    out.push({ volumeId: v, id: member.id });
  }
  return out;
}

export const consistencyGroupChecks = group('consistency groups', [
  [
    'GET /consistencygroup lists the groups (where they are not served, the list is empty, a group 404, every group action 501 and persistentConsistencyGroup false)',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/consistencygroup`);
      if (isUnsupported(res))
        fail('a collection the array does not have is an empty list (200, []), not 501', res, 'status');
      expectStatus(res, 200);
      const p = `${ctx.srv}/consistencygroup/${ctx.name('cg')}`;
      // Whether groups are served shows in the actions: remove-volume from a group that does not exist is 404, or 501.
      const probe = await ctx.api.post(`${p}?action=remove-volume`, { volumeIds: ['x'] });
      if (isUnsupported(probe)) {
        if (ctx.flag('persistentConsistencyGroup'))
          fail('the server says persistentConsistencyGroup, yet consistency group actions answer 501', probe, 'status');
        ctx.setFeature('consistency groups', false, `${probe.endpoint} answered 501`);
        expectSame(
          (res.json as { consistencyGroups: CgJson[] }).consistencyGroups,
          [],
          'consistency groups are not served, so their list is empty',
          res,
          '$.consistencyGroups',
        );
        for (const suffix of ['', '/snapshot']) expectError(await ctx.api.get(p + suffix), 404, 'NOT_FOUND');
        const calls: [string, unknown][] = [
          ['?action=add-volume', { volumeId: 'x' }],
          ['?action=remove-volume', { volumeIds: ['x'] }],
          ['?action=condense', {}],
          ['?action=take-snapshot', {}],
          ['?action=add-replication-target', { targetName: 'x' }],
        ];
        for (const [suffix, body] of calls)
          expectUnsupported(await ctx.api.post(p + suffix, body), 'consistency groups are not served');
        return;
      }
      ctx.setFeature('consistency groups', true, `${probe.endpoint} answered ${probe.status}`);
      const groups = (res.json as { consistencyGroups: CgJson[] }).consistencyGroups;
      for (const g of groups.slice(0, 10)) {
        const one = await ctx.api.get(cgPath(ctx, g.id));
        expectStatus(one, 200);
        expectSame(
          (one.json as CgJson).volumeIds,
          g.volumeIds,
          `group ${g.id} reads differently from its list entry`,
          one,
          '$.volumeIds',
        );
      }
      if (groups[0]) ctx.cg = { id: groups[0].id, volumeIds: groups[0].volumeIds, ours: false };
      ctx.note(`${groups.length} consistency group(s)`);
    },
  ],
  [
    'a group made on the array is listed and reads back with its volumes',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      const fixture = ctx.needFixture('a consistency group');
      const make =
        fixture.createConsistencyGroup?.bind(fixture) ??
        skip('the fixture cannot make consistency groups, and the contract has no create');
      const vols = [
        await ctx.scratchVolume('a group member', 'lun', payload()),
        await ctx.scratchVolume('a group member', 'lun', payload()),
      ];
      const name = ctx.name('cg');
      const { id } = await make(name, vols);
      ctx.created.push({ kind: 'group', id, name });
      const list = await ctx.api.get(`${ctx.srv}/consistencygroup`);
      expectStatus(list, 200);
      ok(
        (list.json as { consistencyGroups: CgJson[] }).consistencyGroups.some((g) => g.id === id),
        `group ${id} is not listed`,
        list,
        '$.consistencyGroups',
      );
      const res = await ctx.api.get(cgPath(ctx, id));
      expectStatus(res, 200);
      expectSame(
        [...(res.json as CgJson).volumeIds].sort(),
        [...vols].sort(),
        'the group holds other volumes',
        res,
        '$.volumeIds',
      );
      ctx.cg = { id, volumeIds: vols, ours: true };
    },
  ],
  [
    'take-snapshot snapshots every member at once: each member has a snapshot of the group snapshot holding its content',
    async (ctx) => {
      const cg = ourGroup(ctx);
      const fixture = ctx.needFixture('take-snapshot');
      const before = await Promise.all(cg.volumeIds.map((v) => fixture.read(v)));
      const snap = await takeSnapshot(ctx, ctx.name('daily'));
      for (const v of cg.volumeIds) await fixture.write(v, payload());
      ok(
        (await cgSnapshots(ctx)).some((s) => s.id === snap.id && s.name === snap.name),
        'the group snapshot is not listed on the group',
        undefined,
        '$.snapshots',
      );
      const members = await memberSnapshots(ctx, cg.volumeIds, snap.id);
      for (const [i, m] of members.entries())
        await expectSnapshotHolds(ctx, m.volumeId, m.id, before[i], `member snapshot of volume ${m.volumeId}`);
    },
  ],
  [
    "deleting one member's snapshot of a group snapshot works where the server says deleteFromSnapshotGroup, else answers 501",
    async (ctx) => {
      const cg = ourGroup(ctx);
      const snap = await takeSnapshot(ctx, ctx.name('member'));
      const [first, second] = await memberSnapshots(ctx, cg.volumeIds, snap.id);
      const path = (m: { volumeId: string; id: string }) =>
        `${ctx.srv}/volume/${enc(m.volumeId)}/snapshot/${enc(m.id)}`;
      const res = await ctx.api.del(path(first));
      if (!ctx.flag('deleteFromSnapshotGroup'))
        return expectUnsupported(res, 'supports.deleteFromSnapshotGroup is false');
      expectStatus(res, 204);
      expectError(await ctx.api.get(path(first)), 404, 'NOT_FOUND');
      expectStatus(await ctx.api.get(path(second)), 200);
    },
  ],
  [
    'add-volume and remove-volume change the membership and answer the group',
    async (ctx) => {
      const cg = ourGroup(ctx);
      const extra = await ctx.scratchVolume('add-volume', 'lun');
      const added = await ctx.api.post(`${cgPath(ctx)}?action=add-volume`, { volumeId: extra });
      expectStatus(added, 200);
      ok(
        (added.json as CgJson).volumeIds.includes(extra),
        'add-volume answers a group without the volume',
        added,
        '$.volumeIds',
      );
      const read = await ctx.api.get(cgPath(ctx));
      ok(
        (read.json as CgJson).volumeIds.includes(extra),
        'the group does not hold the added volume',
        read,
        '$.volumeIds',
      );
      const removed = await ctx.api.post(`${cgPath(ctx)}?action=remove-volume`, { volumeIds: [extra] });
      expectStatus(removed, 200);
      expectSame(
        [...(removed.json as CgJson).volumeIds].sort(),
        [...cg.volumeIds].sort(),
        'remove-volume answers the wrong members',
        removed,
        '$.volumeIds',
      );
    },
  ],
  [
    'condense keeps the newest instances of the given prefixes and removes the older ones; other prefixes stay',
    async (ctx) => {
      ourGroup(ctx);
      const prefix = ctx.name('hourly');
      const taken = [await takeSnapshot(ctx, prefix), await takeSnapshot(ctx, prefix), await takeSnapshot(ctx, prefix)];
      const other = await takeSnapshot(ctx, ctx.name('keep'));
      const res = await ctx.api.post(`${cgPath(ctx)}?action=condense`, {
        numberOfInstances: 1,
        snapshotPrefixes: [prefix],
      });
      expectStatus(res, 200);
      const left = (await cgSnapshots(ctx)).map((s) => s.id);
      expectSame(
        [taken[0].id, taken[1].id, taken[2].id, other.id].map((id) => left.includes(id)),
        [false, false, true, true],
        'which group snapshots are left (the two older of the prefix go; the newest and the other prefix stay)',
      );
    },
  ],
  [
    'add-replication-target answers the target where the server has consistency group replication, else 501',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      const path = `${cgPath(ctx)}?action=add-replication-target`;
      if (!ctx.flag('consistencyGroupReplication'))
        return expectUnsupported(
          await ctx.api.post(path, { targetName: ctx.name('target') }),
          'supports.consistencyGroupReplication is false',
        );
      ourGroup(ctx);
      const target =
        ctx.remoteArrays[0] ??
        skip('the server replicates consistency groups but lists no remote array to add as a target');
      const res = await ctx.api.post(path, { targetName: target });
      expectStatus(res, 200);
      expectSame((res.json as { name: string }).name, target, 'the target answers another name', res, '$.name');
    },
  ],
  [
    'isIncremental is refused with 501 where the server says isIncrementalConsistencyGroup false, and served where it says true',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      if (ctx.flag('isIncrementalConsistencyGroup')) {
        ourGroup(ctx);
        return expectStatus(
          await ctx.api.post(`${cgPath(ctx)}?action=take-snapshot`, { prefix: ctx.name('incr'), isIncremental: true }),
          200,
        );
      }
      expectUnsupported(
        await ctx.api.post(`${cgPath(ctx)}?action=take-snapshot`, { prefix: ctx.name('incr'), isIncremental: true }),
        'config.isIncrementalConsistencyGroup is false',
      );
    },
  ],
  [
    'take-snapshot with replicate: true answers 501 where the server has no consistency group replication; where it has, 409 for a group without a target, else each member snapshot replicates to completion (get-Progress)',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      if (ctx.flag('consistencyGroupReplication')) {
        const res = await ctx.api.post(`${cgPath(ctx)}?action=take-snapshot`, {
          prefix: ctx.name('repl'),
          replicate: true,
        });
        if (res.status !== 200) return expectError(res, 409, 'CONFLICT');
        // The group has a target: every member's snapshot is followed through get-Progress until it settles.
        const got = await ctx.api.get(cgPath(ctx));
        expectStatus(got, 200);
        for (const m of await memberSnapshots(ctx, (got.json as CgJson).volumeIds, (res.json as { id: string }).id)) {
          const path = `${ctx.srv}/volume/${enc(m.volumeId)}/snapshot/${enc(m.id)}?action=get-Progress`;
          const deadline = Date.now() + 30_000;
          for (;;) {
            const p = await ctx.api.post(path, {});
            expectStatus(p, 200);
            const st = (
              p.json as {
                snapshotReplicationStatus: { inProgress: boolean; isCompleted: boolean; percentComplete: number };
              }
            ).snapshotReplicationStatus;
            if (!st.inProgress) {
              ok(
                st.isCompleted,
                `the replication of member snapshot ${m.id} ended without completing`,
                p,
                '$.snapshotReplicationStatus',
              );
              expectSame(
                st.percentComplete,
                100,
                'a completed replication is 100% complete',
                p,
                '$.snapshotReplicationStatus.percentComplete',
              );
              break;
            }
            if (Date.now() > deadline)
              fail(
                `the replication of member snapshot ${m.id} was still in progress after 30 s`,
                p,
                '$.snapshotReplicationStatus',
              );
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        return;
      }
      expectUnsupported(
        await ctx.api.post(`${cgPath(ctx)}?action=take-snapshot`, { prefix: ctx.name('repl'), replicate: true }),
        'supports.consistencyGroupReplication is false',
      );
    },
  ],
  [
    'GET /consistencygroup pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      await checkPaging(ctx, `${ctx.srv}/consistencygroup`, 'consistencyGroups');
    },
  ],
  [
    'GET /consistencygroup/{id}/snapshot pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      if (ctx.cg?.ours) for (let i = 0; i < 2; i++) await takeSnapshot(ctx, ctx.name('page'));
      await checkPaging(ctx, `${cgPath(ctx)}/snapshot`, 'snapshots');
    },
  ],
]);
