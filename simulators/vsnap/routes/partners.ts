// Seed section 12: add, list, get and remove partner systems.
import { Router } from 'express';
import type { SimContext } from '../context';
import { addPartner, removePartner } from '../state/partners';
import { bodyOf, param } from '../validate';
import { partnerView } from '../replication-views';
import { byId } from '../state/state';

export function partnerRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.post('/partner', async (req, res) => {
    res.json(partnerView(await addPartner(ctx, bodyOf(req))));
  });

  router.get('/partner', (_req, res) => {
    const partners = [...state.partners.values()].sort((a, b) => a.time_created - b.time_created || byId(a, b));
    res.json({ partners: partners.map(partnerView), total: partners.length });
  });

  router.get('/partner/:id', (req, res) => {
    res.json(partnerView(state.partner(param(req, 'id'))));
  });

  router.delete('/partner/:id', async (req, res) => {
    await removePartner(ctx, state.partner(param(req, 'id')));
    res.json({});
  });

  return router;
}
