// Seed section 11: all snapshots of all volumes, one snapshot's details, delete.
import { Router } from 'express';
import type { SimContext } from '../context';
import { param } from '../validate';
import { snapshotDetail, snapshotSummary } from '../views';
import { deleteSnapshot } from '../state/volumes';
import { listOrFind } from './lookup';

export function snapshotRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  // Snapshot names are unique per volume only: ?name= answers one object, or a list when several match.
  router.get('/snapshot', (req, res) => {
    listOrFind(req, res, {
      key: 'snapshots',
      what: 'Snapshot',
      all: () => [...state.snapshots.values()],
      byId: (id) => state.snapshot(id),
      byName: (name) => [...state.snapshots.values()].filter((s) => s.name === name),
      summary: snapshotSummary,
      detail: (s) => snapshotDetail(state, s),
      namesMayRepeat: true,
    });
  });

  router.get('/snapshot/:id', (req, res) => {
    res.json(snapshotDetail(state, state.snapshot(param(req, 'id'))));
  });

  router.delete('/snapshot/:id', (req, res) => {
    deleteSnapshot(state, state.snapshot(param(req, 'id')));
    res.json({});
  });

  return router;
}
