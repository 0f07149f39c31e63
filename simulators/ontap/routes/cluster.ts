// /api/cluster, its nodes and jobs: what clients read first (`GET /api/cluster?fields=version`). Job schedules are in
// schedules.ts.
import { Router } from 'express';
import type { SimContext } from '../context';
import { notFound } from '../errors';
import { jobView } from '../state/jobs';
import type { NodeRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { sorted } from '../state/state';
import { param } from '../validate';
import { CLUSTER_DOCUMENTED, NODE_DOCUMENTED, withDocumented } from '../documented';

const nodeView = (n: NodeRecord): Json => ({
  uuid: n.uuid,
  name: n.name,
  serial_number: n.serial_number,
  model: n.model,
  system_id: n.system_id,
  state: 'up',
  _links: { self: { href: `/api/cluster/nodes/${n.uuid}` } },
});

const LINKS = { self: { href: '' } };
const CLUSTER_FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    version: { full: '', generation: 0, major: 0, minor: 0 },
    location: '',
    contact: '',
    _links: LINKS,
  }),
  CLUSTER_DOCUMENTED,
);
const NODE_FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    serial_number: '',
    model: '',
    system_id: '',
    state: '',
    _links: LINKS,
  }),
  NODE_DOCUMENTED,
);
const JOB_FIELDS = fieldsOf({
  uuid: '',
  description: '',
  state: '',
  message: '',
  code: 0,
  start_time: '',
  end_time: '',
  error: { code: '', message: '', target: '' },
  svm: { uuid: '' },
  _links: LINKS,
});

export function clusterRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/cluster', (req, res) => {
    const c = state.cluster;
    answerRecord(
      req,
      res,
      {
        uuid: c.uuid,
        name: c.name,
        version: c.version,
        location: c.location,
        contact: c.contact,
        _links: { self: { href: '/api/cluster' } },
      },
      CLUSTER_FIELDS,
      [],
    );
  });

  router.get('/cluster/nodes', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/cluster/nodes',
        records: () => sorted(state.nodes.values()),
        view: nodeView,
        fields: NODE_FIELDS,
        keys: ['uuid', 'name'],
      },
      ctx.settings,
    ),
  );
  router.get('/cluster/nodes/:uuid', (req, res) => {
    const node = state.nodes.get(param(req, 'uuid'));
    if (!node) throw notFound(`Node "${param(req, 'uuid')}" not found`, 'uuid');
    answerRecord(req, res, nodeView(node), NODE_FIELDS, ['uuid', 'name']);
  });

  router.get('/cluster/jobs', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/cluster/jobs',
        records: () => sorted(state.jobs.values()),
        view: jobView,
        fields: JOB_FIELDS,
        keys: ['uuid'],
      },
      ctx.settings,
    ),
  );
  router.get('/cluster/jobs/:uuid', (req, res) => {
    const job = state.jobs.get(param(req, 'uuid'));
    if (!job) throw notFound(`Job "${param(req, 'uuid')}" not found`, 'uuid');
    answerRecord(req, res, jobView(job), JOB_FIELDS, ['uuid']);
  });

  return router;
}
