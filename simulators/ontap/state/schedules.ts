// Job schedules: the POST/PATCH /cluster/schedules body rules, which objects use a schedule, and the schedule a
// relationship follows.
import { ONTAP_ERROR, OntapError, invalidValue, required } from '../errors';
import type { RelationshipRecord, ScheduleRecord } from './model';
import type { OntapState } from './state';
import { type Body } from '../validate';
import { CRON_RANGES, type Cron, MIN_INTERVAL_MS, intervalMs } from './schedule-time';

const notValid = (message: string, target?: string): OntapError =>
  new OntapError(400, ONTAP_ERROR.SCHEDULE_INVALID, message, target);
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One cron field: a list of integers in the field's range (numbers may come as strings); empty means every. */
function cronField(value: unknown, field: keyof typeof CRON_RANGES): number[] {
  if (!Array.isArray(value)) throw invalidValue(`cron.${field}`, value);
  const [lo, hi] = CRON_RANGES[field];
  const list = value.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));
  for (const n of list)
    if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) throw invalidValue(`cron.${field}`, n);
  return [...new Set(list as number[])].sort((a, b) => a - b);
}

/**
 * The cron fields of a body over `base` (PATCH changes only the fields it names, as `job schedule cron modify` does).
 */
export function cronOf(value: unknown, base: Cron = {}): Cron {
  if (!isObject(value)) throw invalidValue('cron', value);
  const cron: Cron = { ...base };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in CRON_RANGES)) throw invalidValue(`cron.${key}`, v);
    const field = key as keyof typeof CRON_RANGES;
    const list = v === null ? [] : cronField(v, field);
    if (list.length) cron[field] = list;
    else delete cron[field];
  }
  return cron;
}

export function intervalOf(value: unknown): string {
  const ms = typeof value === 'string' ? intervalMs(value) : undefined;
  if (ms === undefined) throw invalidValue('interval', value);
  if (ms < MIN_INTERVAL_MS)
    throw notValid(
      `The interval "${String(value)}" is too short: the simulator runs interval schedules at most once a second`,
      'interval',
    );
  return value as string;
}

/** A new schedule from a POST body: exactly one of cron (with minutes) and interval; `type`, when given, must agree. */
export function newSchedule(body: Body): Omit<ScheduleRecord, 'uuid' | 'seq' | 'name'> {
  const hasCron = body.cron !== undefined;
  const hasInterval = body.interval !== undefined;
  if (hasCron && hasInterval)
    throw notValid(
      'The schedule specified is not a valid schedule: give either "cron" or "interval", not both',
      'interval',
    );
  if (!hasCron && !hasInterval)
    throw notValid(
      'The schedule specified is not a valid schedule: a cron schedule needs "cron.minutes", an interval schedule "interval"',
      'cron.minutes',
    );
  const type = hasCron ? 'cron' : 'interval';
  if (body.type !== undefined && body.type !== type) throw invalidValue('type', body.type);
  if (type === 'interval') return { type, interval: intervalOf(body.interval) };
  if (!isObject(body.cron) || body.cron.minutes === undefined) throw required('cron.minutes');
  return { type, cron: cronOf(body.cron) };
}

/** What references the schedule, named as ONTAP's refusal lists them. */
export function usesOfSchedule(state: OntapState, uuid: string): string[] {
  const uses: string[] = [];
  for (const p of state.policies.values()) {
    if (
      p.transfer_schedule === uuid ||
      p.sync_common_snapshot_schedule === uuid ||
      p.retention.some((r) => r.creation_schedule === uuid)
    )
      uses.push(`SnapMirror policy "${p.name}"`);
  }
  for (const r of state.relationships.values())
    if (r.role === 'destination' && r.transfer_schedule === uuid)
      uses.push(`SnapMirror relationship "${r.destination.path}"`);
  for (const u of state.policyUses.values())
    if (u.transfer_schedule === uuid) uses.push(`SnapMirror relationship "${u.uuid}"`);
  return uses;
}

/** The schedule that updates a relationship: its own transfer_schedule, else its policy's. */
export function effectiveSchedule(state: OntapState, rel: RelationshipRecord): ScheduleRecord | undefined {
  const uuid = rel.transfer_schedule ?? state.policies.get(rel.policy)?.transfer_schedule;
  return uuid ? state.schedules.get(uuid) : undefined;
}
