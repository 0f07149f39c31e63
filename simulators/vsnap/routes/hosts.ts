// Seed section 10: hosts, their initiators, and mapping luns to them.
import { Router } from 'express';
import { createHost, deleteHost, mapVolume, unmapVolume, updateHost } from '../state/access';
import type { SimContext } from '../context';
import { invalid } from '../errors';
import { bodyOf, param, requireId, requireString } from '../validate';
import { hostDetail, hostSummary } from '../views';
import { listOrFind } from './lookup';

export function hostRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.post('/host', (req, res) => {
    res.json(hostDetail(createHost(state, bodyOf(req))));
  });

  router.get('/host', (req, res) => {
    listOrFind(req, res, {
      key: 'hosts',
      what: 'Host',
      all: () => [...state.hosts.values()],
      byId: (id) => state.host(id),
      byName: (name) => [...state.hosts.values()].filter((h) => h.name === name),
      summary: hostSummary,
      detail: hostDetail,
      totalAsString: true,
    });
  });

  router.get('/host/:id', (req, res) => {
    res.json(hostDetail(state.host(param(req, 'id'))));
  });

  router.put('/host/:id', (req, res) => {
    const host = state.host(param(req, 'id'));
    updateHost(state, host, bodyOf(req));
    res.json(hostDetail(host));
  });

  router.post('/host/:id', (req, res) => {
    const host = state.host(param(req, 'id'));
    const body = bodyOf(req);
    const action = requireString(body, 'action');
    const volId = requireId(body, 'vol_id');
    if (action === 'map') {
      const mapping = mapVolume(state, host, state.volume(volId));
      res.json({ vol_id: mapping.vol_id, lun: String(mapping.lun) });
    } else if (action === 'unmap') {
      unmapVolume(state, host, state.volume(volId).id);
      res.json({});
    } else {
      throw invalid(`Invalid action "${action}" for a host: use map or unmap`);
    }
  });

  router.delete('/host/:id', (req, res) => {
    deleteHost(state, state.host(param(req, 'id')));
    res.json({});
  });

  return router;
}
