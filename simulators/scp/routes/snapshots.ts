// /v1/snapshots: list a volume's snapshots, create one (202), delete one (202), and restore a volume from one (202).
import { Router } from 'express';
import type { RegionContext } from '../context';
import { createSnapshot, deleteSnapshot, restoreSnapshot } from '../state/volumes';
import { bodyOf, param, requiredQuery } from '../validate';
import { snapshotDetail, snapshotItem } from '../views';

export function snapshotRoutes(ctx: RegionContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/v1/snapshots', (req, res) => {
    const volume = state.volume(requiredQuery(req, 'volume_id'));
    const snaps = state.snapshotsOf(volume.id);
    res.json({
      count: snaps.length,
      snapshots: snaps.map((s) => snapshotItem(state, s)),
      snapshot_size_total_byte: state.snapshotBytes(volume.id),
    });
  });

  router.post('/v1/snapshots', (req, res) => {
    const b = bodyOf(req);
    const volumeId = b.string('volume_id', { required: true });
    b.done();
    const s = createSnapshot(ctx, state.volume(volumeId as string));
    res.status(202).json({ snapshot: snapshotDetail(state, s) });
  });

  router.delete('/v1/snapshots/:snapshot_id', (req, res) => {
    const volumeId = requiredQuery(req, 'volume_id');
    state.volume(volumeId);
    deleteSnapshot(ctx, state.snapshotOf(volumeId, param(req, 'snapshot_id')));
    res.status(202).end();
  });

  router.put('/v1/snapshots/:snapshot_id/restore', (req, res) => {
    const volumeId = requiredQuery(req, 'volume_id');
    const volume = state.volume(volumeId);
    const s = state.snapshotOf(volumeId, param(req, 'snapshot_id'));
    restoreSnapshot(ctx, volume, s);
    res.status(202).json({ snapshot: snapshotItem(state, s) });
  });

  return router;
}
