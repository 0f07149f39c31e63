// Simulator-only routes under /sim (not ONTAP): file and LUN content, snapshot content, faults, settings, policy-use
// stand-ins.
import { type Request, type Response, Router } from 'express';
import type { BlockMap, BlockStore } from '../shared/blocks';
import { faultRoutes } from '../shared/faults';
import type { SimContext } from './context';
import { invalid, notFound } from './errors';
import { jsonBody, readBody } from './http';
import { splitPath } from './state/files';
import type { PolicyUseRecord, VolumeRecord } from './state/model';
import { updateSettings } from './settings';
import { commitWithin } from './state/space';
import { sorted } from './state/state';
import { bodyOf, optInt, optString, param } from './validate';

/** Largest body one PUT .../data accepts. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024;
const ENDPOINTS = ['flexvol', 'flexgroup', 'svm', 'consistency_group'];
const IDENTITY = ['full', 'exclude_network_config', 'exclude_network_and_protocol_config'];

function nonNegative(req: Request, name: string, fallback: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw))
    throw invalid(`Query parameter ${name} must be a non-negative integer`, name);
  return Number(raw);
}

/** The whole content (unwritten ranges read as zeros), or the `offset`/`length` window of it. */
function sendContent(req: Request, res: Response, store: BlockStore, map: BlockMap): void {
  const offset = nonNegative(req, 'offset', 0);
  const length = nonNegative(req, 'length', Math.max(0, map.length - offset));
  res.type('application/octet-stream').send(store.read(map, offset, length));
}

function writable(volume: VolumeRecord): void {
  if (volume.type === 'dp') throw invalid(`Volume "${volume.name}" is a read-only data-protection volume`, 'volume');
  if (volume.state !== 'online') throw invalid(`Volume "${volume.name}" is offline`, 'volume');
}

export function dataPlaneRoutes(ctx: SimContext): Router {
  const { state, faults } = ctx;
  const router = Router();

  router.put('/volumes/:uuid/files/:name', async (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    const { name, snapshot } = splitPath(param(req, 'name'));
    if (snapshot !== undefined) throw invalid('Snapshot contents are read-only', 'name');
    if (state.lunsOf(volume.uuid).some((l) => l.file === name))
      throw invalid(`"${name}" is a LUN: write it at /sim/luns/<uuid>/data`, 'name');
    writable(volume);
    const offset = nonNegative(req, 'offset', 0);
    const data = await readBody(req, MAX_WRITE_BYTES);
    const store = state.storeOf(volume);
    const map = volume.files.get(name) ?? store.newMap();
    if (data.length > 0) commitWithin(state, volume, volume.files.get(name), store.prepareWrite(map, offset, data));
    volume.files.set(name, map);
    state.changed();
    res.json({ volume: volume.uuid, name, length: map.length });
  });

  router.get('/volumes/:uuid/files/:name', (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    const map = volume.files.get(splitPath(param(req, 'name')).name);
    // A file never written reads as empty, like a fresh volume's data.
    sendContent(req, res, state.storeOf(volume), map ?? state.storeOf(volume).newMap());
  });

  router.get('/volumes/:uuid/snapshots/:snapshot/files/:name', (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    const snap = state.snapshots.get(param(req, 'snapshot'));
    if (!snap || snap.volume !== volume.uuid)
      throw notFound(`Snapshot "${param(req, 'snapshot')}" of volume "${volume.uuid}" not found`, 'snapshot');
    sendContent(req, res, state.storeOf(volume), snap.files.get(param(req, 'name')) ?? state.storeOf(volume).newMap());
  });

  router.put('/luns/:uuid/data', async (req, res) => {
    const lun = state.lun(param(req, 'uuid'));
    const volume = state.volume(lun.volume);
    writable(volume);
    const offset = nonNegative(req, 'offset', 0);
    const data = await readBody(req, MAX_WRITE_BYTES);
    if (offset + data.length > lun.size)
      throw invalid(
        `Write of ${data.length} bytes at ${offset} goes past the end of LUN "${lun.file}" (${lun.size} bytes)`,
        'offset',
      );
    const map = volume.files.get(lun.file)!;
    if (data.length > 0) commitWithin(state, volume, map, state.storeOf(volume).prepareWrite(map, offset, data));
    state.changed();
    res.json({ lun: lun.uuid, length: map.length });
  });

  router.get('/luns/:uuid/data', (req, res) => {
    const lun = state.lun(param(req, 'uuid'));
    const volume = state.volume(lun.volume);
    sendContent(req, res, state.storeOf(volume), volume.files.get(lun.file)!);
  });

  router.use('/faults', jsonBody());
  faultRoutes(router, faults, bodyOf);

  router.get('/settings', (_req, res) => {
    res.json(ctx.settings);
  });
  router.post('/settings', jsonBody(), (req, res) => {
    ctx.settings = updateSettings(ctx.settings, bodyOf(req));
    res.json(ctx.settings);
  });

  // Every kind of relationship is served by /api/snapmirror/relationships (SVM DR and consistency groups without data
  // transfers); these stand-ins attach a policy use of any kind directly, with a schedule or throttle of its own.
  router.get('/policy-uses', (_req, res) => {
    res.json({ records: sorted(state.policyUses.values()) });
  });
  router.post('/policy-uses', jsonBody(), (req, res) => {
    const body = bodyOf(req);
    const policy = state.policy(optString(body, 'policy') ?? '');
    const endpoint = optString(body, 'endpoint') ?? 'flexvol';
    if (!ENDPOINTS.includes(endpoint)) throw invalid(`endpoint must be one of ${ENDPOINTS.join(', ')}`, 'endpoint');
    const identity = optString(body, 'identity_preservation');
    if (identity !== undefined && !IDENTITY.includes(identity))
      throw invalid(`identity_preservation must be one of ${IDENTITY.join(', ')}`, 'identity_preservation');
    const scheduleName = optString(body, 'transfer_schedule');
    const schedule = scheduleName === undefined ? undefined : state.scheduleNamed(scheduleName);
    if (scheduleName !== undefined && !schedule)
      throw notFound(`Schedule "${scheduleName}" not found`, 'transfer_schedule');
    const use: PolicyUseRecord = {
      uuid: state.newUuid(),
      seq: state.nextSeq(),
      policy: policy.uuid,
      endpoint: endpoint as PolicyUseRecord['endpoint'],
      ...(identity ? { identity_preservation: identity as PolicyUseRecord['identity_preservation'] } : {}),
      ...(schedule ? { transfer_schedule: schedule.uuid } : {}),
      ...(body.throttle !== undefined ? { throttle: optInt(body, 'throttle') } : {}),
    };
    state.policyUses.set(use.uuid, use);
    state.changed();
    res.status(201).json(use);
  });
  router.delete('/policy-uses/:uuid', (req, res) => {
    if (!state.policyUses.delete(param(req, 'uuid'))) throw notFound('No such policy use', 'uuid');
    state.changed();
    res.json({});
  });

  return router;
}
