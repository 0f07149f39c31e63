// Seed section 14.2-14.4: list sessions, get one, cancel one.
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalid } from '../errors';
import { sessionView } from '../replication-views';
import { byId } from '../state/state';
import { bodyOf, param, requireString } from '../validate';

export function sessionRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/session', (_req, res) => {
    const sessions = [...state.sessions.values()].sort(byId);
    res.json({ sessions: sessions.map(sessionView), total: sessions.length });
  });

  router.get('/session/:id', (req, res) => {
    res.json(sessionView(state.session(param(req, 'id'))));
  });

  router.post('/session/:id', (req, res) => {
    const session = state.session(param(req, 'id'));
    const action = requireString(bodyOf(req), 'action');
    if (action !== 'cancel') throw invalid(`Invalid action "${action}" for a session: use cancel`);
    ctx.replication.cancel(session);
    res.json(sessionView(session));
  });

  return router;
}
