// Simulator-only routes under /sim (Basic auth with the account's key): volume and snapshot content, fault
// controls, finishing pending 202 operations at once, and the regions this one knows (pairing). Not part of SCP.
import { type Request, type Response, Router } from 'express';
import { type BlockMap, type BlockStore } from '../shared/blocks';
import { faultRoutes } from '../shared/faults';
import type { RegionContext } from './context';
import { conflict, invalidAt } from './errors';
import { jsonBody, readBody } from './http';
import { requireWritable } from './state/volumes';
import { Checker, param } from './validate';

/** Largest body one PUT .../data accepts. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;

const offsetOf = (req: Request, name: string, fallback: number): number => {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw))
    throw invalidAt(['query', name], 'Input should be a byte count', 'int_parsing');
  return Number(raw);
};

export function dataPlaneRoutes(ctx: RegionContext): Router {
  const { state, faults } = ctx;
  const router = Router();

  router.get('/region', (_req, res) => {
    res.json({ name: ctx.name, regions: Object.fromEntries(ctx.cloud.all()) });
  });

  /** Pairing: another simulator process's region becomes known to every region of this one. */
  router.post('/regions', jsonBody(), (req, res) => {
    const c = new Checker(req.body, 'body');
    const name = c.string('name', { required: true, pattern: /^[a-z][a-z0-9-]{1,30}$/ });
    const url = c.string('url', { required: true, pattern: /^https?:\/\/\S+$/ });
    c.done();
    if (ctx.cloud.local.has(name as string)) throw conflict(`Region ${name} is served by this process`);
    ctx.cloud.remote.set(name as string, new URL(url as string).origin);
    ctx.cloud.onChange();
    res.json({ name, url: new URL(url as string).origin });
  });

  // Raw bytes whatever the Content-Type: the body is never parsed.
  router.put('/volume/:id/data', async (req, res) => {
    const v = state.volume(param(req, 'id'));
    if (v.state !== 'available') throw conflict(`Volume ${v.id} is ${v.state}`);
    requireWritable(v);
    const offset = offsetOf(req, 'offset', 0);
    const data = await readBody(req, MAX_WRITE_BYTES);
    state.store.prepareWrite(v.content, offset, data).commit();
    state.changed();
    res.json({ volume_id: v.id, length: v.content.length, usage: state.usage(v) });
  });

  router.get('/volume/:id/data', (req, res) => {
    const v = state.volume(param(req, 'id'));
    send(req, res, state.store, v.content);
  });

  router.get('/snapshot/:id/data', (req, res) => {
    const s = state.snapshots.get(param(req, 'id'));
    if (!s) throw invalidAt(['path', 'id'], `Snapshot ${param(req, 'id')} not found`);
    send(req, res, state.store, s.content);
  });

  /** Every pending 202 operation of this region finishes now (tests watch states without waiting). */
  router.post('/settle', (_req, res) => {
    res.json({ settled: ctx.ops.settle() });
  });

  router.use('/faults', jsonBody());
  faultRoutes(router, faults, (req) => {
    const c = new Checker(req.body ?? {}, 'body');
    c.done();
    return req.body ?? {};
  });

  return router;
}

function send(req: Request, res: Response, store: BlockStore, map: BlockMap): void {
  const offset = offsetOf(req, 'offset', 0);
  const length = offsetOf(req, 'length', Math.max(0, map.length - offset));
  res.type('application/octet-stream').send(store.read(map, offset, length));
}
