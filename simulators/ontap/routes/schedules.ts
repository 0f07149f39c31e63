// /api/cluster/schedules: job schedules (cron or interval) that SnapMirror policies and relationships name as their
// transfer schedule.
import { Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, duplicate, invalid, invalidValue, notFound } from '../errors';
import { cronOf, intervalOf, newSchedule, usesOfSchedule } from '../state/schedules';
import type { ScheduleRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
import { sorted } from '../state/state';
import { allowOnly, bodyOf, optRef, param, reqString } from '../validate';

export const scheduleView = (s: ScheduleRecord): Json => ({
  uuid: s.uuid,
  name: s.name,
  type: s.type,
  ...(s.cron ? { cron: s.cron } : {}),
  ...(s.interval ? { interval: s.interval } : {}),
  scope: 'cluster',
  _links: { self: { href: `/api/cluster/schedules/${s.uuid}` } },
});

const FIELDS = fieldsOf({
  uuid: '',
  name: '',
  type: '',
  cron: { minutes: [0], hours: [0], weekdays: [0], days: [0], months: [0] },
  interval: '',
  scope: '',
  _links: { self: { href: '' } },
});
const KEYS = ['uuid', 'name'];
/** Schedule names may start with a digit (ONTAP ships "5min" and "8hour"). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}$/;
const CRON_KEYS = ['cron.minutes', 'cron.hours', 'cron.days', 'cron.months', 'cron.weekdays'];

export function scheduleRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const base = '/cluster/schedules';
  const scheduleOf = (uuid: string): ScheduleRecord => {
    const s = state.schedules.get(uuid);
    if (!s) throw notFound(`Schedule "${uuid}" not found`, 'uuid');
    return s;
  };

  router.get(base, (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: `/api${base}`,
        records: () => sorted(state.schedules.values()),
        view: scheduleView,
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get(`${base}/:uuid`, (req, res) =>
    answerRecord(req, res, scheduleView(scheduleOf(param(req, 'uuid'))), FIELDS, KEYS),
  );

  // Schedules are created and changed at once (no job), as ONTAP answers them.
  router.post(base, (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, ['name', 'type', 'interval', 'cluster.name', 'cluster.uuid', ...CRON_KEYS]);
    const name = reqString(body, 'name');
    if (!NAME.test(name)) throw invalidValue('name', name);
    const cluster = optRef(body, 'cluster');
    if (
      cluster &&
      ((cluster.name && cluster.name !== state.cluster.name) || (cluster.uuid && cluster.uuid !== state.cluster.uuid))
    ) {
      throw invalid('Schedules can be created on the local cluster only', 'cluster');
    }
    const spec = newSchedule(body);
    if (state.scheduleNamed(name)) throw duplicate(`A schedule named "${name}" already exists`, 'name');
    const s: ScheduleRecord = { uuid: state.newUuid(), seq: state.nextSeq(), name, ...spec };
    state.schedules.set(s.uuid, s);
    state.changed();
    res.status(201).location(`/api${base}/${s.uuid}`);
    res.json(queryOf(req).get('return_records') === 'true' ? { num_records: 1, records: [scheduleView(s)] } : {});
  });

  // The type stays: a cron schedule takes cron fields (only those named change), an interval schedule a new interval.
  router.patch(`${base}/:uuid`, (req, res) => {
    const s = scheduleOf(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['interval', ...CRON_KEYS]);
    if (s.type === 'cron' && body.interval !== undefined)
      throw invalid(`Schedule "${s.name}" is a cron schedule: it takes "cron", not "interval"`, 'interval');
    if (s.type === 'interval' && body.cron !== undefined)
      throw invalid(`Schedule "${s.name}" is an interval schedule: it takes "interval", not "cron"`, 'cron');
    const cron = body.cron !== undefined ? cronOf(body.cron, s.cron) : undefined;
    const interval = body.interval !== undefined ? intervalOf(body.interval) : undefined;
    if (cron) s.cron = cron;
    if (interval) s.interval = interval;
    state.changed();
    res.json({});
  });

  router.delete(`${base}/:uuid`, (req, res) => {
    const s = scheduleOf(param(req, 'uuid'));
    const uses = usesOfSchedule(state, s.uuid);
    if (uses.length) {
      throw new OntapError(
        409,
        ONTAP_ERROR.SCHEDULE_IN_USE,
        `Cannot delete job schedule "${s.name}" because it is in use by: ${uses.join(', ')}. Remove all references to the schedule, and then try to delete again.`,
        'uuid',
      );
    }
    state.schedules.delete(s.uuid);
    state.changed();
    res.json({});
  });

  return router;
}
