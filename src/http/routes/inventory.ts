/** Read-only inventory: /server/{id}/network, /pool and /remotearray. */
import { Router } from 'express';
import { ctx, page, param } from '../context';

export function inventoryRoutes(router: Router = Router()): Router {
  router.get('/server/:serverId/network', async (req, res) => {
    res.json({ networks: await ctx(res).service.listNetworks(param(req, 'serverId'), page(req)) });
  });
  router.get('/server/:serverId/network/:networkId', async (req, res) => {
    res.json(await ctx(res).service.getNetwork(param(req, 'serverId'), param(req, 'networkId')));
  });
  router.get('/server/:serverId/pool', async (req, res) => {
    res.json({ pools: await ctx(res).service.listPools(param(req, 'serverId'), page(req)) });
  });
  router.get('/server/:serverId/pool/:poolId', async (req, res) => {
    res.json(await ctx(res).service.getPool(param(req, 'serverId'), param(req, 'poolId')));
  });
  router.get('/server/:serverId/remotearray', async (req, res) => {
    res.json({ remoteArrays: await ctx(res).service.listRemoteArrays(param(req, 'serverId'), page(req)) });
  });
  return router;
}
