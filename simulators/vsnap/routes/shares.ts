// Seed section 9: list, get, update and delete shares.
import { Router } from 'express';
import { deleteShare, shareName, updateShare } from '../state/access';
import type { SimContext } from '../context';
import { bodyOf, param } from '../validate';
import { shareDetail, shareSummary } from '../views';
import { listOrFind } from './lookup';

export function shareRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/share', (req, res) => {
    listOrFind(req, res, {
      key: 'shares',
      what: 'Share',
      all: () => [...state.shares.values()],
      byId: (id) => state.share(id),
      byName: (name) => [...state.shares.values()].filter((s) => shareName(state, s) === name),
      summary: (s) => shareSummary(state, s),
      detail: (s) => shareDetail(state, s),
    });
  });

  router.get('/share/:id', (req, res) => {
    res.json(shareDetail(state, state.share(param(req, 'id'))));
  });

  router.put('/share/:id', (req, res) => {
    const share = state.share(param(req, 'id'));
    updateShare(state, share, bodyOf(req));
    res.json(shareDetail(state, share));
  });

  router.delete('/share/:id', (req, res) => {
    deleteShare(state, state.share(param(req, 'id')));
    res.json({});
  });

  return router;
}
