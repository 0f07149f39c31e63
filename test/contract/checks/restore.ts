/**
 * Restore, restore-to-alternate and restore-to-new, proven by content through the fixture; unknown snapshots, volumes
 * and pools answer 404.
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
import type { Answer } from '../client';
import { type SuiteContext, enc } from '../context';
import { expectVolumeHolds, payload, sourceWithSnapshot, vol } from './content';
import type { VolumeJson } from './volumes';

/**
 * A 501 the first time marks the feature as not served and skips; after that the answer must be a success or the
 * expected error.
 */
function served(ctx: SuiteContext, feature: string, res: Answer): void {
  if (isUnsupported(res) && !ctx.features.has(feature)) {
    ctx.setFeature(feature, false, `${res.endpoint} answered 501`);
    skip(`${feature}: the plugin answers 501 UNSUPPORTED`);
  }
  if (!ctx.features.has(feature) && res.status < 300)
    ctx.features.set(feature, { supported: true, evidence: `${res.endpoint} answered ${res.status}` });
}

export const restoreChecks = group('volume restores', [
  [
    'restore brings back the snapshot content (write A, snapshot, write B, restore, read A) where the volume says revert',
    async (ctx) => {
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'restore');
      const v = await ctx.api.get(vol(ctx, volumeId));
      expectStatus(v, 200);
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore`, { snapshotId: snap.id });
      if (!(v.json as VolumeJson).supports.revert) {
        ctx.setFeature('restore', false, `volume ${volumeId} says supports.revert false`);
        return expectUnsupported(res, `volume ${volumeId} says supports.revert false`);
      }
      if (isUnsupported(res))
        fail(`volume ${volumeId} says supports.revert true, yet restore answers 501`, res, 'status');
      expectStatus(res, 200);
      ctx.features.set('restore', { supported: true, evidence: `${res.endpoint} answered 200` });
      expectSame((res.json as VolumeJson).id, volumeId, 'restore answers another volume', res, '$.id');
      await expectVolumeHolds(ctx, volumeId, A, 'the restored volume holds the snapshot content');
    },
  ],
  [
    "restore with another volume's snapshot answers 404 and leaves the content alone",
    async (ctx) => {
      ctx.requireFeature('restore');
      const a = await sourceWithSnapshot(ctx, 'restore');
      const b = await sourceWithSnapshot(ctx, 'restore');
      expectError(
        await ctx.api.post(`${vol(ctx, a.volumeId)}?action=restore`, { snapshotId: b.snap.id }),
        404,
        'NOT_FOUND',
      );
      await expectVolumeHolds(ctx, a.volumeId, a.B, 'a refused restore leaves the volume as it was');
    },
  ],
  [
    'restore-to-alternate puts the snapshot content into another volume and answers that volume',
    async (ctx) => {
      const { volumeId, snap, A, B } = await sourceWithSnapshot(ctx, 'restore-to-alternate');
      const targetId = await ctx.scratchVolume('restore-to-alternate', 'filesystem', payload());
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-alternate`, {
        sourceSnapshotId: snap.id,
        targetVolumeId: targetId,
      });
      served(ctx, 'restore-to-alternate', res);
      expectStatus(res, 200);
      expectSame(
        (res.json as VolumeJson).id,
        targetId,
        'restore-to-alternate answers another volume than the target',
        res,
        '$.id',
      );
      await expectVolumeHolds(ctx, targetId, A, 'the alternate volume holds the snapshot content');
      await expectVolumeHolds(ctx, volumeId, B, 'the source volume is left alone');
    },
  ],
  [
    'restore-to-alternate into a volume that does not exist answers 404',
    async (ctx) => {
      ctx.requireFeature('restore-to-alternate');
      const { volumeId, snap } = await sourceWithSnapshot(ctx, 'restore-to-alternate');
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-alternate`, {
        sourceSnapshotId: snap.id,
        targetVolumeId: ctx.name('novol'),
      });
      expectError(res, 404, 'NOT_FOUND');
    },
  ],
  [
    'restore-to-new makes a new volume with the snapshot content, in the pool asked for',
    async (ctx) => {
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'restore-to-new');
      const source = (await ctx.api.get(vol(ctx, volumeId))).json as VolumeJson;
      const name = ctx.name('new');
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-new`, {
        sourceSnapshotId: snap.id,
        targetVolumeName: name,
        targetPoolIds: [source.poolId],
      });
      served(ctx, 'restore-to-new', res);
      expectStatus(res, 200);
      const made = res.json as VolumeJson;
      ctx.madeVolume(made.id, made.name);
      expectSame(made.name, name, 'the new volume answers another name', res, '$.name');
      expectSame(made.poolId, source.poolId, 'the new volume is not in the pool asked for', res, '$.poolId');
      ok(made.id !== volumeId, 'restore-to-new answers the source volume', res, '$.id');
      await expectVolumeHolds(ctx, made.id, A, 'the new volume holds the snapshot content');
      // A retry of the same restore must answer the same volume, not make a second one.
      const again = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-new`, {
        sourceSnapshotId: snap.id,
        targetVolumeName: name,
        targetPoolIds: [source.poolId],
      });
      expectStatus(again, 200);
      expectSame(
        (again.json as VolumeJson).id,
        made.id,
        'a repeated restore-to-new answered another volume',
        again,
        '$.id',
      );
      if (made.supports.split !== 'NOT_NEEDED')
        return ctx.note(`the new volume says split ${made.supports.split}: its snapshot stays`);
      // It says it is independent: its snapshot can go and the content stays.
      expectStatus(await ctx.api.del(`${vol(ctx, volumeId)}/snapshot/${enc(snap.id)}`), 204);
      await expectVolumeHolds(ctx, made.id, A, 'the new volume keeps its content once the snapshot is gone');
    },
  ],
  [
    'restore-to-new without targetPoolIds picks a pool of the server itself',
    async (ctx) => {
      ctx.requireFeature('restore-to-new');
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'restore-to-new');
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-new`, {
        sourceSnapshotId: snap.id,
        targetVolumeName: ctx.name('new'),
      });
      expectStatus(res, 200);
      const made = res.json as VolumeJson;
      ctx.madeVolume(made.id, made.name);
      const pools = await ctx.api.get(`${ctx.srv}/pool`);
      ok(
        (pools.json as { pools: { id: string }[] }).pools.some((p) => p.id === made.poolId),
        `the new volume is in pool ${made.poolId}, which GET /pool does not list`,
        res,
        '$.poolId',
      );
      await expectVolumeHolds(ctx, made.id, A, 'the new volume holds the snapshot content');
    },
  ],
  [
    'restore-to-new into a pool that does not exist answers 404 and leaves no volume behind',
    async (ctx) => {
      ctx.requireFeature('restore-to-new');
      const { volumeId, snap } = await sourceWithSnapshot(ctx, 'restore-to-new');
      const name = ctx.name('nopool');
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=restore-to-new`, {
        sourceSnapshotId: snap.id,
        targetVolumeName: name,
        targetPoolIds: [ctx.name('nopool')],
      });
      expectError(res, 404, 'NOT_FOUND');
      const list = await ctx.api.get(`${ctx.srv}/volume`);
      expectStatus(list, 200);
      ok(
        !(list.json as { volumes: VolumeJson[] }).volumes.some((v) => v.name === name),
        'a volume was left behind by the refused restore',
        list,
        '$.volumes',
      );
    },
  ],
]);
