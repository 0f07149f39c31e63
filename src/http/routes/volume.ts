/** /server/{id}/volume: volumes, split status and the volume actions. */
import { type Request, Router } from 'express';
import type * as T from '../../domain/types';
import { dispatchActions } from '../actions';
import { ctx, page, param } from '../context';

const ids = (req: Request) => [param(req, 'serverId'), param(req, 'volumeId')] as const;

export function volumeRoutes(router: Router = Router()): Router {
  const base = '/server/:serverId/volume';

  router.get(base, async (req, res) => {
    res.json({ volumes: await ctx(res).service.listVolumes(param(req, 'serverId'), page(req)) });
  });
  router.get(`${base}/:volumeId`, async (req, res) => {
    res.json(await ctx(res).service.getVolume(...ids(req)));
  });
  router.delete(`${base}/:volumeId`, async (req, res) => {
    await ctx(res).service.deleteVolume(...ids(req));
    res.status(200).end();
  });
  router.get(`${base}/:volumeId/splitstatus`, async (req, res) => {
    res.json(await ctx(res).service.splitStatus(...ids(req)));
  });
  router.post(
    `${base}/:volumeId`,
    dispatchActions({
      clone: async (req, res) => {
        res.json(await ctx(res).service.cloneVolume(...ids(req), req.body as T.CloneRequest));
      },
      mount: async (req, res) => {
        res.json(await ctx(res).service.mountVolume(...ids(req), (req.body ?? {}) as T.MountRequest));
      },
      split: async (req, res) => {
        res.json(await ctx(res).service.splitVolume(...ids(req)));
      },
      restore: async (req, res) => {
        res.json(await ctx(res).service.restoreVolume(...ids(req), req.body as T.RestoreRequest));
      },
      'restore-to-alternate': async (req, res) => {
        res.json(await ctx(res).service.restoreToAlternate(...ids(req), req.body as T.RestoreToAlternateRequest));
      },
      'restore-to-new': async (req, res) => {
        res.json(await ctx(res).service.restoreToNew(...ids(req), req.body as T.RestoreToNewRequest));
      },
    }),
  );
  return router;
}
