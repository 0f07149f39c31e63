/** Volumes: list, get, delete, and paging; a volume made through the fixture must show up as the array made it. */
import { randomBytes } from 'node:crypto';
import { expectEpochMillis, expectError, expectSame, expectStatus, group, ok } from '../check';
import { enc } from '../context';
import { checkPaging } from './paging';

export interface VolumeJson {
  id: string;
  name: string;
  creationTime: number;
  poolId: string;
  volumeType: string;
  serverGroupKey: string;
  stats: { size: number; usedSize: number };
  supports: { revert: boolean; split: 'NONE' | 'ANY_TIME' | 'NOT_NEEDED' | 'FROM_SNAPSHOT' };
}

/** What must not change between two reads of a volume (its use may). */
const identity = (v: VolumeJson) => ({
  id: v.id,
  name: v.name,
  creationTime: v.creationTime,
  poolId: v.poolId,
  volumeType: v.volumeType,
  serverGroupKey: v.serverGroupKey,
});

export const volumeChecks = group('volumes', [
  [
    'GET /volume lists the volumes; each reads back as listed, in a pool the server lists',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/volume`);
      expectStatus(res, 200);
      const volumes = (res.json as { volumes: VolumeJson[] }).volumes;
      const pools = await ctx.api.get(`${ctx.srv}/pool`);
      expectStatus(pools, 200);
      const poolIds = (pools.json as { pools: { id: string }[] }).pools.map((p) => p.id);
      // Reading every volume of a big array would be slow; the first ones show the pattern.
      for (const [i, v] of volumes.slice(0, 10).entries()) {
        ok(
          poolIds.includes(v.poolId),
          `volume ${v.id} is in pool ${v.poolId}, which GET /pool does not list`,
          res,
          `$.volumes[${i}].poolId`,
        );
        expectEpochMillis(v.creationTime, res, `$.volumes[${i}].creationTime`);
        const one = await ctx.api.get(`${ctx.srv}/volume/${enc(v.id)}`);
        expectStatus(one, 200);
        expectSame(
          identity(one.json as VolumeJson),
          identity(v),
          `volume ${v.id} reads differently from its list entry`,
          one,
        );
      }
      ctx.existingVolume = volumes[0]?.id;
      ctx.note(`${volumes.length} volume(s)`);
    },
  ],
  [
    'a volume made on the array is listed and reads back with its name',
    async (ctx) => {
      const id = await ctx.scratchVolume('a new volume');
      const res = await ctx.api.get(`${ctx.srv}/volume/${enc(id)}`);
      expectStatus(res, 200);
      const v = res.json as VolumeJson;
      expectSame(v.id, id, 'the volume answers another id', res, '$.id');
      const list = await ctx.api.get(`${ctx.srv}/volume`);
      expectStatus(list, 200);
      ok(
        (list.json as { volumes: VolumeJson[] }).volumes.some((x) => x.id === id),
        `volume ${id} is not listed`,
        list,
        '$.volumes',
      );
    },
  ],
  [
    "a volume's usedSize follows its content, within its size, and its pool's free space falls",
    async (ctx) => {
      const id = await ctx.scratchVolume('usedSize');
      const read = async () => {
        const res = await ctx.api.get(`${ctx.srv}/volume/${enc(id)}`);
        expectStatus(res, 200);
        const v = res.json as VolumeJson;
        const pool = await ctx.api.get(`${ctx.srv}/pool/${enc(v.poolId)}`);
        expectStatus(pool, 200);
        return { res, v, free: (pool.json as { freeSpace: number }).freeSpace };
      };
      const before = await read();
      const bytes = 4 << 20;
      await ctx.needFixture('usedSize').write(id, randomBytes(bytes));
      const after = await read();
      ok(
        after.v.stats.usedSize - before.v.stats.usedSize >= bytes,
        `usedSize grew by ${after.v.stats.usedSize - before.v.stats.usedSize} bytes after ${bytes} bytes were written`,
        after.res,
        '$.stats.usedSize',
      );
      ok(
        after.v.stats.usedSize <= after.v.stats.size,
        `usedSize ${after.v.stats.usedSize} exceeds size ${after.v.stats.size}`,
        after.res,
        '$.stats.usedSize',
      );
      // Written data takes pool space (thin or not); on a busy shared array a delete elsewhere could hide it, so use a
      // quiet one.
      ok(
        before.free - after.free >= bytes,
        `the pool's free space fell by ${before.free - after.free} bytes after ${bytes} bytes were written`,
        after.res,
        '$.freeSpace',
      );
    },
  ],
  [
    'DELETE /volume/{id} answers 200 with no body; the volume is then gone (404), and deleting again answers 404',
    async (ctx) => {
      const id = await ctx.scratchVolume('deleting a volume');
      const path = `${ctx.srv}/volume/${enc(id)}`;
      expectStatus(await ctx.api.del(path), 200);
      expectError(await ctx.api.get(path), 404, 'NOT_FOUND');
      expectError(await ctx.api.del(path), 404, 'NOT_FOUND');
    },
  ],
  [
    'GET /volume pages with limit and start',
    async (ctx) => {
      // With a fixture, make sure there is something to page through.
      if (ctx.fixture) for (let i = 0; i < 3; i++) await ctx.scratchVolume('paging');
      await checkPaging(ctx, `${ctx.srv}/volume`, 'volumes');
    },
  ],
]);
