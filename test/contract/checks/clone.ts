/**
 * Volume clone, split (+ splitstatus) and mount, proven by content through the fixture; a clone's split flag must tell
 * the truth.
 */
import {
  eventually,
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
import { expectSnapshotHolds, expectVolumeHolds, payload, sourceWithSnapshot, vol } from './content';
import type { VolumeJson } from './volumes';

/** POST ?action=clone; the new volume is recorded for the cleanup. A 501 marks clone as not served and skips. */
async function clone(
  ctx: SuiteContext,
  volumeId: string,
  body: Record<string, unknown>,
): Promise<{ res: Answer; clone: VolumeJson }> {
  const name = ctx.name('clone');
  const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=clone`, { name, ...body });
  if (isUnsupported(res) && !ctx.features.has('clone')) {
    ctx.setFeature('clone', false, `${res.endpoint} answered 501`);
    skip('clone: the plugin answers 501 UNSUPPORTED');
  }
  expectStatus(res, 200);
  ctx.features.set('clone', { supported: true, evidence: `${res.endpoint} answered 200` });
  const c = res.json as VolumeJson;
  ctx.madeVolume(c.id, c.name);
  expectSame(c.name, name, 'the clone answers another name than the one asked for', res, '$.name');
  ok(c.id !== volumeId, 'the clone answers the id of its source', res, '$.id');
  return { res, clone: c };
}

/** Polls splitstatus until complete; it must then say 100%. */
async function untilSplit(ctx: SuiteContext, volumeId: string): Promise<void> {
  let last: Answer | undefined;
  await eventually(
    `the split of volume ${volumeId}`,
    async () => {
      last = await ctx.api.get(`${vol(ctx, volumeId)}/splitstatus`);
      expectStatus(last, 200);
      return (last.json as { complete: boolean }).complete ? true : undefined;
    },
    30_000,
    250,
  );
  expectSame(
    (last!.json as { percentageComplete: number }).percentageComplete,
    100,
    'a complete split is 100% complete',
    last,
    '$.percentageComplete',
  );
}

export const cloneChecks = group('volume actions', [
  [
    "clone by snapshot id answers the new volume, which holds the snapshot's content; writing it leaves the source alone",
    async (ctx) => {
      const { volumeId, snap, A, B } = await sourceWithSnapshot(ctx, 'clone');
      const { clone: c, res } = await clone(ctx, volumeId, { snapshot: { id: snap.id } });
      const listed = await ctx.api.get(`${ctx.srv}/volume`);
      expectStatus(listed, 200);
      ok(
        (listed.json as { volumes: VolumeJson[] }).volumes.some((v) => v.id === c.id),
        `the clone ${c.id} is not listed`,
        listed,
        '$.volumes',
      );
      const pools = await ctx.api.get(`${ctx.srv}/pool`);
      ok(
        (pools.json as { pools: { id: string }[] }).pools.some((p) => p.id === c.poolId),
        `the clone is in pool ${c.poolId}, which GET /pool does not list`,
        res,
        '$.poolId',
      );
      await expectVolumeHolds(ctx, c.id, A, 'the clone holds the snapshot content');
      const C = payload();
      await ctx.needFixture('clone').write(c.id, C);
      await expectVolumeHolds(ctx, volumeId, B, 'the source keeps its own content when the clone is written');
      await expectSnapshotHolds(ctx, volumeId, snap.id, A, 'the snapshot keeps its content when the clone is written');
    },
  ],
  [
    'repeating a clone answers the same clone; the same name from another snapshot answers 409',
    async (ctx) => {
      ctx.requireFeature('clone');
      const { volumeId, snap } = await sourceWithSnapshot(ctx, 'clone retry');
      const { clone: c } = await clone(ctx, volumeId, { snapshot: { id: snap.id } });
      const again = await ctx.api.post(`${vol(ctx, volumeId)}?action=clone`, {
        snapshot: { id: snap.id },
        name: c.name,
      });
      expectStatus(again, 200);
      expectSame((again.json as VolumeJson).id, c.id, 'a repeated clone answered another volume', again, '$.id');
      const other = await ctx.snapshot(volumeId);
      const res = await ctx.api.post(`${vol(ctx, volumeId)}?action=clone`, {
        snapshot: { id: other.id },
        name: c.name,
      });
      if (res.status === 200) ctx.madeVolume((res.json as VolumeJson).id, c.name);
      expectError(res, 409, 'CONFLICT');
    },
  ],
  [
    'clone by snapshot name works too',
    async (ctx) => {
      ctx.requireFeature('clone');
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'clone by name');
      const { clone: c } = await clone(ctx, volumeId, { snapshot: { name: snap.name } });
      await expectVolumeHolds(ctx, c.id, A, 'the clone by name holds the snapshot content');
    },
  ],
  [
    "a clone's split flag tells the truth: NOT_NEEDED frees its snapshot at once, otherwise snapshot and source are protected (409)",
    async (ctx) => {
      ctx.requireFeature('clone');
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'clone dependency');
      const { clone: c } = await clone(ctx, volumeId, { snapshot: { id: snap.id } });
      const snapPath = `${vol(ctx, volumeId)}/snapshot/${enc(snap.id)}`;
      const del = await ctx.api.del(snapPath);
      if (c.supports.split === 'NOT_NEEDED') {
        if (del.status !== 204)
          fail(
            `the clone says split NOT_NEEDED (independent), yet deleting its snapshot answers ${del.status}`,
            del,
            'status',
          );
        return expectVolumeHolds(ctx, c.id, A, 'an independent clone keeps its content when its snapshot goes');
      }
      if (del.status === 204)
        fail(
          `the clone says split ${c.supports.split} (dependent), yet its snapshot was deleted under it`,
          del,
          'status',
        );
      expectError(del, 409, 'CONFLICT');
      expectError(await ctx.api.del(vol(ctx, volumeId)), 409, 'CONFLICT');
      expectStatus(await ctx.api.get(snapPath), 200);
      await expectVolumeHolds(ctx, c.id, A, 'the clone still holds its content');
      expectStatus(await ctx.api.del(vol(ctx, c.id)), 200);
      expectStatus(await ctx.api.del(snapPath), 204);
    },
  ],
  [
    'a clone with instantSplit is independent: its snapshot can be deleted and the clone keeps the content',
    async (ctx) => {
      ctx.requireFeature('clone');
      const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'instant split');
      const { clone: c } = await clone(ctx, volumeId, { snapshot: { id: snap.id }, instantSplit: true });
      // A split that runs in the background must finish before the snapshot is free.
      if (c.supports.split !== 'NOT_NEEDED') await untilSplit(ctx, c.id);
      expectStatus(await ctx.api.del(`${vol(ctx, volumeId)}/snapshot/${enc(snap.id)}`), 204);
      await expectVolumeHolds(ctx, c.id, A, 'the instantly split clone keeps the snapshot content');
    },
  ],
  [
    'split follows the volume split flag: ANY_TIME/FROM_SNAPSHOT split and splitstatus reaches 100%; NONE answers 501',
    async (ctx) => {
      let target: VolumeJson;
      let after: (() => Promise<void>) | undefined;
      if (ctx.features.get('clone')?.supported) {
        const { volumeId, snap, A } = await sourceWithSnapshot(ctx, 'split');
        target = (await clone(ctx, volumeId, { snapshot: { id: snap.id } })).clone;
        after = async () => {
          expectStatus(await ctx.api.del(`${vol(ctx, volumeId)}/snapshot/${enc(snap.id)}`), 204);
          await expectVolumeHolds(ctx, target.id, A, 'the split clone keeps its content once the snapshot is gone');
        };
      } else {
        // Without clones, an ordinary volume's flag must still hold.
        const res = await ctx.api.get(vol(ctx, await ctx.scratchVolume('split')));
        expectStatus(res, 200);
        target = res.json as VolumeJson;
      }
      const flag = target.supports.split;
      ctx.note(`split flag of volume ${target.id}: ${flag}`);
      const res = await ctx.api.post(`${vol(ctx, target.id)}?action=split`);
      if (flag === 'NONE') {
        expectUnsupported(res, `volume ${target.id} says split NONE`);
        const status = await ctx.api.get(`${vol(ctx, target.id)}/splitstatus`);
        if (status.status !== 200) expectUnsupported(status, `volume ${target.id} says split NONE`);
        return;
      }
      if (flag === 'NOT_NEEDED') {
        if (isUnsupported(res)) return;
        expectStatus(res, 200);
        expectSame(
          (res.json as { complete: boolean }).complete,
          true,
          'a volume that needs no split is split at once',
          res,
          '$.complete',
        );
        return;
      }
      if (!after) skip(`volume ${target.id} says split ${flag}, but without clones there is nothing to split`);
      expectStatus(res, 200);
      await untilSplit(ctx, target.id);
      await after();
    },
  ],
  [
    'mount exports a filesystem volume and answers its path (path null where the array made a block volume; 501 where mount is not served)',
    async (ctx) => {
      const id = await ctx.scratchVolume('mount');
      const asked = `/${ctx.name('mnt')}`;
      const res = await ctx.api.post(`${vol(ctx, id)}?action=mount`, { path: asked });
      if (isUnsupported(res)) {
        ctx.setFeature('mount', false, `${res.endpoint} answered 501`);
        return skip('mount: the plugin answers 501 UNSUPPORTED');
      }
      expectStatus(res, 200);
      ctx.setFeature('mount', true, `${res.endpoint} answered 200`);
      const path = (res.json as { path: string | null }).path;
      const kind = ((await ctx.api.get(vol(ctx, id))).json as { volumeType?: string } | undefined)?.volumeType;
      if (kind === 'lun') {
        // An array of block volumes only: the volume is made usable and has no path.
        expectSame(path, null, 'a block (LUN) volume has no mount path', res, '$.path');
        return ctx.note('the array made a block volume: mounted with path null');
      }
      ok(typeof path === 'string' && path.length > 0, 'the mount path is empty', res, '$.path');
      const again = await ctx.api.post(`${vol(ctx, id)}?action=mount`, {});
      expectStatus(again, 200);
      // The guide's "if applicable": an array with fixed export paths may answer its own.
      ctx.note(path === asked ? `mounted at ${path}, as asked` : `asked for ${asked}, mounted at ${path}`);
    },
  ],
]);
