/** /server/{id}/consistencygroup: consistency groups, their actions and their snapshots. */
import { type Request, Router } from 'express';
import type * as T from '../../domain/types';
import { dispatchActions } from '../actions';
import { ctx, page, param } from '../context';

const cgIds = (req: Request) => [param(req, 'serverId'), param(req, 'consistencyGroupId')] as const;

export function consistencyGroupRoutes(router: Router = Router()): Router {
  const base = '/server/:serverId/consistencygroup';

  router.get(base, async (req, res) => {
    res.json({ consistencyGroups: await ctx(res).service.listConsistencyGroups(param(req, 'serverId'), page(req)) });
  });
  router.get(`${base}/:consistencyGroupId`, async (req, res) => {
    res.json(await ctx(res).service.getConsistencyGroup(...cgIds(req)));
  });
  router.get(`${base}/:consistencyGroupId/snapshot`, async (req, res) => {
    res.json({ snapshots: await ctx(res).service.listCgSnapshots(...cgIds(req), page(req)) });
  });
  router.post(
    `${base}/:consistencyGroupId`,
    dispatchActions({
      'add-volume': async (req, res) => {
        res.json(await ctx(res).service.cgAddVolume(...cgIds(req), req.body as T.CgAddVolumeRequest));
      },
      'remove-volume': async (req, res) => {
        res.json(await ctx(res).service.cgRemoveVolume(...cgIds(req), req.body as T.CgRemoveVolumeRequest));
      },
      condense: async (req, res) => {
        await ctx(res).service.cgCondense(...cgIds(req), (req.body ?? {}) as T.CgCondenseRequest);
        res.status(200).end();
      },
      'take-snapshot': async (req, res) => {
        res.json(await ctx(res).service.cgTakeSnapshot(...cgIds(req), (req.body ?? {}) as T.CgTakeSnapshotRequest));
      },
      'add-replication-target': async (req, res) => {
        res.json(
          await ctx(res).service.cgAddReplicationTarget(...cgIds(req), req.body as T.CgAddReplicationTargetRequest),
        );
      },
    }),
  );
  return router;
}
