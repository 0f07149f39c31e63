/** /server/{id}/volume/{id}/snapshot: volume snapshots and their replication progress. */
import { type Request, Router } from 'express';
import type * as T from '../../domain/types';
import { dispatchActions } from '../actions';
import { ctx, page, param } from '../context';

const ids = (req: Request) => [param(req, 'serverId'), param(req, 'volumeId')] as const;
const snapIds = (req: Request) => [...ids(req), param(req, 'snapshotId')] as const;

export function snapshotRoutes(router: Router = Router()): Router {
  const base = '/server/:serverId/volume/:volumeId/snapshot';

  router.get(base, async (req, res) => {
    res.json({ snapshots: await ctx(res).service.listSnapshots(...ids(req), page(req)) });
  });
  router.post(base, async (req, res) => {
    const snap = await ctx(res).service.createSnapshot(...ids(req), req.body as T.CreateSnapshotRequest);
    res
      .status(201)
      .location(`${req.baseUrl}${req.path}/${encodeURIComponent(snap.id)}`)
      .json(snap);
  });
  router.get(`${base}/:snapshotId`, async (req, res) => {
    res.json(await ctx(res).service.getSnapshot(...snapIds(req)));
  });
  router.delete(`${base}/:snapshotId`, async (req, res) => {
    await ctx(res).service.deleteSnapshot(...snapIds(req));
    res.status(204).end();
  });
  router.post(
    `${base}/:snapshotId`,
    dispatchActions({
      'get-Progress': async (req, res) => {
        res.json(
          await ctx(res).service.snapshotProgress(...snapIds(req), (req.body ?? {}) as T.SnapshotProgressRequest),
        );
      },
    }),
  );
  return router;
}
