// Simulator-only routes under /sim: volume and snapshot content, fault controls, attaching disks. Not part of vSnap.
import { Router, type Request, type Response } from 'express';
import { writeVolume } from './state/content';
import { faultRoutes } from '../shared/faults';
import type { SimContext } from './context';
import { invalid } from './errors';
import { jsonBody, readBody } from './http';
import { newDisk } from './state/pools';
import { bodyOf, nonNegativeInt, param, parseSize, query } from './validate';
import { diskView } from './views';
import type { BlockMap, BlockStore } from '../shared/blocks';

/** Largest body one PUT .../data accepts. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;
const DEFAULT_DISK_BYTES = 16 * 1024 ** 3;

export function dataPlaneRoutes(ctx: SimContext): Router {
  const { state, faults } = ctx;
  const router = Router();

  // Raw bytes whatever the Content-Type: the body is never parsed.
  router.put('/volume/:id/data', async (req, res) => {
    const volume = state.volume(param(req, 'id'));
    const offset = nonNegativeInt(query(req, 'offset'), 'offset', 0);
    const data = await readBody(req, MAX_WRITE_BYTES);
    writeVolume(state, volume, offset, data);
    const content = volume.content;
    res.json({
      vol_id: volume.id,
      length: String(content?.length ?? 0),
      size_used: String(content ? state.storeOf(volume).referencedBytes(content) : 0),
    });
  });

  router.get('/volume/:id/data', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    if (!volume.content) throw invalid(`Volume ${volume.id} is a filebackedlun: read its parent filesystem`);
    sendContent(req, res, state.storeOf(volume), volume.content);
  });

  router.get('/snapshot/:id/data', (req, res) => {
    const snapshot = state.snapshot(param(req, 'id'));
    sendContent(req, res, state.storeOf(state.volume(snapshot.volume_id)), snapshot.content);
  });

  router.use('/faults', jsonBody());
  faultRoutes(router, faults, bodyOf);

  // Attach new disks, as an administrator adds virtual disks to the VM: they show after POST /api/disk rescan.
  router.post('/disks', jsonBody(), (req, res) => {
    const body = bodyOf(req);
    const count = body.count === undefined ? 1 : Number(body.count);
    if (!Number.isInteger(count) || count < 1 || count > 64)
      throw invalid('Parameter count must be an integer from 1 to 64');
    const size = body.size === undefined ? DEFAULT_DISK_BYTES : (parseSize(body.size, 'size') ?? DEFAULT_DISK_BYTES);
    const disks = Array.from({ length: count }, () => newDisk(state, size, false));
    state.changed();
    res.json({ disks: disks.map(diskView), total: disks.length });
  });

  return router;
}

/** The whole content (unwritten ranges are zeros), or the `offset`/`length` window of it. */
function sendContent(req: Request, res: Response, store: BlockStore, map: BlockMap): void {
  const offset = nonNegativeInt(query(req, 'offset'), 'offset', 0);
  const length = nonNegativeInt(query(req, 'length'), 'length', Math.max(0, map.length - offset));
  res.type('application/octet-stream').send(store.read(map, offset, length));
}
