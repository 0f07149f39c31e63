// Seed section 8.6-8.10 (and the 9.3 PUT form): a volume's snapshots, its share, and mapping it to a host.
import { Router } from 'express';
import { createShare, deleteShare, mapVolume, updateShare, volumeShare } from '../state/access';
import type { SimContext } from '../context';
import { notFound } from '../errors';
import { bodyOf, optString, param, requireId } from '../validate';
import { shareDetail, snapshotDetail, snapshotSummary } from '../views';
import { createSnapshot } from '../state/volumes';

export function volumeChildRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.post('/volume/:id/snapshot', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    res.json(snapshotDetail(state, createSnapshot(state, volume, optString(bodyOf(req), 'name'))));
  });

  router.get('/volume/:id/snapshot', (req, res) => {
    const snapshots = state.snapshotsOf(state.volume(param(req, 'id')).id);
    res.json({ snapshots: snapshots.map(snapshotSummary), total: snapshots.length });
  });

  router.post('/volume/:id/share', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    res.json(shareDetail(state, createShare(state, volume, bodyOf(req))));
  });

  router.put('/volume/:id/share', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    const share = volumeShare(state, volume);
    if (!share) throw notFound(`Volume ${volume.name} has no share`);
    updateShare(state, share, bodyOf(req));
    res.json(shareDetail(state, share));
  });

  // Seed 8.9 deletes the share "if a share exists": without one there is nothing to do.
  router.delete('/volume/:id/share', (req, res) => {
    const share = volumeShare(state, state.volume(param(req, 'id')));
    if (share) deleteShare(state, share);
    res.json({});
  });

  router.post('/volume/:id/map', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    const host = state.host(requireId(bodyOf(req), 'host_id'));
    const mapping = mapVolume(state, host, volume);
    res.json({ vol_id: mapping.vol_id, lun: String(mapping.lun) });
  });

  return router;
}
