// /api/storage/luns: LUNs with serial numbers, created in a volume, brought online/offline, resized and deleted
// (synchronous, as ONTAP answers them).
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalid, invalidValue, required } from '../errors';
import { assertUnmapped, dropLun, lunPath, planCreateLun } from '../state/luns';
import type { LunRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
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
  reqString,
  resolve,
  svmRef,
} from '../validate';
import { iso } from './volumes';
import { LUN_DOCUMENTED, withDocumented } from '../documented';

export function lunView(state: OntapState, l: LunRecord): Json {
  const volume = state.volume(l.volume);
  const svm = state.svm(l.svm);
  const maps = state.mapsOfLun(l.uuid);
  const file = volume.files.get(l.file);
  return {
    uuid: l.uuid,
    name: lunPath(volume, l),
    svm: { uuid: svm.uuid, name: svm.name },
    location: { volume: { uuid: volume.uuid, name: volume.name }, logical_unit: l.file },
    class: 'regular',
    os_type: l.os_type,
    serial_number: l.serial,
    comment: l.comment,
    create_time: iso(l.create_time),
    enabled: l.enabled,
    space: {
      size: l.size,
      used: file ? state.storeOf(volume).referencedBytes(file) : 0,
      guarantee: {
        requested: l.space_reserve ?? false,
        reserved: (l.space_reserve ?? false) && volume.guarantee !== 'none',
      },
      scsi_thin_provisioning_support_enabled: l.thin_provisioning_support ?? false,
    },
    ...(l.qos_policy ? { qos_policy: { name: l.qos_policy } } : {}),
    status: {
      state: l.enabled && volume.state === 'online' ? 'online' : 'offline',
      mapped: maps.length > 0,
      read_only: volume.type === 'dp',
    },
    lun_maps: maps.map((m) => {
      const ig = state.igroup(m.igroup);
      return { igroup: { uuid: ig.uuid, name: ig.name }, logical_unit_number: m.logical_unit_number };
    }),
    _links: { self: { href: `/api/storage/luns/${l.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    svm: REF,
    location: { volume: REF, logical_unit: '' },
    class: '',
    os_type: '',
    serial_number: '',
    comment: '',
    create_time: '',
    enabled: true,
    space: {
      size: 0,
      used: 0,
      guarantee: { requested: false, reserved: false },
      scsi_thin_provisioning_support_enabled: false,
    },
    qos_policy: { name: '' },
    status: { state: '', mapped: false, read_only: false },
    lun_maps: [{ igroup: REF, logical_unit_number: 0 }],
    _links: { self: { href: '' } },
  }),
  LUN_DOCUMENTED,
);
const KEYS = ['uuid', 'name', 'svm'];
const OS_TYPES = [
  'aix',
  'hpux',
  'hyper_v',
  'linux',
  'netware',
  'openvms',
  'solaris',
  'solaris_efi',
  'vmware',
  'windows',
  'windows_2008',
  'windows_gpt',
  'xen',
];

/** Settings a LUN keeps and answers without acting on them. */
const KEPT = ['space.guarantee.requested', 'space.scsi_thin_provisioning_support_enabled', 'qos_policy.name'];

function keptOf(body: Json): Partial<LunRecord> {
  const space = optObject(body, 'space') ?? {};
  const reserve = optBool(optObject(space, 'guarantee') ?? {}, 'requested');
  const thin = optBool(space, 'scsi_thin_provisioning_support_enabled');
  const qos = optString(optObject(body, 'qos_policy') ?? {}, 'name');
  return {
    ...(reserve !== undefined ? { space_reserve: reserve } : {}),
    ...(thin !== undefined ? { thin_provisioning_support: thin } : {}),
    ...(qos !== undefined ? { qos_policy: qos } : {}),
  };
}

export function lunRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/storage/luns', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/storage/luns',
        records: () => inSeqOrder(state.luns),
        view: (l) => lunView(state, l),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/storage/luns/:uuid', (req, res) =>
    answerRecord(req, res, lunView(state, state.lun(param(req, 'uuid'))), FIELDS, KEYS),
  );

  router.post('/storage/luns', (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, [
      'svm.uuid',
      'svm.name',
      'name',
      'location.volume.uuid',
      'location.volume.name',
      'location.logical_unit',
      'os_type',
      'space.size',
      'comment',
      ...KEPT,
    ]);
    const svm = svmRef(state, body);
    const osType = reqString(body, 'os_type');
    if (!OS_TYPES.includes(osType)) throw invalidValue('os_type', osType);
    const size = optInt(optObject(body, 'space') ?? {}, 'size');
    if (size === undefined) throw required('space.size');
    // A LUN is named either by its path "/vol/<volume>/<lun>" or by location.volume and location.logical_unit.
    const path = optString(body, 'name');
    const location = optObject(body, 'location');
    let volumeRef = location ? optRef(location, 'volume') : undefined;
    let file = location ? optString(location, 'logical_unit') : undefined;
    if (path !== undefined) {
      const m = /^\/vol\/([^/]+)\/([^/]+)$/.exec(path);
      if (!m) throw invalidValue('name', path);
      volumeRef = { name: m[1] };
      file = m[2];
    }
    if (!volumeRef || !file) throw required('name');
    const volume = resolve(state.volumesOf(svm.uuid), volumeRef, 'location.volume', 'Volume');
    const uuid = state.newUuid();
    const lun = planCreateLun(state, {
      uuid,
      volume,
      file,
      size,
      os_type: osType,
      comment: optString(body, 'comment') ?? '',
    })();
    Object.assign(lun, keptOf(body));
    state.changed();
    res.status(201).location(`/api/storage/luns/${lun.uuid}`);
    res.json(queryOf(req).get('return_records') === 'true' ? { num_records: 1, records: [lunView(state, lun)] } : {});
  });

  router.patch('/storage/luns/:uuid', (req, res) => {
    const lun = state.lun(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['enabled', 'space.size', 'comment', ...KEPT]);
    const enabled = optBool(body, 'enabled');
    const size = optInt(optObject(body, 'space') ?? {}, 'size');
    const comment = optString(body, 'comment');
    if (size !== undefined) {
      const volume = state.volume(lun.volume);
      if (size < lun.size) throw invalid('A LUN cannot be shrunk below its size', 'space.size');
      if (size > volume.size) throw invalid(`LUN size ${size} is larger than volume "${volume.name}"`, 'space.size');
      lun.size = size;
    }
    if (enabled !== undefined) lun.enabled = enabled;
    if (comment !== undefined) lun.comment = comment;
    Object.assign(lun, keptOf(body));
    state.changed();
    res.json({});
  });

  router.delete('/storage/luns/:uuid', (req, res) => {
    const lun = state.lun(param(req, 'uuid'));
    if (queryOf(req).get('allow_delete_while_mapped') !== 'true') assertUnmapped(state, lun);
    dropLun(state, lun);
    state.changed();
    res.json({});
  });

  return router;
}
