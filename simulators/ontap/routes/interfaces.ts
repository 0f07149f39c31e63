// Network interfaces (LIFs): /api/network/ip/interfaces with their services, /api/network/fc/interfaces with their
// WWPNs.
import { Router } from 'express';
import type { SimContext } from '../context';
import { notFound } from '../errors';
import type { FcInterfaceRecord, IpInterfaceRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import { param } from '../validate';

const REF = { uuid: '', name: '' };
const LINKS = { self: { href: '' } };

function location(state: OntapState, node: string, port: string): Json {
  return { home_node: { uuid: node, name: state.nodes.get(node)?.name ?? '' }, home_port: { name: port } };
}

function ipView(state: OntapState, i: IpInterfaceRecord): Json {
  const svm = state.svm(i.svm);
  return {
    uuid: i.uuid,
    name: i.name,
    ip: { address: i.address, netmask: i.netmask, family: i.address.includes(':') ? 'ipv6' : 'ipv4' },
    svm: { uuid: svm.uuid, name: svm.name },
    scope: 'svm',
    services: i.services,
    enabled: i.enabled,
    state: i.enabled ? 'up' : 'down',
    location: location(state, i.home_node, i.home_port),
    _links: { self: { href: `/api/network/ip/interfaces/${i.uuid}` } },
  };
}

function fcView(state: OntapState, i: FcInterfaceRecord): Json {
  const svm = state.svm(i.svm);
  return {
    uuid: i.uuid,
    name: i.name,
    wwpn: i.wwpn,
    wwnn: i.wwnn,
    data_protocol: 'fcp',
    svm: { uuid: svm.uuid, name: svm.name },
    enabled: i.enabled,
    state: i.enabled ? 'up' : 'down',
    location: location(state, i.home_node, i.home_port),
    _links: { self: { href: `/api/network/fc/interfaces/${i.uuid}` } },
  };
}

const LOCATION = { home_node: REF, home_port: { name: '' } };
const IP_FIELDS = fieldsOf({
  uuid: '',
  name: '',
  ip: { address: '', netmask: '', family: '' },
  svm: REF,
  scope: '',
  services: [''],
  enabled: true,
  state: '',
  location: LOCATION,
  _links: LINKS,
});
const FC_FIELDS = fieldsOf({
  uuid: '',
  name: '',
  wwpn: '',
  wwnn: '',
  data_protocol: '',
  svm: REF,
  enabled: true,
  state: '',
  location: LOCATION,
  _links: LINKS,
});
const KEYS = ['uuid', 'name'];

export function interfaceRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  router.get('/network/ip/interfaces', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/network/ip/interfaces',
        records: () => sorted(state.ipInterfaces.values()),
        view: (i) => ipView(state, i),
        fields: IP_FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/network/ip/interfaces/:uuid', (req, res) => {
    const i = state.ipInterfaces.get(param(req, 'uuid'));
    if (!i) throw notFound(`Interface "${param(req, 'uuid')}" not found`, 'uuid');
    answerRecord(req, res, ipView(state, i), IP_FIELDS, KEYS);
  });
  router.get('/network/fc/interfaces', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/network/fc/interfaces',
        records: () => sorted(state.fcInterfaces.values()),
        view: (i) => fcView(state, i),
        fields: FC_FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/network/fc/interfaces/:uuid', (req, res) => {
    const i = state.fcInterfaces.get(param(req, 'uuid'));
    if (!i) throw notFound(`FC interface "${param(req, 'uuid')}" not found`, 'uuid');
    answerRecord(req, res, fcView(state, i), FC_FIELDS, KEYS);
  });
  return router;
}
