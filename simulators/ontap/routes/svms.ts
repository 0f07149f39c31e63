// SVMs and their protocol services: /api/svm/svms, /api/protocols/nfs/services,
// /api/protocols/san/{iscsi,fcp}/services.
import { Router } from 'express';
import type { SimContext } from '../context';
import { notFound } from '../errors';
import type { SvmRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import { allowOnly, bodyOf, optBool, param } from '../validate';
import { SVM_DOCUMENTED, withDocumented } from '../documented';

const ref = (o: { uuid: string; name: string }) => ({ uuid: o.uuid, name: o.name });

export function svmView(state: OntapState, s: SvmRecord): Json {
  return {
    uuid: s.uuid,
    name: s.name,
    subtype: s.subtype,
    state: s.state,
    language: s.language,
    comment: s.comment,
    aggregates: s.aggregates.map((a) => ref(state.aggregate(a))),
    nfs: { enabled: s.nfs.enabled },
    iscsi: { enabled: s.iscsi.enabled },
    fcp: { enabled: s.fcp.enabled },
    ip_interfaces: sorted(state.ipInterfaces.values())
      .filter((i) => i.svm === s.uuid)
      .map((i) => ({ uuid: i.uuid, name: i.name, ip: { address: i.address }, services: i.services })),
    _links: { self: { href: `/api/svm/svms/${s.uuid}` } },
  };
}

const REF = { uuid: '', name: '' };
const LINKS = { self: { href: '' } };
const SVM_FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    subtype: '',
    state: '',
    language: '',
    comment: '',
    aggregates: [REF],
    nfs: { enabled: true },
    iscsi: { enabled: true },
    fcp: { enabled: true },
    ip_interfaces: [{ uuid: '', name: '', ip: { address: '' }, services: [''] }],
    _links: LINKS,
  }),
  SVM_DOCUMENTED,
);

type Protocol = 'nfs' | 'iscsi' | 'fcp';

function serviceView(s: SvmRecord, protocol: Protocol, href: string): Json {
  const base = { svm: ref(s), enabled: s[protocol].enabled, _links: { self: { href: `${href}/${s.uuid}` } } };
  if (protocol === 'nfs')
    return {
      ...base,
      state: s.nfs.enabled && s.state === 'running' ? 'online' : 'offline',
      protocol: { v3_enabled: true, v4_enabled: true },
    };
  if (protocol === 'iscsi') return { ...base, target: { name: s.iscsi.target_name, alias: s.iscsi.target_alias } };
  return { ...base, target: { name: s.fcp.target_wwnn } };
}

const SERVICE_FIELDS = fieldsOf({
  svm: REF,
  enabled: true,
  state: '',
  protocol: { v3_enabled: true, v4_enabled: true },
  target: { name: '', alias: '' },
  _links: LINKS,
});

export function svmRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/svm/svms', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/svm/svms',
        records: () => sorted(state.svms.values()),
        view: (s) => svmView(state, s),
        fields: SVM_FIELDS,
        keys: ['uuid', 'name'],
      },
      ctx.settings,
    ),
  );
  router.get('/svm/svms/:uuid', (req, res) =>
    answerRecord(req, res, svmView(state, state.svm(param(req, 'uuid'))), SVM_FIELDS, ['uuid', 'name']),
  );

  const services: [string, Protocol][] = [
    ['/protocols/nfs/services', 'nfs'],
    ['/protocols/san/iscsi/services', 'iscsi'],
    ['/protocols/san/fcp/services', 'fcp'],
  ];
  for (const [path, protocol] of services) {
    const href = `/api${path}`;
    router.get(path, (req, res) =>
      answerCollection(
        req,
        res,
        {
          href,
          records: () => sorted(state.svms.values()),
          view: (s) => serviceView(s, protocol, href),
          fields: SERVICE_FIELDS,
          keys: ['svm'],
        },
        ctx.settings,
      ),
    );
    const svmOf = (uuid: string): SvmRecord => {
      const s = state.svms.get(uuid);
      if (!s) throw notFound(`The ${protocol} service of SVM "${uuid}" not found`, 'svm.uuid');
      return s;
    };
    router.get(`${path}/:svm`, (req, res) =>
      answerRecord(req, res, serviceView(svmOf(param(req, 'svm')), protocol, href), SERVICE_FIELDS, ['svm']),
    );
    // Enabling or disabling a protocol answers at once, as ONTAP does for these services.
    router.patch(`${path}/:svm`, (req, res) => {
      const s = svmOf(param(req, 'svm'));
      const body = bodyOf(req);
      allowOnly(body, ['enabled']);
      const enabled = optBool(body, 'enabled');
      if (enabled !== undefined) s[protocol].enabled = enabled;
      state.changed();
      res.json({});
    });
  }
  return router;
}
