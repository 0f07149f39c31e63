// /v1/snapshot-schedules: a volume's snapshot schedules (list, create 202, set 202, delete 202) and their shared
// retention count.
import { Router } from 'express';
import type { RegionContext } from '../context';
import { notFound } from '../errors';
import type { ScheduleRecord } from '../state/model';
import { addSchedule } from '../state/schedules';
import { requireWritable } from '../state/volumes';
import { type Checker, PATTERN, bodyOf, param, requiredQuery } from '../validate';
import type { ApiVersion } from '../versions';
import { retention, scheduleBody } from '../views';

type ScheduleSpec = Pick<ScheduleRecord, 'frequency' | 'hour' | 'day_of_week'>;

/** Schema SnapshotSchedule; a weekly schedule names its day, a daily one none. */
function scheduleOf(b: Checker): ScheduleSpec | undefined {
  return b.object('snapshot_schedule', true, (c) => {
    const frequency = c.string('frequency', { required: true, pattern: PATTERN.scheduleFrequency });
    const hour = c.string('hour', { required: true, pattern: PATTERN.hour });
    const day = c.string('day_of_week', { nullable: true, pattern: PATTERN.dayOfWeek }) ?? null;
    if (frequency === 'WEEKLY' && !day)
      c.errors.push({ loc: ['body', 'day_of_week'], msg: 'A WEEKLY schedule names its day_of_week', type_: 'missing' });
    return { frequency, hour, day_of_week: frequency === 'DAILY' ? null : day } as ScheduleSpec;
  });
}

/** snapshot_retention_count: an integer in 1.0, a string of digits in 1.1. */
function retentionOf(b: Checker, version: ApiVersion): number | null | undefined {
  if (version === '1.0') return b.int('snapshot_retention_count', { nullable: true, min: 0, max: 128 });
  const s = b.string('snapshot_retention_count', { nullable: true, pattern: /^\d{1,3}$/, shown: 'digits' });
  return s === undefined ? undefined : Number(s);
}

export function scheduleRoutes(ctx: RegionContext): Router {
  const { state } = ctx;
  const router = Router();
  const policyOf = (volumeId: string) => state.policies.get(volumeId)?.retention_count ?? null;
  const setRetention = (volumeId: string, n: number | null | undefined) => {
    if (n !== undefined) state.policies.set(volumeId, { volume_id: volumeId, retention_count: n || null });
  };

  router.get('/v1/snapshot-schedules', (req, res) => {
    const v = state.volume(requiredQuery(req, 'volume_id'));
    const schedules = [...state.schedules.values()].filter((s) => s.volume_id === v.id);
    res.json({
      volume_id: v.id,
      snapshot_schedule: schedules.map((s) => ({ id: s.id, ...scheduleBody(s) })),
      snapshot_policy_enabled: schedules.length > 0,
      snapshot_retention_count: retention(policyOf(v.id), res.locals.version),
    });
  });

  router.post('/v1/snapshot-schedules', (req, res) => {
    const b = bodyOf(req);
    const volumeId = b.string('volume_id', { required: true });
    const spec = scheduleOf(b);
    const keep = retentionOf(b, res.locals.version);
    b.done();
    const v = state.volume(volumeId as string);
    requireWritable(v);
    const s = addSchedule(ctx, v, spec as ScheduleSpec);
    setRetention(v.id, keep);
    res.status(202).json({
      volume_id: v.id,
      snapshot_schedule: scheduleBody(s),
      snapshot_retention_count: retention(policyOf(v.id), res.locals.version),
    });
  });

  const scheduleOfVolume = (volumeId: string, id: string) => {
    const s = state.schedules.get(id);
    if (!s || s.volume_id !== volumeId) throw notFound(`Snapshot schedule ${id} of volume ${volumeId} not found`);
    return s;
  };

  router.put('/v1/snapshot-schedules/:snapshot_schedule_id', (req, res) => {
    const volumeId = requiredQuery(req, 'volume_id');
    state.volume(volumeId);
    const s = scheduleOfVolume(volumeId, param(req, 'snapshot_schedule_id'));
    const b = bodyOf(req);
    const spec = scheduleOf(b);
    const keep = retentionOf(b, res.locals.version);
    b.done();
    Object.assign(s, spec);
    setRetention(volumeId, keep);
    ctx.schedules.arm(s);
    state.changed();
    res.status(202).json({
      volume_id: volumeId,
      snapshot_schedule: scheduleBody(s),
      snapshot_retention_count: retention(policyOf(volumeId), res.locals.version),
    });
  });

  router.delete('/v1/snapshot-schedules/:snapshot_schedule_id', (req, res) => {
    const volumeId = requiredQuery(req, 'volume_id');
    state.volume(volumeId);
    const s = scheduleOfVolume(volumeId, param(req, 'snapshot_schedule_id'));
    ctx.schedules.cancel(s.id);
    state.schedules.delete(s.id);
    state.changed();
    res.status(202).end();
  });

  return router;
}
