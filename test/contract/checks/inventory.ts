/** Read-only inventory: pools, networks and remote arrays, each list readable item by item and paged. */
import { expectSame, expectStatus, fail, group, isUnsupported, ok, skip } from '../check';
import { enc } from '../context';
import { checkPaging } from './paging';

type Item = { id: string; name: string };

export const poolChecks = group('pools', [
  [
    'GET /pool lists the pools, and each pool reads back as listed',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/pool`);
      expectStatus(res, 200);
      const pools = (res.json as { pools: Item[] }).pools;
      if (!pools.length) skip('the server lists no pool');
      for (const p of pools) {
        const one = await ctx.api.get(`${ctx.srv}/pool/${enc(p.id)}`);
        expectStatus(one, 200);
        // Free space moves with the array's use; identity must not.
        const { id, name } = one.json as Item;
        expectSame({ id, name }, { id: p.id, name: p.name }, `pool ${p.id} reads differently from its list entry`, one);
      }
    },
  ],
  ['GET /pool pages with limit and start', async (ctx) => checkPaging(ctx, `${ctx.srv}/pool`, 'pools')],
]);

export const networkChecks = group('networks', [
  [
    'GET /network lists the interfaces, and each reads back as listed',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/network`);
      expectStatus(res, 200);
      const nets = (res.json as { networks: (Item & { ipAddress: string | null; wwpn: string | null })[] }).networks;
      if (!nets.length) skip('the server lists no network');
      for (const [i, n] of nets.entries()) {
        ok(n.ipAddress || n.wwpn, 'a network has an IP address or a WWPN', res, `$.networks[${i}]`);
        const one = await ctx.api.get(`${ctx.srv}/network/${enc(n.id)}`);
        expectStatus(one, 200);
        expectSame(one.json, n, `network ${n.id} reads differently from its list entry`, one);
      }
    },
  ],
  ['GET /network pages with limit and start', async (ctx) => checkPaging(ctx, `${ctx.srv}/network`, 'networks')],
]);

export const remoteArrayChecks = group('remote arrays', [
  [
    'GET /remotearray lists the remote arrays where the server replicates; otherwise the list is empty',
    async (ctx) => {
      const res = await ctx.api.get(`${ctx.srv}/remotearray`);
      if (isUnsupported(res))
        fail('a collection the array does not have is an empty list (200, []), not 501', res, 'status');
      expectStatus(res, 200);
      ctx.setFeature('remote arrays', true, `${res.endpoint} answered 200`);
      const arrays = (res.json as { remoteArrays: { name: string; hostAddress: string }[] }).remoteArrays;
      ctx.remoteArrays = arrays.map((a) => a.name);
      ctx.note(`${arrays.length} remote array(s)`);
    },
  ],
  [
    'GET /remotearray pages with limit and start',
    async (ctx) => {
      ctx.requireFeature('remote arrays');
      await checkPaging(ctx, `${ctx.srv}/remotearray`, 'remoteArrays');
    },
  ],
]);
