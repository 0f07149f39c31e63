// /api/storage/volumes: list, get, create (FlexVol or FlexClone), modify (size, name, junction path, restore, clone
// split), delete.
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalid, invalidValue, required } from '../errors';
import { answerAsync } from '../state/jobs';
import { planSplit, splitPercent } from '../state/split';
import { planCreateVolume, planDeleteVolume, planModifyVolume, type VolumeCreate } from '../state/volumes';
import type { VolumeRecord } from '../state/model';
import { type Collection, type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { aggregateSpace, volumeSpace } from '../state/space';
import { VOLUME_SETTING_FIELDS, merge, settingsOf, settingsView } from '../state/volume-settings';
import { inSeqOrder, type OntapState } from '../state/state';
import {
  allowOnly,
  bodyOf,
  optBool,
  optInt,
  optObject,
  optRef,
  optString,
  param,
  refValue,
  reqString,
  resolve,
  svmRef,
  type Body,
} from '../validate';
import { VOLUME_DOCUMENTED, withDocumented } from '../documented';

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ref = (o: { uuid: string; name: string }) => ({ uuid: o.uuid, name: o.name });

export function volumeView(state: OntapState, v: VolumeRecord): Json {
  const space = volumeSpace(state, v);
  const aggr = state.aggregate(v.aggregate);
  const clone: Json = { is_flexclone: v.clone !== null };
  if (v.clone) {
    const parent = state.volumes.get(v.clone.parent_volume);
    const snap = state.snapshots.get(v.clone.parent_snapshot);
    if (parent) clone.parent_volume = ref(parent);
    if (snap) clone.parent_snapshot = ref(snap);
    clone.parent_svm = ref(state.svm(v.svm));
    clone.split_initiated = v.clone.split !== undefined;
    clone.split_complete_percent = splitPercent(v);
  }
  const view: Json = {
    uuid: v.uuid,
    name: v.name,
    svm: ref(state.svm(v.svm)),
    aggregates: [ref(aggr)],
    size: v.size,
    type: v.type,
    style: v.style ?? 'flexvol',
    state: v.state,
    is_svm_root: v.is_svm_root,
    comment: v.comment,
    create_time: iso(v.create_time),
    guarantee: { type: v.guarantee, honored: v.guarantee === 'none' || aggregateSpace(state, aggr).available >= 0 },
    space: {
      size: v.size,
      available: space.available,
      used: space.used,
      afs_total: space.afsTotal,
      snapshot: { used: space.snapshotOnly, reserve_percent: v.snapshot_reserve_percent, reserve_size: space.reserve },
      logical_space: {
        used: space.used,
        available: space.available,
        used_percent: v.size ? Math.round((space.used * 100) / v.size) : 0,
      },
    },
    ...(v.nas_path ? { nas: { path: v.nas_path } } : {}),
    clone,
    snapshot_count: state.snapshotsOf(v.uuid).length,
    // What a volume created with ONTAP's defaults reports for features the simulator does not model.
    snaplock: { type: 'non_snaplock' },
    // ONTAP's default: one inode per 32 KiB of volume size.
    files: { maximum: Math.floor(v.size / 32768), used: 96 + v.files.size },
    _links: { self: { href: `/api/storage/volumes/${v.uuid}` } },
  };
  // Kept settings (or ONTAP's defaults) join the objects they belong in (nas, space.logical_space ...).
  return merge(view, settingsView(v.type, v.settings));
}

const SAMPLE_REF = { uuid: '', name: '' };
export const VOLUME_FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    svm: SAMPLE_REF,
    aggregates: [SAMPLE_REF],
    size: 0,
    type: '',
    style: '',
    state: '',
    is_svm_root: false,
    comment: '',
    create_time: '',
    guarantee: { type: '', honored: true },
    space: {
      size: 0,
      available: 0,
      used: 0,
      afs_total: 0,
      snapshot: { used: 0, reserve_percent: 0, reserve_size: 0 },
      logical_space: { enforcement: false, reporting: false, used: 0, available: 0, used_percent: 0 },
    },
    nas: { path: '', security_style: '', export_policy: { name: '' }, uid: 0, gid: 0, unix_permissions: 0 },
    qos: { policy: { name: '' } },
    language: '',
    analytics: { state: '' },
    clone: {
      is_flexclone: false,
      parent_volume: SAMPLE_REF,
      parent_snapshot: SAMPLE_REF,
      parent_svm: SAMPLE_REF,
      split_initiated: false,
      split_complete_percent: 0,
    },
    snapshot_count: 0,
    snapshot_policy: { name: '' },
    tiering: { policy: '', min_cooling_days: 0 },
    encryption: { enabled: false },
    efficiency: { compression: '', dedupe: '', compaction: '', cross_volume_dedupe: '', policy: { name: '' } },
    snaplock: { type: '' },
    files: { maximum: 0, used: 0 },
    _links: { self: { href: '' } },
  }),
  VOLUME_DOCUMENTED,
);
const VOLUME_KEYS = ['uuid', 'name'];

const CREATE_FIELDS = [
  ...VOLUME_SETTING_FIELDS,
  'state',
  'name',
  'svm.uuid',
  'svm.name',
  'aggregates',
  'size',
  'type',
  'style',
  'guarantee.type',
  'space.snapshot.reserve_percent',
  'nas.path',
  'comment',
  'clone.is_flexclone',
  'clone.parent_volume.uuid',
  'clone.parent_volume.name',
  'clone.parent_snapshot.uuid',
  'clone.parent_snapshot.name',
  'clone.parent_svm.uuid',
  'clone.parent_svm.name',
];
const MODIFY_FIELDS = [
  ...VOLUME_SETTING_FIELDS,
  'state',
  'name',
  'size',
  'comment',
  'nas.path',
  'restore_to.snapshot.uuid',
  'restore_to.snapshot.name',
  'clone.split_initiated',
];

function guaranteeOf(body: Body): 'none' | 'volume' | undefined {
  const g = optString(optObject(body, 'guarantee') ?? {}, 'type');
  if (g !== undefined && g !== 'none' && g !== 'volume') throw invalidValue('guarantee.type', g);
  return g as 'none' | 'volume' | undefined;
}

function onlineState(body: Body): 'online' | 'offline' | undefined {
  const s = optString(body, 'state');
  if (s !== undefined && s !== 'online' && s !== 'offline') throw invalidValue('state', s);
  return s as 'online' | 'offline' | undefined;
}

function parseCreate(state: OntapState, uuid: string, body: Body): VolumeCreate {
  allowOnly(body, CREATE_FIELDS);
  const svm = svmRef(state, body);
  const style = optString(body, 'style')?.toLowerCase();
  if (style !== undefined && style !== 'flexvol' && style !== 'flexgroup') throw invalidValue('style', body.style);
  // A FlexGroup spreads over aggregates; the simulator serves it as one volume on the first.
  const aggrs = body.aggregates;
  if (
    aggrs !== undefined &&
    (!Array.isArray(aggrs) || aggrs.length === 0 || (aggrs.length !== 1 && style !== 'flexgroup'))
  )
    throw invalidValue('aggregates', aggrs);
  const aggrRef = aggrs ? refValue(aggrs[0], 'aggregates') : undefined;
  // ONTAP takes enum values in any case (the NetApp collection sends "DP").
  const type = optString(body, 'type')?.toLowerCase();
  if (type !== undefined && type !== 'rw' && type !== 'dp') throw invalidValue('type', body.type);
  const reserve = optInt(optObject(optObject(body, 'space') ?? {}, 'snapshot') ?? {}, 'reserve_percent');
  if (reserve !== undefined && reserve > 90) throw invalidValue('space.snapshot.reserve_percent', reserve);
  const clone = optObject(body, 'clone');
  const parentRef = clone ? optRef(clone, 'parent_volume') : undefined;
  if (clone && optBool(clone, 'is_flexclone') === true && !parentRef) throw required('clone.parent_volume.name');
  const parent = parentRef ? resolve(state.volumesOf(svm.uuid), parentRef, 'clone.parent_volume', 'Volume') : undefined;
  const snapRef = clone ? optRef(clone, 'parent_snapshot') : undefined;
  if (snapRef && !parent) throw required('clone.parent_volume.name');
  return {
    uuid,
    name: reqString(body, 'name'),
    svm,
    aggregate: aggrRef ? resolve(state.aggregates.values(), aggrRef, 'aggregates', 'Aggregate') : undefined,
    size: optInt(body, 'size'),
    guarantee: guaranteeOf(body),
    snapshotReservePercent: reserve,
    nasPath: optString(optObject(body, 'nas') ?? {}, 'path') || undefined,
    type: type as 'rw' | 'dp' | undefined,
    comment: optString(body, 'comment') ?? '',
    state: onlineState(body),
    settings: settingsOf(body),
    ...(style === 'flexgroup' ? { style: 'flexgroup' as const } : {}),
    clone: parent
      ? {
          parent,
          snapshot: snapRef
            ? resolve(state.snapshotsOf(parent.uuid), snapRef, 'clone.parent_snapshot', 'Snapshot')
            : undefined,
        }
      : undefined,
  };
}

export function volumeRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const collection: Collection<VolumeRecord> = {
    href: '/api/storage/volumes',
    records: () => inSeqOrder(state.volumes),
    view: (v) => volumeView(state, v),
    fields: VOLUME_FIELDS,
    keys: VOLUME_KEYS,
  };

  router.get('/storage/volumes', (req, res) => answerCollection(req, res, collection, ctx.settings));
  router.get('/storage/volumes/:uuid', (req, res) =>
    answerRecord(req, res, volumeView(state, state.volume(param(req, 'uuid'))), VOLUME_FIELDS, VOLUME_KEYS),
  );

  router.post('/storage/volumes', async (req, res) => {
    const uuid = state.newUuid();
    const input = parseCreate(state, uuid, bodyOf(req));
    await answerAsync(req, res, ctx, {
      description: `POST /api/storage/volumes/${uuid}`,
      plan: () =>
        planCreateVolume(state, {
          ...input,
          clone: input.clone && {
            parent: state.volume(input.clone.parent.uuid),
            snapshot: input.clone.snapshot && state.snapshot(input.clone.snapshot.uuid),
          },
        }),
      created: true,
      record: { uuid, name: input.name },
      svm: input.svm.uuid,
    });
  });

  router.patch('/storage/volumes/:uuid', async (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, MODIFY_FIELDS);
    const split = optBool(optObject(body, 'clone') ?? {}, 'split_initiated');
    if (split === false)
      throw invalid(
        'A FlexClone split cannot be undone: clone.split_initiated only takes true',
        'clone.split_initiated',
      );
    const restoreRef = optRef(optObject(body, 'restore_to') ?? {}, 'snapshot');
    const input = {
      name: optString(body, 'name'),
      size: optInt(body, 'size'),
      comment: optString(body, 'comment'),
      nasPath: optString(optObject(body, 'nas') ?? {}, 'path'),
      state: onlineState(body),
      settings: settingsOf(body),
      restoreTo: restoreRef
        ? resolve(state.snapshotsOf(volume.uuid), restoreRef, 'restore_to.snapshot', 'Snapshot')
        : undefined,
    };
    await answerAsync(req, res, ctx, {
      description: `PATCH /api/storage/volumes/${volume.uuid}`,
      plan: () => {
        const live = state.volume(volume.uuid);
        const modify = planModifyVolume(state, live, {
          ...input,
          restoreTo: input.restoreTo && state.snapshot(input.restoreTo.uuid),
        });
        const splitting = split ? planSplit(ctx, live) : undefined;
        return () => {
          modify();
          splitting?.();
        };
      },
      svm: volume.svm,
    });
  });

  router.delete('/storage/volumes/:uuid', async (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    await answerAsync(req, res, ctx, {
      description: `DELETE /api/storage/volumes/${volume.uuid}`,
      plan: () => planDeleteVolume(state, state.volume(volume.uuid)),
      svm: volume.svm,
    });
  });

  return router;
}
