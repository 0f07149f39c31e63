// /api/application/consistency-groups and their snapshots: groups of existing volumes, changed and snapshotted as jobs.
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalidValue, notFound, required } from '../errors';
import { answerAsync } from '../state/jobs';
import { planCgSnapshot, planChangeMembers, planCreateCg, planDeleteCg, planDeleteCgSnapshot } from '../state/cgs';
import type { CgSnapshotRecord, ConsistencyGroupRecord, VolumeRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { volumeSpace } from '../state/space';
import { type OntapState, sorted } from '../state/state';
import { allowOnly, bodyOf, optString, param, refValue, reqString, resolve, svmRef, type Body } from '../validate';
import { iso } from './volumes';

const ref = (o: { uuid: string; name: string }) => ({ uuid: o.uuid, name: o.name });

export function cgView(state: OntapState, cg: ConsistencyGroupRecord): Json {
  const vols = cg.volumes.map((u) => state.volume(u));
  const spaces = vols.map((v) => volumeSpace(state, v));
  return {
    uuid: cg.uuid,
    name: cg.name,
    svm: ref(state.svm(cg.svm)),
    create_time: iso(cg.create_time),
    volumes: vols.map(ref),
    space: {
      size: vols.reduce((a, v) => a + v.size, 0),
      used: spaces.reduce((a, s) => a + s.used, 0),
      available: spaces.reduce((a, s) => a + s.available, 0),
    },
    _links: { self: { href: `/api/application/consistency-groups/${cg.uuid}` } },
  };
}

export function cgSnapshotView(state: OntapState, s: CgSnapshotRecord): Json {
  const cg = state.cg(s.consistency_group);
  const volumeRef = (u: string) => ({ uuid: u, name: state.volumes.get(u)?.name ?? '' });
  return {
    uuid: s.uuid,
    name: s.name,
    comment: s.comment,
    create_time: iso(s.create_time),
    consistency_group: ref(cg),
    svm: ref(state.svm(cg.svm)),
    snapshot_volumes: s.members.map((m) => ({
      volume: volumeRef(m.volume),
      snapshot: { uuid: m.snapshot, name: s.name },
    })),
    is_partial: s.missing.length > 0,
    missing_volumes: s.missing.map(volumeRef),
    _links: { self: { href: `/api/application/consistency-groups/${cg.uuid}/snapshots/${s.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const LINKS = { self: { href: '' } };
const CG_FIELDS = fieldsOf({
  uuid: '',
  name: '',
  svm: REF,
  create_time: '',
  volumes: [REF],
  space: { size: 0, used: 0, available: 0 },
  _links: LINKS,
});
const SNAP_FIELDS = fieldsOf({
  uuid: '',
  name: '',
  comment: '',
  create_time: '',
  consistency_group: REF,
  svm: REF,
  snapshot_volumes: [{ volume: REF, snapshot: REF }],
  is_partial: false,
  missing_volumes: [REF],
  _links: LINKS,
});
const KEYS = ['uuid', 'name'];

/** `volumes: [{name|uuid, provisioning_options: {action}}]`: existing volumes to add (or, in a PATCH, remove). */
function volumeChanges(state: OntapState, svm: string, body: Body): { add: VolumeRecord[]; remove: VolumeRecord[] } {
  const list = body.volumes;
  if (!Array.isArray(list) || list.length === 0) throw required('volumes');
  const out = { add: [] as VolumeRecord[], remove: [] as VolumeRecord[] };
  for (const item of list) {
    if (typeof item !== 'object' || item === null) throw invalidValue('volumes', item);
    const v = item as Body;
    const action = optString((v.provisioning_options ?? {}) as Body, 'action') ?? 'add';
    if (action !== 'add' && action !== 'remove') throw invalidValue('volumes.provisioning_options.action', action);
    const volume = resolve(
      state.volumesOf(svm),
      refValue({ uuid: v.uuid, name: v.name }, 'volumes'),
      'volumes',
      'Volume',
    );
    out[action].push(volume);
  }
  return out;
}

export function cgRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const base = '/application/consistency-groups';
  const snapOf = (cg: string, uuid: string): CgSnapshotRecord => {
    const s = state.cgSnapshots.get(uuid);
    if (!s || s.consistency_group !== cg) throw notFound(`Consistency group snapshot "${uuid}" not found`, 'uuid');
    return s;
  };

  router.get(base, (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: `/api${base}`,
        records: () => sorted(state.cgs.values()),
        view: (c) => cgView(state, c),
        fields: CG_FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get(`${base}/:uuid`, (req, res) =>
    answerRecord(req, res, cgView(state, state.cg(param(req, 'uuid'))), CG_FIELDS, KEYS),
  );

  router.post(base, async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, ['svm.uuid', 'svm.name', 'name', 'volumes']);
    const svm = svmRef(state, body);
    const name = reqString(body, 'name');
    const { add } = volumeChanges(state, svm.uuid, body);
    const uuid = state.newUuid();
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${uuid}`,
      plan: () =>
        planCreateCg(
          state,
          uuid,
          name,
          svm,
          add.map((v) => state.volume(v.uuid)),
        ),
      created: true,
      record: { uuid, name },
      svm: svm.uuid,
    });
  });

  router.patch(`${base}/:uuid`, async (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['volumes']);
    const { add, remove } = volumeChanges(state, cg.svm, body);
    await answerAsync(req, res, ctx, {
      description: `PATCH /api${base}/${cg.uuid}`,
      plan: () =>
        planChangeMembers(
          state,
          state.cg(cg.uuid),
          add.map((v) => state.volume(v.uuid)),
          remove.map((v) => state.volume(v.uuid)),
        ),
      svm: cg.svm,
    });
  });

  router.delete(`${base}/:uuid`, async (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    await answerAsync(req, res, ctx, {
      description: `DELETE /api${base}/${cg.uuid}`,
      plan: () => planDeleteCg(state, state.cg(cg.uuid)),
      svm: cg.svm,
    });
  });

  router.get(`${base}/:uuid/snapshots`, (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    answerCollection(
      req,
      res,
      {
        href: `/api${base}/${cg.uuid}/snapshots`,
        records: () => sorted(state.cgSnapshots.values()).filter((s) => s.consistency_group === cg.uuid),
        view: (s) => cgSnapshotView(state, s),
        fields: SNAP_FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    );
  });
  router.get(`${base}/:uuid/snapshots/:snap`, (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    answerRecord(req, res, cgSnapshotView(state, snapOf(cg.uuid, param(req, 'snap'))), SNAP_FIELDS, KEYS);
  });

  router.post(`${base}/:uuid/snapshots`, async (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['name', 'comment', 'snapmirror_label']);
    const name = reqString(body, 'name');
    const uuid = state.newUuid();
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${cg.uuid}/snapshots/${uuid}`,
      plan: () =>
        planCgSnapshot(
          state,
          state.cg(cg.uuid),
          uuid,
          name,
          optString(body, 'comment') ?? '',
          optString(body, 'snapmirror_label') ?? '',
        ),
      created: true,
      record: { uuid, name },
      svm: cg.svm,
    });
  });

  router.delete(`${base}/:uuid/snapshots/:snap`, async (req, res) => {
    const cg = state.cg(param(req, 'uuid'));
    const snap = snapOf(cg.uuid, param(req, 'snap'));
    await answerAsync(req, res, ctx, {
      description: `DELETE /api${base}/${cg.uuid}/snapshots/${snap.uuid}`,
      plan: () => planDeleteCgSnapshot(state, snapOf(cg.uuid, snap.uuid)),
      svm: cg.svm,
    });
  });

  return router;
}
