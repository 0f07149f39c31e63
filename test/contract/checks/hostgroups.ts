/**
 * Host groups: list (members are hosts), map a volume to a group, paging. Where groups are not served the list is
 * empty (200, []: a CDM inventory walk lists every collection) and map answers 501 UNSUPPORTED.
 */
import { expectError, expectSame, expectStatus, fail, group, isUnsupported, ok, skip } from '../check';
import { enc } from '../context';
import { checkPaging } from './paging';

interface GroupJson {
  id: string;
  name: string;
  hostIds: string[];
}

export const hostGroupChecks = group('host groups', [
  [
    'GET /hostgroup lists the host groups, whose members are hosts (where groups are not served, the list is empty and map answers 501)',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/hostgroup`);
      if (isUnsupported(res))
        fail('a collection the array does not have is an empty list (200, []), not 501', res, 'status');
      expectStatus(res, 200);
      const groups = (res.json as { groups: GroupJson[] }).groups;
      // Whether groups are served shows in the action: map to a group that does not exist is 404, or 501.
      const probe = await ctx.api.post(`${ctx.srv}/hostgroup/${ctx.name('hg')}?action=map`, {
        volumeId: ctx.existingVolume ?? 'x',
      });
      if (isUnsupported(probe)) {
        ctx.setFeature('host groups', false, `${probe.endpoint} answered 501`);
        expectSame(groups, [], 'host groups are not served, so their list is empty', res, '$.groups');
        return;
      }
      ctx.setFeature('host groups', true, `${probe.endpoint} answered ${probe.status}`);
      for (const [i, g] of groups.slice(0, 10).entries()) {
        for (const h of g.hostIds)
          ok(
            (await ctx.api.get(`${ctx.srv}/host/${enc(h)}`)).status === 200,
            `member ${h} of group ${g.id} is not a host`,
            res,
            `$.groups[${i}].hostIds`,
          );
      }
      ctx.hostGroup = groups[0];
      ctx.note(`${groups.length} host group(s)`);
    },
  ],
  [
    'map of a volume to a host group answers the mapping',
    async (ctx) => {
      ctx.requireFeature('host groups');
      const g = ctx.hostGroup ?? skip('the array has no host group, and the contract cannot create one');
      // The array's own LUNs are left alone; a LUN of the suite's is deleted with its mapping by the cleanup.
      const lun = ctx.luns[ctx.luns.length - 1] ?? skip(`needs a LUN of the suite's own: ${ctx.fixtureNote}`);
      const res = await ctx.api.post(`${ctx.srv}/hostgroup/${enc(g.id)}?action=map`, { volumeId: lun.volumeId });
      expectStatus(res, 200);
      const m = res.json as { volumeId: string; lunId: string };
      expectSame(
        [m.volumeId, m.lunId],
        [lun.volumeId, lun.id],
        'the host group mapping names another volume or LUN',
        res,
      );
    },
  ],
  [
    'map to a host group that does not exist answers 404',
    async (ctx) => {
      ctx.requireFeature('host groups');
      const volumeId = ctx.luns[0]?.volumeId ?? ctx.existingVolume ?? skip('needs a volume');
      expectError(
        await ctx.api.post(`${ctx.srv}/hostgroup/${ctx.name('nohg')}?action=map`, { volumeId }),
        404,
        'NOT_FOUND',
      );
    },
  ],
  [
    'GET /hostgroup pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('host groups');
      await checkPaging(ctx, `${ctx.srv}/hostgroup`, 'groups');
    },
  ],
]);
