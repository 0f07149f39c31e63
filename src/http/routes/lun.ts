/** /server/{id}/lun: LUNs and the online action. */
import { Router } from 'express';
import { dispatchActions } from '../actions';
import { ctx, page, param } from '../context';

export function lunRoutes(router: Router = Router()): Router {
  router.get('/server/:serverId/lun', async (req, res) => {
    res.json({ luns: await ctx(res).service.listLuns(param(req, 'serverId'), page(req)) });
  });
  router.get('/server/:serverId/lun/:lunId', async (req, res) => {
    res.json(await ctx(res).service.getLun(param(req, 'serverId'), param(req, 'lunId')));
  });
  router.post(
    '/server/:serverId/lun/:lunId',
    dispatchActions({
      online: async (req, res) => {
        await ctx(res).service.onlineLun(param(req, 'serverId'), param(req, 'lunId'));
        res.status(200).end();
      },
    }),
  );
  return router;
}
