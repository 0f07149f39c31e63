// Snapshot schedules: a volume's schedules take snapshots at their hour (UTC), daily or weekly, and the volume's
// retention count keeps only the newest scheduled snapshots.
import { randomUUID } from 'node:crypto';
import type { RegionContext } from '../context';
import type { ScheduleRecord, VolumeRecord } from './model';
import { createSnapshot, deleteSnapshot } from './volumes';

export const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The next time (epoch ms, after `now`) the schedule fires. */
export function nextFire(now: number, s: Pick<ScheduleRecord, 'frequency' | 'hour' | 'day_of_week'>): number {
  const d = new Date(now);
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(s.hour));
  if (s.frequency === 'WEEKLY') {
    const want = DAYS.indexOf((s.day_of_week ?? 'SUN') as (typeof DAYS)[number]);
    at += ((want - new Date(at).getUTCDay() + 7) % 7) * DAY_MS;
    if (at <= now) at += 7 * DAY_MS;
  } else if (at <= now) at += DAY_MS;
  return at;
}

export function addSchedule(
  ctx: RegionContext,
  v: VolumeRecord,
  spec: Pick<ScheduleRecord, 'frequency' | 'hour' | 'day_of_week'>,
): ScheduleRecord {
  const s: ScheduleRecord = { id: randomUUID(), volume_id: v.id, ...spec };
  ctx.state.schedules.set(s.id, s);
  ctx.schedules.arm(s);
  ctx.state.changed();
  return s;
}

export class ScheduleClock {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly ctx: RegionContext) {}

  /** (Re)starts the schedule's timer for its next firing. */
  arm(s: ScheduleRecord): void {
    this.cancel(s.id);
    if (this.stopped) return;
    const delay = nextFire(this.ctx.now(), s) - this.ctx.now();
    const timer = setTimeout(() => this.fire(s.id), delay);
    timer.unref();
    this.timers.set(s.id, timer);
  }

  cancel(scheduleId: string): void {
    clearTimeout(this.timers.get(scheduleId));
    this.timers.delete(scheduleId);
  }

  /** The volume went: its schedules stop. */
  forget(volumeId: string): void {
    for (const [id] of this.timers) {
      const s = this.ctx.state.schedules.get(id);
      if (!s || s.volume_id === volumeId) this.cancel(id);
    }
  }

  /** A schedule's time came: a snapshot, then the oldest scheduled ones beyond the retention count go. */
  fire(scheduleId: string): void {
    const { state } = this.ctx;
    const s = state.schedules.get(scheduleId);
    if (!s) return;
    this.arm(s);
    const v = state.volumes.get(s.volume_id);
    if (!v || v.state !== 'available' || v.purpose !== 'NORMAL') return;
    createSnapshot(this.ctx, v, true);
    const keep = state.policies.get(v.id)?.retention_count;
    if (!keep) return;
    const scheduled = state.snapshotsOf(v.id).filter((x) => x.scheduled && x.state !== 'deleting');
    for (const old of scheduled.slice(0, Math.max(0, scheduled.length - keep)))
      if (old.state === 'available') deleteSnapshot(this.ctx, old);
  }

  dispose(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
