/** /server/{id}/host and /hostgroup: hosts, their LUNs, and mapping. */
import { type Request, Router } from 'express';
import type * as T from '../../domain/types';
import { dispatchActions } from '../actions';
import { ctx, page, param } from '../context';

const hostIds = (req: Request) => [param(req, 'serverId'), param(req, 'hostId')] as const;

export function hostRoutes(router: Router = Router()): Router {
  const base = '/server/:serverId/host';

  router.get(base, async (req, res) => {
    res.json({ hosts: await ctx(res).service.listHosts(param(req, 'serverId'), page(req)) });
  });
  router.post(base, async (req, res) => {
    const host = await ctx(res).service.createHost(param(req, 'serverId'), req.body as T.CreateHostRequest);
    res
      .status(201)
      .location(`${req.baseUrl}${req.path}/${encodeURIComponent(host.id)}`)
      .json(host);
  });
  router.get(`${base}/:hostId`, async (req, res) => {
    res.json(await ctx(res).service.getHost(...hostIds(req)));
  });
  router.get(`${base}/:hostId/lun`, async (req, res) => {
    res.json({ luns: await ctx(res).service.listHostLuns(...hostIds(req), page(req)) });
  });
  router.post(
    `${base}/:hostId`,
    dispatchActions({
      map: async (req, res) => {
        res.json(await ctx(res).service.mapToHost(...hostIds(req), req.body as T.MapRequest));
      },
      unmap: async (req, res) => {
        await ctx(res).service.unmapFromHost(...hostIds(req), req.body as T.UnmapRequest);
        res.status(200).end();
      },
    }),
  );

  router.get('/server/:serverId/hostgroup', async (req, res) => {
    res.json({ groups: await ctx(res).service.listHostGroups(param(req, 'serverId'), page(req)) });
  });
  router.post(
    '/server/:serverId/hostgroup/:hostGroupId',
    dispatchActions({
      map: async (req, res) => {
        res.json(
          await ctx(res).service.mapToHostGroup(
            param(req, 'serverId'),
            param(req, 'hostGroupId'),
            req.body as T.MapRequest,
          ),
        );
      },
    }),
  );
  return router;
}
