/** GET /storage and the /server resource (servers and their system figures). */
import { Router } from 'express';
import { ctx, page, param } from '../context';

export function storageRoutes(router: Router = Router()): Router {
  router.get('/storage', async (_req, res) => {
    res.json(await ctx(res).service.storage());
  });
  router.get('/server', async (req, res) => {
    res.json({ servers: await ctx(res).service.listServers(page(req)) });
  });
  router.get('/server/:serverId', async (req, res) => {
    res.json(await ctx(res).service.getServer(param(req, 'serverId')));
  });
  router.get('/server/:serverId/system', async (req, res) => {
    res.json(await ctx(res).service.getSystem(param(req, 'serverId')));
  });
  return router;
}
