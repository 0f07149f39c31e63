/**
 * 404 NOT_FOUND for unknown ids at every level of the tree; a feature the plugin does not serve may answer its 501
 * instead.
 */
import { expectError, group, isUnsupported, skip } from '../check';
import type { Answer } from '../client';
import { type SuiteContext, enc } from '../context';

/** Numeric, as most arrays number their objects, and far beyond what a test array holds. */
const MISSING = '987654321';

/**
 * 404 NOT_FOUND, or the 501 of a feature the plugin does not serve (a plugin may check the feature
 * before the id). A 501 for a feature not yet asked about marks it as not served.
 */
function expectMissing(ctx: SuiteContext, res: Answer, feature?: string): void {
  if (feature && isUnsupported(res) && ctx.features.get(feature)?.supported !== true) {
    if (!ctx.features.has(feature)) ctx.setFeature(feature, false, `${res.endpoint} answered 501`);
    return;
  }
  expectError(res, 404, 'NOT_FOUND');
}

/** A volume whose snapshots may be asked about: the snapshot checks' volume, else the array's first. */
const someVolume = (ctx: SuiteContext) =>
  ctx.snapVolume ?? ctx.existingVolume ?? skip('needs a volume, and the array lists none');

export const missingIdChecks = group('errors: unknown ids', [
  [
    'an unknown server answers 404 on itself and on every collection under it',
    async (ctx) => {
      void ctx.sid;
      const s = `/server/${MISSING}`;
      for (const p of ['', '/system', '/volume', '/pool', '/network', '/host'])
        expectMissing(ctx, await ctx.api.get(s + p));
      // Collections the array may not have are still collections (empty where it lacks them): 404 here too.
      for (const p of ['/lun', '/hostgroup', '/consistencygroup', '/remotearray'])
        expectError(await ctx.api.get(s + p), 404, 'NOT_FOUND');
    },
  ],
  [
    'an unknown volume answers 404 on read, delete, its snapshots and its actions',
    async (ctx) => {
      const v = `${ctx.srv}/volume/${MISSING}`;
      expectMissing(ctx, await ctx.api.get(v));
      expectMissing(ctx, await ctx.api.del(v));
      expectMissing(ctx, await ctx.api.get(`${v}/snapshot`));
      expectMissing(ctx, await ctx.api.post(`${v}/snapshot`, { name: ctx.name('snap') }));
      expectMissing(ctx, await ctx.api.get(`${v}/splitstatus`), 'split');
      expectMissing(ctx, await ctx.api.post(`${v}?action=mount`, {}), 'mount');
      expectMissing(
        ctx,
        await ctx.api.post(`${v}?action=clone`, { snapshot: { id: MISSING }, name: ctx.name('clone') }),
        'clone',
      );
    },
  ],
  [
    'an unknown snapshot answers 404 on read, delete, get-Progress, and as the source of clone and the restores',
    async (ctx) => {
      const v = `${ctx.srv}/volume/${enc(someVolume(ctx))}`;
      const s = `${v}/snapshot/${MISSING}`;
      expectMissing(ctx, await ctx.api.get(s));
      expectMissing(ctx, await ctx.api.del(s));
      expectMissing(ctx, await ctx.api.post(`${s}?action=get-Progress`, {}), 'snapshot replication');
      expectMissing(
        ctx,
        await ctx.api.post(`${v}?action=clone`, { snapshot: { id: MISSING }, name: ctx.name('clone') }),
        'clone',
      );
      expectMissing(ctx, await ctx.api.post(`${v}?action=restore`, { snapshotId: MISSING }), 'restore');
      expectMissing(
        ctx,
        await ctx.api.post(`${v}?action=restore-to-new`, {
          sourceSnapshotId: MISSING,
          targetVolumeName: ctx.name('new'),
        }),
        'restore-to-new',
      );
      expectMissing(
        ctx,
        await ctx.api.post(`${v}?action=restore-to-alternate`, {
          sourceSnapshotId: MISSING,
          targetVolumeId: someVolume(ctx),
        }),
        'restore-to-alternate',
      );
    },
  ],
  [
    'an unknown LUN answers 404 on read and online',
    async (ctx) => {
      const l = `${ctx.srv}/lun/${MISSING}`;
      expectMissing(ctx, await ctx.api.get(l), 'LUNs');
      expectMissing(ctx, await ctx.api.post(`${l}?action=online`), 'LUNs');
    },
  ],
  [
    'an unknown host answers 404 on read, its LUN list, map and unmap',
    async (ctx) => {
      const h = `${ctx.srv}/host/${MISSING}`;
      expectMissing(ctx, await ctx.api.get(h));
      expectMissing(ctx, await ctx.api.get(`${h}/lun`), 'host mapping');
      expectMissing(
        ctx,
        await ctx.api.post(`${h}?action=map`, { volumeId: ctx.luns[0]?.volumeId ?? someVolume(ctx) }),
        'host mapping',
      );
      expectMissing(
        ctx,
        await ctx.api.post(`${h}?action=unmap`, { lunId: ctx.luns[0]?.id ?? MISSING }),
        'host mapping',
      );
    },
  ],
  [
    'an unknown host group, network, pool and consistency group answer 404',
    async (ctx) => {
      expectMissing(
        ctx,
        await ctx.api.post(`${ctx.srv}/hostgroup/${MISSING}?action=map`, { volumeId: someVolume(ctx) }),
        'host groups',
      );
      expectMissing(ctx, await ctx.api.get(`${ctx.srv}/network/${MISSING}`));
      expectMissing(ctx, await ctx.api.get(`${ctx.srv}/pool/${MISSING}`));
      const cg = `${ctx.srv}/consistencygroup/${MISSING}`;
      expectMissing(ctx, await ctx.api.get(cg), 'consistency groups');
      expectMissing(ctx, await ctx.api.get(`${cg}/snapshot`), 'consistency groups');
      expectMissing(ctx, await ctx.api.post(`${cg}?action=take-snapshot`, {}), 'consistency groups');
      expectMissing(
        ctx,
        await ctx.api.post(`${cg}?action=add-volume`, { volumeId: someVolume(ctx) }),
        'consistency groups',
      );
    },
  ],
  [
    'a volume that does not exist answers 404 when added to a group',
    async (ctx) => {
      ctx.requireFeature('consistency groups');
      const cg = ctx.cg?.ours ? ctx.cg.id : skip("needs a group of the suite's own");
      expectMissing(
        ctx,
        await ctx.api.post(`${ctx.srv}/consistencygroup/${enc(cg)}?action=add-volume`, { volumeId: MISSING }),
      );
    },
  ],
  [
    'a path that is not in the contract answers a JSON 404',
    async (ctx) => {
      expectError(await ctx.api.get(`${ctx.srv}/teapot`), 404, 'NOT_FOUND');
      expectError(await ctx.api.get('/nowhere'), 404, 'NOT_FOUND');
    },
  ],
]);
