// /api/protocols/san/lun-maps: LUN to igroup maps with logical unit numbers unique to what each initiator sees;
// synchronous.
import { Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, conflict, invalid, notFound, required } from '../errors';
import type { LunMapRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import { allowOnly, bodyOf, optInt, optRef, param, resolve } from '../validate';
import { parentsOf } from './igroups';
import { LUN_MAP_DOCUMENTED, withDocumented } from '../documented';

/** ONTAP's highest logical unit number. */
const MAX_LUN_ID = 4095;

export function lunMapView(state: OntapState, m: LunMapRecord): Json {
  const lun = state.lun(m.lun);
  const volume = state.volume(lun.volume);
  const ig = state.igroup(m.igroup);
  const svm = state.svm(lun.svm);
  return {
    svm: { uuid: svm.uuid, name: svm.name },
    lun: { uuid: lun.uuid, name: `/vol/${volume.name}/${lun.file}` },
    igroup: { uuid: ig.uuid, name: ig.name, protocol: ig.protocol, os_type: ig.os_type },
    logical_unit_number: m.logical_unit_number,
    _links: { self: { href: `/api/protocols/san/lun-maps/${lun.uuid}/${ig.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const FIELDS = withDocumented(
  fieldsOf({
    svm: REF,
    lun: REF,
    igroup: { uuid: '', name: '', protocol: '', os_type: '' },
    logical_unit_number: 0,
    _links: { self: { href: '' } },
  }),
  LUN_MAP_DOCUMENTED,
);
const KEYS = ['svm', 'lun', 'igroup'];

/**
 * The igroups whose LUN numbers an initiator of `igroup` sees together: itself, its parents (which map
 * to all their children) and its children. A new number must be free in all of them.
 */
function reportingSet(state: OntapState, igroup: string): Set<string> {
  const set = new Set([igroup, ...state.igroup(igroup).igroups]);
  for (const p of parentsOf(state, igroup)) set.add(p.uuid);
  return set;
}

export function lunMapRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const key = (lun: string, igroup: string) => `${lun}/${igroup}`;

  router.get('/protocols/san/lun-maps', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/protocols/san/lun-maps',
        records: () => sorted(state.lunMaps.values()),
        view: (m) => lunMapView(state, m),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/protocols/san/lun-maps/:lun/:igroup', (req, res) => {
    const m = state.lunMaps.get(key(param(req, 'lun'), param(req, 'igroup')));
    if (!m) throw notFound('LUN map not found', 'lun.uuid');
    answerRecord(req, res, lunMapView(state, m), FIELDS, KEYS);
  });

  router.post('/protocols/san/lun-maps', (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, [
      'svm.uuid',
      'svm.name',
      'lun.uuid',
      'lun.name',
      'igroup.uuid',
      'igroup.name',
      'logical_unit_number',
    ]);
    const lunRef = optRef(body, 'lun');
    const igRef = optRef(body, 'igroup');
    if (!lunRef) throw required('lun.uuid');
    if (!igRef) throw required('igroup.uuid');
    const svmRefd = optRef(body, 'svm');
    const luns = [...state.luns.values()].map((l) => ({
      uuid: l.uuid,
      name: `/vol/${state.volume(l.volume).name}/${l.file}`,
      svm: l.svm,
    }));
    const lun = state.lun(
      resolve(
        luns.filter((l) => !svmRefd || l.svm === svmRefd.uuid || state.svm(l.svm).name === svmRefd.name),
        lunRef,
        'lun',
        'LUN',
      ).uuid,
    );
    const ig = resolve(
      [...state.igroups.values()].filter((g) => g.svm === lun.svm),
      igRef,
      'igroup',
      'Igroup',
    );
    if (state.lunMaps.has(key(lun.uuid, ig.uuid))) {
      throw conflict(ONTAP_ERROR.LUN_MAP_EXISTS, `LUN "${lun.file}" is already mapped to igroup "${ig.name}"`, 'lun');
    }
    const taken = new Set(
      [...reportingSet(state, ig.uuid)].flatMap((g) => state.mapsOfIgroup(g).map((m) => m.logical_unit_number)),
    );
    let number = optInt(body, 'logical_unit_number');
    if (number !== undefined) {
      if (number > MAX_LUN_ID)
        throw invalid(`Logical unit number ${number} is above ${MAX_LUN_ID}`, 'logical_unit_number');
      if (taken.has(number))
        throw conflict(
          ONTAP_ERROR.LUN_NUMBER_IN_USE,
          `Logical unit number ${number} is already used in igroup "${ig.name}"`,
          'logical_unit_number',
        );
    } else {
      number = 0;
      while (taken.has(number)) number++;
    }
    const m: LunMapRecord = { seq: state.nextSeq(), lun: lun.uuid, igroup: ig.uuid, logical_unit_number: number };
    state.lunMaps.set(key(lun.uuid, ig.uuid), m);
    state.changed();
    res.status(201).location(`/api/protocols/san/lun-maps/${lun.uuid}/${ig.uuid}`);
    res.json(queryOf(req).get('return_records') === 'true' ? { num_records: 1, records: [lunMapView(state, m)] } : {});
  });

  router.delete('/protocols/san/lun-maps/:lun/:igroup', (req, res) => {
    const k = key(param(req, 'lun'), param(req, 'igroup'));
    if (!state.lunMaps.has(k)) throw notFound('LUN map not found', 'lun.uuid');
    state.lunMaps.delete(k);
    state.changed();
    res.json({});
  });

  return router;
}
