// The destination cluster's schedule runner: one timer per simulator starts the SnapMirror updates whose transfer
// schedule comes due.
import type { SimContext } from '../context';
import type { RelationshipRecord } from './model';
import { activeTransfer } from './relationships';
import { isDue } from './schedule-time';
import { effectiveSchedule } from './schedules';
import { startTransfer } from './transfer-receive';

/** How often the runner looks: fine enough for the simulator's one-second intervals, cheap for a cron minute. */
export const SCHEDULER_TICK_MS = 200;

export function startScheduler(ctx: SimContext): void {
  ctx.every(SCHEDULER_TICK_MS, () => runDue(ctx, Date.now()));
}

/**
 * One look at every relationship this cluster is the destination of (the destination drives transfers,
 * as in ONTAP). A schedule that newly applies only starts counting; a due run is spent even when it
 * is skipped (a transfer running, the relationship not snapmirrored), so missed runs never pile up.
 * Answers the relationships it started an update on.
 */
export function runDue(ctx: SimContext, now: number): RelationshipRecord[] {
  const { state } = ctx;
  const started: RelationshipRecord[] = [];
  let changed = false;
  for (const rel of state.relationships.values()) {
    // Group relationships move no data in the simulator: their schedules do not run.
    if (rel.role !== 'destination' || rel.endpoint) continue;
    const schedule = effectiveSchedule(state, rel);
    if (!schedule) {
      if (rel.schedule_run) {
        delete rel.schedule_run;
        changed = true;
      }
      continue;
    }
    if (rel.schedule_run?.schedule !== schedule.uuid) {
      rel.schedule_run = { schedule: schedule.uuid, at: now };
      changed = true;
      continue;
    }
    if (!isDue(schedule, rel.schedule_run.at, now)) continue;
    rel.schedule_run.at = now;
    changed = true;
    // paused, broken_off and uninitialized relationships are not updated by their schedule.
    if (rel.state !== 'snapmirrored' || activeTransfer(state, rel)) continue;
    started.push(rel);
    // What POST .../transfers without source_snapshot does: the policy picks (or creates) the snapshots.
    // A failure (the source unreachable, say) leaves no transfer record; the next run tries again.
    void startTransfer(ctx, rel, { type: 'update' }).catch(() => undefined);
  }
  if (changed) state.changed();
  return started;
}
