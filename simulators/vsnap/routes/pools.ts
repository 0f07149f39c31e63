// Seed section 7: create, list, get, update, act on and delete pools.
import { Router } from 'express';
import type { SimContext } from '../context';
import { createPool, deletePool, poolAction, updatePool } from '../state/pools';
import { bodyOf, param } from '../validate';
import { poolDetail, poolSummary } from '../views';
import { listOrFind } from './lookup';

export function poolRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const detail = (id: string): unknown => poolDetail(state, state.pool(id));

  router.post('/pool', (req, res) => {
    res.json(poolDetail(state, createPool(state, bodyOf(req))));
  });

  router.get('/pool', (req, res) => {
    listOrFind(req, res, {
      key: 'pools',
      what: 'Pool',
      all: () => [...state.pools.values()],
      byId: (id) => state.pool(id),
      byName: (name) => [...state.pools.values()].filter((p) => p.name === name),
      summary: (p) => poolSummary(state, p),
      detail: (p) => poolDetail(state, p),
    });
  });

  router.get('/pool/:id', (req, res) => {
    res.json(detail(param(req, 'id')));
  });

  router.put('/pool/:id', (req, res) => {
    const pool = state.pool(param(req, 'id'));
    updatePool(state, pool, bodyOf(req));
    res.json(detail(pool.id));
  });

  router.post('/pool/:id', (req, res) => {
    const pool = state.pool(param(req, 'id'));
    poolAction(state, pool, bodyOf(req));
    res.json(detail(pool.id));
  });

  router.delete('/pool/:id', (req, res) => {
    deletePool(state, state.pool(param(req, 'id')));
    res.json({});
  });

  return router;
}
