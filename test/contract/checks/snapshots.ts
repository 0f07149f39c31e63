/**
 * Volume snapshots: create (201 + Location), list, get, delete (204), replicate and get-Progress as the replication
 * flags say, paging.
 */
import {
  expectEpochMillis,
  expectError,
  expectSame,
  expectStatus,
  expectUnsupported,
  fail,
  group,
  ok,
  skip,
} from '../check';
import { type SuiteContext, enc } from '../context';
import { checkPaging } from './paging';

interface SnapshotJson {
  id: string;
  name: string;
  creationTime: number;
  consistencyGroupSnapshotId: string | null;
}

/**
 * The volume the snapshot checks work on: a fixture volume, else the array's first volume (only the suite's own
 * snapshots are touched).
 */
async function snapVolume(ctx: SuiteContext): Promise<string> {
  if (!ctx.snapVolume) {
    if (ctx.fixture) ctx.snapVolume = await ctx.scratchVolume('snapshots');
    else {
      ctx.snapVolume =
        ctx.existingVolume ?? skip(`no volume to take snapshots of, and no fixture to make one: ${ctx.fixtureNote}`);
      ctx.note(`snapshots are taken of existing volume ${ctx.snapVolume} and deleted afterwards`);
    }
  }
  return ctx.snapVolume;
}

const snapshots = (ctx: SuiteContext, vol: string) => `${ctx.srv}/volume/${enc(vol)}/snapshot`;

export const snapshotChecks = group('snapshots', [
  [
    'POST /snapshot answers 201 with the snapshot and a Location header that reads back the same snapshot',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const name = ctx.name('snap');
      const res = await ctx.api.post(snapshots(ctx, vol), { name });
      expectStatus(res, 201);
      const snap = res.json as SnapshotJson;
      ctx.created.push({ kind: 'snapshot', volumeId: vol, id: snap.id });
      expectSame(snap.name, name, 'the snapshot answers another name', res, '$.name');
      expectEpochMillis(snap.creationTime, res, '$.creationTime');
      const where = ctx.api.relative(res.headers.location);
      expectSame(
        where,
        `${snapshots(ctx, vol)}/${enc(snap.id)}`,
        'Location must name the new snapshot under its volume',
        res,
        'header Location',
      );
      const back = await ctx.api.get(where as string);
      expectStatus(back, 200);
      expectSame(back.json, snap, 'the snapshot at Location differs from the one created', back);
      ctx.snap = snap;
    },
  ],
  [
    'repeating a create with the same name and parameters answers the same snapshot; the same name with other parameters answers 409',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const name = ctx.name('retry');
      const first = await ctx.api.post(snapshots(ctx, vol), { name });
      expectStatus(first, 201);
      ctx.created.push({ kind: 'snapshot', volumeId: vol, id: (first.json as SnapshotJson).id });
      // A client retry after a lost answer must not make a second snapshot.
      const again = await ctx.api.post(snapshots(ctx, vol), { name });
      expectStatus(again, 201);
      expectSame(again.json, first.json, 'a repeated create answered another snapshot', again);
      expectError(await ctx.api.post(snapshots(ctx, vol), { name, isAutoDelete: true }), 409, 'CONFLICT');
    },
  ],
  [
    'identical creates sent at once make one snapshot: every answer is 201 with the same snapshot',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const name = ctx.name('burst');
      // A client that retries before the first answer arrives must not end up with several snapshots.
      const answers = await Promise.all([1, 2, 3].map(() => ctx.api.post(snapshots(ctx, vol), { name })));
      for (const a of answers) expectStatus(a, 201);
      ctx.created.push({ kind: 'snapshot', volumeId: vol, id: (answers[0].json as SnapshotJson).id });
      for (const a of answers.slice(1))
        expectSame(a.json, answers[0].json, 'identical creates answered different snapshots', a);
      const list = await ctx.api.get(snapshots(ctx, vol));
      expectSame(
        (list.json as { snapshots: SnapshotJson[] }).snapshots.filter((s) => s.name === name).length,
        1,
        `snapshots named ${name}`,
        list,
        '$.snapshots',
      );
    },
  ],
  [
    'the snapshot is listed on its volume, and on no other',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const snap = ctx.snap ?? skip('needs the snapshot of the create check');
      const res = await ctx.api.get(snapshots(ctx, vol));
      expectStatus(res, 200);
      const listed = (res.json as { snapshots: SnapshotJson[] }).snapshots.find((s) => s.id === snap.id);
      ok(listed, `snapshot ${snap.id} is not listed on its volume`, res, '$.snapshots');
      expectSame(listed, snap, 'the listed snapshot differs from the created one', res, '$.snapshots[]');
      if (!ctx.fixture) return ctx.note('not checked against another volume: no fixture to make one');
      const other = await ctx.scratchVolume('another volume');
      const elsewhere = await ctx.api.get(snapshots(ctx, other));
      expectStatus(elsewhere, 200);
      ok(
        !(elsewhere.json as { snapshots: SnapshotJson[] }).snapshots.some((s) => s.id === snap.id),
        'the snapshot is listed on another volume',
        elsewhere,
        '$.snapshots',
      );
    },
  ],
  [
    'a snapshot id under a volume it does not belong to answers 404, for GET and DELETE',
    async (ctx) => {
      const snap = ctx.snap ?? skip('needs the snapshot of the create check');
      const other = await ctx.scratchVolume('another volume');
      expectError(await ctx.api.get(`${snapshots(ctx, other)}/${enc(snap.id)}`), 404, 'NOT_FOUND');
      expectError(await ctx.api.del(`${snapshots(ctx, other)}/${enc(snap.id)}`), 404, 'NOT_FOUND');
      expectStatus(await ctx.api.get(`${snapshots(ctx, await snapVolume(ctx))}/${enc(snap.id)}`), 200);
    },
  ],
  [
    "POST /snapshot naming the volume's own pool answers 201",
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const v = await ctx.api.get(`${ctx.srv}/volume/${enc(vol)}`);
      expectStatus(v, 200);
      const res = await ctx.api.post(snapshots(ctx, vol), {
        name: ctx.name('inpool'),
        poolId: (v.json as { poolId: string }).poolId,
        isAutoDelete: false,
      });
      expectStatus(res, 201);
      ctx.created.push({ kind: 'snapshot', volumeId: vol, id: (res.json as SnapshotJson).id });
    },
  ],
  [
    'replicate: true makes a replicated snapshot where the server has newSnapshotReplication (409 and nothing made when the volume has no replication target), else answers 501 and makes nothing',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const name = ctx.name('repl');
      const res = await ctx.api.post(snapshots(ctx, vol), { name, replicate: true });
      if (ctx.flag('newSnapshotReplication') && res.status !== 409) {
        expectStatus(res, 201);
        ctx.created.push({ kind: 'snapshot', volumeId: vol, id: (res.json as SnapshotJson).id });
        ctx.replicated = res.json as SnapshotJson;
        return;
      }
      if (ctx.flag('newSnapshotReplication')) {
        // The contract cannot set a replication target up: a volume without one is refused, not half-done.
        expectError(res, 409, 'CONFLICT');
        ctx.replicationRefused = true;
      } else {
        expectUnsupported(res, 'supports.newSnapshotReplication is false');
      }
      const list = await ctx.api.get(snapshots(ctx, vol));
      expectStatus(list, 200);
      ok(
        !(list.json as { snapshots: SnapshotJson[] }).snapshots.some((s) => s.name === name),
        'the refused replicated snapshot was made anyway',
        list,
        '$.snapshots',
      );
    },
  ],
  [
    'get-Progress reports the replication of a snapshot where the server replicates snapshots, else answers 501',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const snap = ctx.snap ?? skip('needs the snapshot of the create check');
      if (!ctx.flag('newSnapshotReplication')) {
        const res = await ctx.api.post(`${snapshots(ctx, vol)}/${enc(snap.id)}?action=get-Progress`, {
          destinationSnapshotId: snap.name,
          destinationServerId: ctx.serverId,
        });
        return expectUnsupported(res, 'supports.newSnapshotReplication is false');
      }
      if (ctx.replicationRefused)
        skip('the volume has no replication target on the array (replicate answered 409), so no transfer to follow');
      const replicated = ctx.replicated ?? skip('needs the replicated snapshot of the replicate check');
      const res = await ctx.api.post(`${snapshots(ctx, vol)}/${enc(replicated.id)}?action=get-Progress`, {});
      expectStatus(res, 200);
      const body = res.json as {
        name: string;
        snapshotReplicationStatus: { percentComplete: number; isCompleted: boolean };
      };
      expectSame(body.name, replicated.name, 'the progress names another snapshot', res, '$.name');
      if (body.snapshotReplicationStatus.isCompleted)
        expectSame(
          body.snapshotReplicationStatus.percentComplete,
          100,
          'a completed replication is 100% complete',
          res,
          '$.snapshotReplicationStatus.percentComplete',
        );
    },
  ],
  [
    'DELETE /snapshot/{id} answers 204 with no body; the snapshot is then gone (404), and deleting again answers 404',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      const snap = await ctx.snapshot(vol);
      const path = `${snapshots(ctx, vol)}/${enc(snap.id)}`;
      expectStatus(await ctx.api.del(path), 204);
      expectError(await ctx.api.get(path), 404, 'NOT_FOUND');
      expectError(await ctx.api.del(path), 404, 'NOT_FOUND');
      const list = await ctx.api.get(snapshots(ctx, vol));
      if ((list.json as { snapshots: SnapshotJson[] }).snapshots.some((s) => s.id === snap.id))
        fail('the deleted snapshot is still listed', list, '$.snapshots');
    },
  ],
  [
    'GET /snapshot pages with limit and start',
    async (ctx) => {
      const vol = await snapVolume(ctx);
      for (let i = 0; i < 3; i++) await ctx.snapshot(vol);
      await checkPaging(ctx, snapshots(ctx, vol), 'snapshots');
    },
  ],
]);
