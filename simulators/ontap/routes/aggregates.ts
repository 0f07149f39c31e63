// /api/storage/aggregates: the cluster's aggregates with their space (what thin volumes and snapshots really take).
import { Router } from 'express';
import type { SimContext } from '../context';
import type { AggregateRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { aggregateSpace } from '../state/space';
import { type OntapState, sorted } from '../state/state';
import { param } from '../validate';
import { iso } from './volumes';
import { AGGREGATE_DOCUMENTED, withDocumented } from '../documented';

export function aggregateView(state: OntapState, a: AggregateRecord): Json {
  const space = aggregateSpace(state, a);
  const node = state.nodes.get(a.node);
  return {
    uuid: a.uuid,
    name: a.name,
    node: { uuid: a.node, name: node?.name ?? '' },
    state: 'online',
    create_time: iso(a.create_time),
    space: {
      block_storage: { size: space.size, available: space.available, used: space.used, full_threshold_percent: 98 },
      // The simulator stores every block as written: no deduplication or compression savings.
      efficiency: { ratio: 1, logical_used: a.store.usedBytes, savings: 0 },
    },
    block_storage: { primary: { raid_type: a.raid_type, disk_count: a.disk_count, disk_class: 'solid_state' } },
    _links: { self: { href: `/api/storage/aggregates/${a.uuid}` } },
  };
}

const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    node: { uuid: '', name: '' },
    state: '',
    create_time: '',
    space: {
      block_storage: { size: 0, available: 0, used: 0, full_threshold_percent: 0 },
      efficiency: { ratio: 0, logical_used: 0, savings: 0 },
    },
    block_storage: { primary: { raid_type: '', disk_count: 0, disk_class: '' } },
    _links: { self: { href: '' } },
  }),
  AGGREGATE_DOCUMENTED,
);
const KEYS = ['uuid', 'name'];

export function aggregateRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  router.get('/storage/aggregates', (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: '/api/storage/aggregates',
        records: () => sorted(state.aggregates.values()),
        view: (a) => aggregateView(state, a),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get('/storage/aggregates/:uuid', (req, res) =>
    answerRecord(req, res, aggregateView(state, state.aggregate(param(req, 'uuid'))), FIELDS, KEYS),
  );
  return router;
}
