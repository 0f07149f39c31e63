// When a job schedule comes due: ISO-8601 intervals in milliseconds, and cron specs matched against wall-clock minutes.
import type { ScheduleRecord } from './model';

export type Cron = NonNullable<ScheduleRecord['cron']>;

/** The cron fields, their ranges as the REST API numbers them (months 1-12, weekdays 0 = Sunday). */
export const CRON_RANGES = {
  minutes: [0, 59],
  hours: [0, 23],
  days: [1, 31],
  months: [1, 12],
  weekdays: [0, 6],
} as const;

/**
 * The simulator's shortest interval. ONTAP's job manager works in whole minutes for cron schedules and
 * SnapMirror refuses interval schedules on policies; seconds exist here only so that tests see scheduled
 * transfers without waiting for the wall clock.
 */
export const MIN_INTERVAL_MS = 1000;

/**
 * `P[nW][nD][T[nH][nM][nS]]` in ms, or undefined when it is not one. Years and months have no fixed
 * length, so an interval schedule cannot use them (ONTAP's interval schedules take days, hours,
 * minutes and seconds).
 */
export function intervalMs(iso: string): number | undefined {
  const m = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

/** An absent or empty field means "every". */
const allows = (values: number[] | undefined, value: number): boolean => !values?.length || values.includes(value);

/**
 * Whether the cron spec fires in the wall-clock minute of `at` (the process's local time, as ONTAP uses
 * the cluster's time zone). As in ONTAP and Unix cron, days of the month and days of the week are
 * independent when both are given: {days: [13], weekdays: [5]} fires every Friday and on every 13th.
 */
export function cronMatches(cron: Cron, at: Date): boolean {
  if (
    !allows(cron.minutes, at.getMinutes()) ||
    !allows(cron.hours, at.getHours()) ||
    !allows(cron.months, at.getMonth() + 1)
  )
    return false;
  const byDay = cron.days?.length ? cron.days.includes(at.getDate()) : undefined;
  const byWeekday = cron.weekdays?.length ? cron.weekdays.includes(at.getDay()) : undefined;
  if (byDay === undefined && byWeekday === undefined) return true;
  return byDay === true || byWeekday === true;
}

const minuteOf = (ms: number): number => Math.floor(ms / 60_000);

/**
 * Whether a schedule that last ran (or took effect) at `last` is due at `now`. An interval counts from
 * the last run, so a late tick or a long outage yields one run, not the ones missed; a cron schedule
 * fires once in a matching minute, and a minute no tick saw is not made up.
 */
export function isDue(
  schedule: Pick<ScheduleRecord, 'type' | 'cron' | 'interval'>,
  last: number,
  now: number,
): boolean {
  if (schedule.type === 'interval') {
    const ms = schedule.interval ? intervalMs(schedule.interval) : undefined;
    return ms !== undefined && ms >= MIN_INTERVAL_MS && now - last >= ms;
  }
  return minuteOf(now) > minuteOf(last) && cronMatches(schedule.cron ?? {}, new Date(now));
}
