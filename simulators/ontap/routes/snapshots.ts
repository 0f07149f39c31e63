// /api/storage/volumes/{uuid}/snapshots: list, get, create, rename, delete (refused while a FlexClone depends on it).
import { Router } from 'express';
import type { SimContext } from '../context';
import { duplicate, invalidValue, notFound } from '../errors';
import { answerAsync } from '../state/jobs';
import { planCreateSnapshot, planDeleteSnapshot } from '../state/snapshots';
import type { SnapshotRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import type { OntapState } from '../state/state';
import { allowOnly, bodyOf, optRef, optString, param, reqString } from '../validate';
import { iso } from './volumes';
import { SNAPSHOT_DOCUMENTED, withDocumented } from '../documented';

export function snapshotView(state: OntapState, s: SnapshotRecord): Json {
  const volume = state.volume(s.volume);
  const svm = state.svm(volume.svm);
  return {
    uuid: s.uuid,
    name: s.name,
    volume: { uuid: volume.uuid, name: volume.name },
    svm: { uuid: svm.uuid, name: svm.name },
    create_time: iso(s.create_time),
    comment: s.comment,
    snapmirror_label: s.snapmirror_label,
    ...(s.expiry_time !== undefined ? { expiry_time: iso(s.expiry_time) } : {}),
    state: 'valid',
    _links: { self: { href: `/api/storage/volumes/${volume.uuid}/snapshots/${s.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    volume: REF,
    svm: REF,
    create_time: '',
    comment: '',
    snapmirror_label: '',
    expiry_time: '',
    state: '',
    _links: { self: { href: '' } },
  }),
  SNAPSHOT_DOCUMENTED,
);
const KEYS = ['uuid', 'name'];

/** `expiry_time`: an ISO-8601 date-time. */
function expiryOf(body: Json): number | undefined {
  const raw = optString(body, 'expiry_time');
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) throw invalidValue('expiry_time', raw);
  return ms;
}

const refMatches = (o: { uuid: string; name: string }, r: { uuid?: string; name?: string }): boolean =>
  (r.uuid === undefined || r.uuid === o.uuid) && (r.name === undefined || r.name === o.name);

export function snapshotRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  /** The snapshot, checked to belong to the volume of the path. */
  const snapshotOf = (volume: string, uuid: string): SnapshotRecord => {
    const s = state.snapshots.get(uuid);
    if (!s || s.volume !== volume) throw notFound(`Snapshot "${uuid}" of volume "${volume}" not found`, 'uuid');
    return s;
  };

  router.get('/storage/volumes/:volume/snapshots', (req, res) => {
    const volume = state.volume(param(req, 'volume'));
    answerCollection(
      req,
      res,
      {
        href: `/api/storage/volumes/${volume.uuid}/snapshots`,
        records: () => state.snapshotsOf(volume.uuid),
        view: (s) => snapshotView(state, s),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    );
  });

  router.get('/storage/volumes/:volume/snapshots/:uuid', (req, res) => {
    const s = snapshotOf(state.volume(param(req, 'volume')).uuid, param(req, 'uuid'));
    answerRecord(req, res, snapshotView(state, s), FIELDS, KEYS);
  });

  router.post('/storage/volumes/:volume/snapshots', async (req, res) => {
    const volume = state.volume(param(req, 'volume'));
    const body = bodyOf(req);
    allowOnly(body, ['name', 'comment', 'snapmirror_label', 'expiry_time', 'svm.name', 'svm.uuid']);
    // The SVM, when given, is the volume's (clients name it; the volume's uuid already says it).
    const svm = optRef(body, 'svm');
    if (svm && !refMatches(state.svm(volume.svm), svm)) throw invalidValue('svm', svm.name ?? svm.uuid);
    const uuid = state.newUuid();
    const input = {
      uuid,
      name: reqString(body, 'name'),
      comment: optString(body, 'comment') ?? '',
      label: optString(body, 'snapmirror_label') ?? '',
      expiry: expiryOf(body),
    };
    await answerAsync(req, res, ctx, {
      description: `POST /api/storage/volumes/${volume.uuid}/snapshots/${uuid}`,
      plan: () => planCreateSnapshot(state, state.volume(volume.uuid), input),
      created: true,
      record: { uuid, name: input.name },
      svm: volume.svm,
    });
  });

  router.patch('/storage/volumes/:volume/snapshots/:uuid', async (req, res) => {
    const volume = state.volume(param(req, 'volume'));
    const s = snapshotOf(volume.uuid, param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['name', 'comment', 'snapmirror_label', 'expiry_time']);
    const change = {
      name: optString(body, 'name'),
      comment: optString(body, 'comment'),
      label: optString(body, 'snapmirror_label'),
      expiry: expiryOf(body),
    };
    await answerAsync(req, res, ctx, {
      description: `PATCH /api/storage/volumes/${volume.uuid}/snapshots/${s.uuid}`,
      plan: () => {
        const live = snapshotOf(volume.uuid, s.uuid);
        if (change.name && state.snapshotsOf(volume.uuid).some((o) => o.name === change.name && o !== live)) {
          throw duplicate(`Snapshot "${change.name}" already exists in volume "${volume.name}"`, 'name');
        }
        return () => {
          if (change.name) live.name = change.name;
          if (change.comment !== undefined) live.comment = change.comment;
          if (change.label !== undefined) live.snapmirror_label = change.label;
          if (change.expiry !== undefined) live.expiry_time = change.expiry;
          state.changed();
        };
      },
      svm: volume.svm,
    });
  });

  router.delete('/storage/volumes/:volume/snapshots/:uuid', async (req, res) => {
    const volume = state.volume(param(req, 'volume'));
    const s = snapshotOf(volume.uuid, param(req, 'uuid'));
    await answerAsync(req, res, ctx, {
      description: `DELETE /api/storage/volumes/${volume.uuid}/snapshots/${s.uuid}`,
      plan: () => planDeleteSnapshot(state, snapshotOf(volume.uuid, s.uuid)),
      svm: volume.svm,
    });
  });

  return router;
}
