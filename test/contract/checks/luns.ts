/**
 * LUNs: list and get (each LUN names a volume), online, paging; where LUNs are not served the list is empty, a LUN
 * 404 and online 501.
 */
import { expectError, expectSame, expectStatus, fail, group, isUnsupported, ok, skip } from '../check';
import { type SuiteContext, enc } from '../context';
import { checkPaging } from './paging';

export interface LunJson {
  id: string;
  name: string;
  naaId: string;
  serialNumber: string;
  volumeId: string;
}

/** The LUN the array shows for a new LUN volume made through the fixture (recorded for later checks). */
export async function newLun(ctx: SuiteContext, purpose: string): Promise<LunJson> {
  ctx.requireFeature('LUNs');
  const volumeId = await ctx.scratchVolume(purpose, 'lun');
  const res = await ctx.api.get(`${ctx.srv}/lun`);
  expectStatus(res, 200);
  const lun = (res.json as { luns: LunJson[] }).luns.find((l) => l.volumeId === volumeId);
  ok(lun, `the new LUN volume ${volumeId} has no LUN in GET /lun`, res, '$.luns');
  return lun;
}

export const lunChecks = group('LUNs', [
  [
    'GET /lun lists the LUNs (where LUNs are not served, the list is empty, a LUN 404 and online 501 UNSUPPORTED)',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/lun`);
      if (isUnsupported(res))
        fail('a collection the array does not have is an empty list (200, []), not 501', res, 'status');
      expectStatus(res, 200);
      // Whether LUNs are served shows in the action: online of a LUN that does not exist is 404, or 501.
      const probe = await ctx.api.post(`${ctx.srv}/lun/${ctx.name('lun')}?action=online`);
      if (isUnsupported(probe)) {
        ctx.setFeature('LUNs', false, `${probe.endpoint} answered 501`);
        expectSame(
          (res.json as { luns: LunJson[] }).luns,
          [],
          'LUNs are not served, so their list is empty',
          res,
          '$.luns',
        );
        expectError(await ctx.api.get(`${ctx.srv}/lun/${ctx.name('lun')}`), 404, 'NOT_FOUND');
        return;
      }
      ctx.setFeature('LUNs', true, `${probe.endpoint} answered ${probe.status}`);
      ctx.note(`${(res.json as { luns: LunJson[] }).luns.length} LUN(s)`);
    },
  ],
  [
    'each LUN reads back as listed and names a volume of the server',
    async (ctx) => {
      ctx.requireFeature('LUNs');
      const res = await ctx.api.get(`${ctx.srv}/lun`);
      expectStatus(res, 200);
      const luns = (res.json as { luns: LunJson[] }).luns;
      if (!luns.length) skip('the server lists no LUN');
      for (const [i, l] of luns.slice(0, 10).entries()) {
        ok(
          l.naaId.length > 0 && l.serialNumber.length > 0,
          'a LUN has an NAA id and a serial number',
          res,
          `$.luns[${i}]`,
        );
        const one = await ctx.api.get(`${ctx.srv}/lun/${enc(l.id)}`);
        expectStatus(one, 200);
        expectSame(one.json, l, `LUN ${l.id} reads differently from its list entry`, one);
        expectStatus(await ctx.api.get(`${ctx.srv}/volume/${enc(l.volumeId)}`), 200);
      }
    },
  ],
  [
    'a LUN volume made on the array shows up as a LUN with a distinct NAA id',
    async (ctx) => {
      const a = await newLun(ctx, 'a LUN');
      const b = await newLun(ctx, 'a LUN');
      ok(a.naaId !== b.naaId, 'two LUNs share an NAA id');
      ctx.luns.push(a, b);
    },
  ],
  [
    'online answers 200 with no body',
    async (ctx) => {
      ctx.requireFeature('LUNs');
      const lun =
        ctx.luns[0] ??
        skip(`needs a LUN of the suite's own (onlining is not tried on the array's LUNs): ${ctx.fixtureNote}`);
      expectStatus(await ctx.api.post(`${ctx.srv}/lun/${enc(lun.id)}?action=online`), 200);
      expectStatus(await ctx.api.get(`${ctx.srv}/lun/${enc(lun.id)}`), 200);
    },
  ],
  [
    'GET /lun pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('LUNs');
      await checkPaging(ctx, `${ctx.srv}/lun`, 'luns');
    },
  ],
  [
    'mount of a block (LUN) volume makes it usable and answers 200 with path null (where LUNs are served)',
    async (ctx) => {
      ctx.requireFeature('LUNs');
      ctx.requireFeature('mount');
      const id = await ctx.scratchVolume('mount a LUN volume', 'lun');
      const res = await ctx.api.post(`${ctx.srv}/volume/${enc(id)}?action=mount`, {});
      expectStatus(res, 200);
      expectSame(res.json, { path: null }, 'a block volume is mounted without a path', res, '$');
      const again = await ctx.api.post(`${ctx.srv}/volume/${enc(id)}?action=mount`, {});
      expectStatus(again, 200);
      expectSame(again.json, { path: null }, 'mounting a block volume again answers the same', again, '$');
      const luns = await ctx.api.get(`${ctx.srv}/lun`);
      expectStatus(luns, 200);
      ok(
        (luns.json as { luns: { volumeId: string }[] }).luns.some((l) => l.volumeId === id),
        'the mounted block volume has no LUN to map',
        luns,
        '$.luns',
      );
    },
  ],
]);
