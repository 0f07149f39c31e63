// Seed section 13 (relationships of volumes) and 14.1 (start a session on one).
import { Router } from 'express';
import type { SimContext } from '../context';
import { notFound } from '../errors';
import { createRelationship, deleteRelationship, truthy } from '../state/relationships';
import { relationshipView, sessionView } from '../replication-views';
import type { RelationshipRecord } from '../state/model';
import { bodyOf, param, query } from '../validate';

export function relationshipRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const list = (rels: RelationshipRecord[]) => ({
    relationships: rels.map((r) => relationshipView(state, r)),
    total: rels.length,
  });

  router.post('/volume/:id/relationship', async (req, res) => {
    const volume = state.volume(param(req, 'id'));
    res.json(relationshipView(state, await createRelationship(ctx, volume, bodyOf(req))));
  });

  router.get('/volume/:id/relationship', (req, res) => {
    res.json(list(state.relationshipsOf(state.volume(param(req, 'id')).id)));
  });

  // ?id= answers the one relationship (seed 13.3); ?vol_name= the relationships of the volumes of that name.
  router.get('/relationship', (req, res) => {
    const id = query(req, 'id');
    if (id !== undefined) {
      res.json(relationshipView(state, state.relationship(id)));
      return;
    }
    const volName = query(req, 'vol_name');
    const all = [...state.relationships.values()].sort(
      (a, b) => a.time_created - b.time_created || a.id.localeCompare(b.id),
    );
    if (volName === undefined) {
      res.json(list(all));
      return;
    }
    const vols = new Set([...state.volumes.values()].filter((v) => v.name === volName).map((v) => v.id));
    if (vols.size === 0) throw notFound(`Volume ${volName} not found`);
    res.json(list(all.filter((r) => vols.has(r.local_vol_id))));
  });

  router.get('/relationship/:id', (req, res) => {
    res.json(relationshipView(state, state.relationship(param(req, 'id'))));
  });

  router.delete('/relationship/:id', async (req, res) => {
    const rel = state.relationship(param(req, 'id'));
    await deleteRelationship(ctx, rel, truthy(query(req, 'preserve_replica')), truthy(query(req, 'force')));
    res.json({});
  });

  router.post('/relationship/:id/session', (req, res) => {
    res.json(sessionView(ctx.replication.start(state.relationship(param(req, 'id')), bodyOf(req))));
  });

  return router;
}
