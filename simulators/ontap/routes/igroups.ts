// /api/protocols/san/igroups: initiator groups with iSCSI/FC initiators and nested child igroups (ONTAP 9.9+);
// synchronous.
import { Router } from 'express';
import type { SimContext } from '../context';
import { duplicate, invalid, invalidValue, notFound } from '../errors';
import type { IgroupProtocol, IgroupRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import {
  allowOnly,
  bodyOf,
  checkName,
  optString,
  param,
  refValue,
  reqString,
  resolve,
  svmRef,
  type Body,
} from '../validate';
import { IGROUP_DOCUMENTED, withDocumented } from '../documented';

const IQN = /^(iqn\.\d{4}-\d{2}\.\S+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/;
const WWPN = /^([0-9A-Fa-f]{2}:){7}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{16}$/;
const OS_TYPES = ['aix', 'hpux', 'hyper_v', 'linux', 'netware', 'openvms', 'solaris', 'vmware', 'windows', 'xen'];

/** WWPNs are kept in the colon form ONTAP shows. */
export function normalizeInitiator(name: string, protocol: IgroupProtocol): string {
  if (IQN.test(name)) {
    if (protocol === 'fcp')
      throw invalid(`Initiator "${name}" is an iSCSI name; igroup protocol is fcp`, 'initiators.name');
    return name;
  }
  if (WWPN.test(name)) {
    if (protocol === 'iscsi')
      throw invalid(`Initiator "${name}" is a Fibre Channel WWPN; igroup protocol is iscsi`, 'initiators.name');
    const hex = name.replace(/:/g, '').toLowerCase();
    return hex.match(/../g)!.join(':');
  }
  throw invalidValue('initiators.name', name);
}

export const parentsOf = (state: OntapState, uuid: string): IgroupRecord[] =>
  [...state.igroups.values()].filter((g) => g.igroups.includes(uuid));

export function igroupView(state: OntapState, g: IgroupRecord): Json {
  const svm = state.svm(g.svm);
  const ref = (u: string) => {
    const o = state.igroups.get(u);
    return { uuid: u, name: o?.name ?? '' };
  };
  return {
    uuid: g.uuid,
    name: g.name,
    svm: { uuid: svm.uuid, name: svm.name },
    os_type: g.os_type,
    protocol: g.protocol,
    comment: g.comment,
    initiators: g.initiators.map((name) => ({ name })),
    igroups: g.igroups.map(ref),
    parent_igroups: parentsOf(state, g.uuid).map((p) => ref(p.uuid)),
    lun_maps: state.mapsOfIgroup(g.uuid).map((m) => {
      const lun = state.lun(m.lun);
      return {
        lun: { uuid: lun.uuid, name: `/vol/${state.volume(lun.volume).name}/${lun.file}` },
        logical_unit_number: m.logical_unit_number,
      };
    }),
    _links: { self: { href: `/api/protocols/san/igroups/${g.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    svm: REF,
    os_type: '',
    protocol: '',
    comment: '',
    initiators: [{ name: '' }],
    igroups: [REF],
    parent_igroups: [REF],
    lun_maps: [{ lun: REF, logical_unit_number: 0 }],
    _links: { self: { href: '' } },
  }),
  IGROUP_DOCUMENTED,
);
const KEYS = ['uuid', 'name', 'svm'];

function initiatorList(body: Body, protocol: IgroupProtocol): string[] {
  const raw = body.initiators ?? body.records;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidValue('initiators', raw);
  return raw.map((i) => {
    const name = typeof i === 'object' && i !== null ? (i as Body).name : undefined;
    if (typeof name !== 'string') throw invalidValue('initiators.name', i);
    return normalizeInitiator(name, protocol);
  });
}

export function igroupRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const byName = (svm: string, name: string, self?: IgroupRecord) =>
    [...state.igroups.values()].some((g) => g.svm === svm && g.name === name && g !== self);

  router.get('/protocols/san/igroups', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/protocols/san/igroups',
        records: () => sorted(state.igroups.values()),
        view: (g) => igroupView(state, g),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/protocols/san/igroups/:uuid', (req, res) =>
    answerRecord(req, res, igroupView(state, state.igroup(param(req, 'uuid'))), FIELDS, KEYS),
  );

  router.post('/protocols/san/igroups', (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, ['svm.uuid', 'svm.name', 'name', 'os_type', 'protocol', 'initiators', 'igroups', 'comment']);
    const svm = svmRef(state, body);
    const name = checkName(reqString(body, 'name'), 'name', 96);
    const osType = reqString(body, 'os_type');
    if (!OS_TYPES.includes(osType)) throw invalidValue('os_type', osType);
    const protocol = (optString(body, 'protocol') ?? 'mixed') as IgroupProtocol;
    if (!['iscsi', 'fcp', 'mixed'].includes(protocol)) throw invalidValue('protocol', protocol);
    const initiators = initiatorList(body, protocol);
    const children = Array.isArray(body.igroups)
      ? body.igroups.map(
          (c) =>
            resolve(
              [...state.igroups.values()].filter((g) => g.svm === svm.uuid),
              refValue(c, 'igroups'),
              'igroups',
              'Igroup',
            ).uuid,
        )
      : [];
    if (initiators.length && children.length)
      throw invalid('An igroup holds either initiators or child igroups, not both', 'igroups');
    if (byName(svm.uuid, name))
      throw duplicate(`An igroup named "${name}" already exists in SVM "${svm.name}"`, 'name');
    const g: IgroupRecord = {
      uuid: state.newUuid(),
      seq: state.nextSeq(),
      name,
      svm: svm.uuid,
      os_type: osType,
      protocol,
      initiators: [...new Set(initiators)],
      igroups: children,
      comment: optString(body, 'comment') ?? '',
    };
    state.igroups.set(g.uuid, g);
    state.changed();
    res.status(201).location(`/api/protocols/san/igroups/${g.uuid}`);
    res.json(queryOf(req).get('return_records') === 'true' ? { num_records: 1, records: [igroupView(state, g)] } : {});
  });

  router.patch('/protocols/san/igroups/:uuid', (req, res) => {
    const g = state.igroup(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['name', 'comment', 'os_type']);
    const name = optString(body, 'name');
    if (name !== undefined && byName(g.svm, checkName(name, 'name', 96), g))
      throw duplicate(`An igroup named "${name}" already exists`, 'name');
    const osType = optString(body, 'os_type');
    if (osType !== undefined && !OS_TYPES.includes(osType)) throw invalidValue('os_type', osType);
    if (name !== undefined) g.name = name;
    if (osType !== undefined) g.os_type = osType;
    g.comment = optString(body, 'comment') ?? g.comment;
    state.changed();
    res.json({});
  });

  router.delete('/protocols/san/igroups/:uuid', (req, res) => {
    const g = state.igroup(param(req, 'uuid'));
    if (queryOf(req).get('allow_delete_while_mapped') !== 'true' && state.mapsOfIgroup(g.uuid).length) {
      throw invalid(`Igroup "${g.name}" has LUN maps; unmap them first or use allow_delete_while_mapped`, 'uuid');
    }
    if (parentsOf(state, g.uuid).length) throw invalid(`Igroup "${g.name}" is a child of another igroup`, 'uuid');
    for (const m of state.mapsOfIgroup(g.uuid)) state.lunMaps.delete(`${m.lun}/${m.igroup}`);
    state.igroups.delete(g.uuid);
    state.changed();
    res.json({});
  });

  router.post('/protocols/san/igroups/:uuid/initiators', (req, res) => {
    const g = state.igroup(param(req, 'uuid'));
    const body = bodyOf(req);
    const added =
      typeof body.name === 'string' ? [normalizeInitiator(body.name, g.protocol)] : initiatorList(body, g.protocol);
    if (g.igroups.length) throw invalid('An igroup with child igroups holds no initiators', 'initiators');
    g.initiators = [...new Set([...g.initiators, ...added])];
    state.changed();
    res.status(201).json({});
  });

  router.delete('/protocols/san/igroups/:uuid/initiators/:name', (req, res) => {
    const g = state.igroup(param(req, 'uuid'));
    const name = param(req, 'name');
    if (!g.initiators.includes(name)) throw notFound(`Initiator "${name}" is not in igroup "${g.name}"`, 'name');
    g.initiators = g.initiators.filter((i) => i !== name);
    state.changed();
    res.json({});
  });

  return router;
}
