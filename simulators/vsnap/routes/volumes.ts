// Seed section 8.1-8.5: create (or clone), list, get, update and delete volumes, plus the rollback/restore actions.
//
// Two extensions beyond the seed, which leaves "8.4 Update volume" open and has no restore call. They
// follow the seed's own conventions: PUT changes properties (as PUT /api/pool/<id> and /api/host/<id> do)
// and POST /api/<resource>/<id> {"action": ...} runs an action (as POST /api/pool/<id> and /api/host/<id> do).
//
//   PUT /api/volume/<id>  {"name"?: string, "size_total"?: string|number|null}
//     Rename and/or resize. A lun cannot shrink below the bytes it holds; a filesystem quota
//     (size_total, null = none) cannot go below its size_used. -> volume details.
//
//   POST /api/volume/<id>  {"action": "rollback", "snapshot_id": "S", "destroy_newer"?: boolean}
//     `zfs rollback`: the volume becomes its own snapshot S again (400 if S belongs to another volume).
//     If newer snapshots of the volume exist: 409 ObjectInUseError ("more recent snapshots exist")
//     unless destroy_newer is true, which destroys them (`zfs rollback -r`), still 409 if one of them
//     has clones. -> volume details.
//
//   POST /api/volume/<id>  {"action": "restore", "snapshot_id": "S"}
//     Full copy of snapshot S into this volume (`zfs send | zfs recv`): S may belong to any volume of
//     the same volume_type, in any pool; the content becomes exactly S's (length included); the
//     volume keeps its own snapshots. A lun target must be at least as large as S's volume.
//     409 InsufficientSpaceError when the pool lacks room for the copy. -> volume details.
import { Router } from 'express';
import type { SimContext } from '../context';
import { volumeAction } from '../state/content';
import { bodyOf, param } from '../validate';
import { volumeDetail, volumeSummary } from '../views';
import { createVolume, deleteVolume, updateVolume } from '../state/volumes';
import { listOrFind } from './lookup';

export function volumeRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.post('/volume', (req, res) => {
    res.json(volumeDetail(state, createVolume(state, bodyOf(req))));
  });

  // Volume names are unique per pool only, so ?name= answers a list when several pools hold the name.
  router.get('/volume', (req, res) => {
    listOrFind(req, res, {
      key: 'volumes',
      what: 'Volume',
      all: () => [...state.volumes.values()],
      byId: (id) => state.volume(id),
      byName: (name) => [...state.volumes.values()].filter((v) => v.name === name),
      summary: (v) => volumeSummary(state, v),
      detail: (v) => volumeDetail(state, v),
      namesMayRepeat: true,
    });
  });

  router.get('/volume/:id', (req, res) => {
    res.json(volumeDetail(state, state.volume(param(req, 'id'))));
  });

  router.put('/volume/:id', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    updateVolume(state, volume, bodyOf(req));
    res.json(volumeDetail(state, volume));
  });

  router.post('/volume/:id', (req, res) => {
    const volume = state.volume(param(req, 'id'));
    volumeAction(state, volume, bodyOf(req));
    res.json(volumeDetail(state, volume));
  });

  router.delete('/volume/:id', (req, res) => {
    deleteVolume(state, state.volume(param(req, 'id')));
    res.json({});
  });

  return router;
}
