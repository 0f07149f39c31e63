// SnapMirror policy retention rules: parsing and the per-rule and per-policy limits of the PATCH /snapmirror/policies
// document.
import { ONTAP_ERROR, OntapError } from '../errors';
import type { PolicyRecord, RetentionRule, ScheduleRecord } from './model';
import type { OntapState } from './state';

/** The error table of the ONTAP REST reference for PATCH /snapmirror/policies/{uuid}. */
export const policyError = (code: string, message: string, target?: string): OntapError =>
  new OntapError(400, code, message, target);
export const invalidInput = (message: string, target?: string): OntapError =>
  policyError(ONTAP_ERROR.POLICY_INVALID_INPUT, message, target);

/** Rules a policy may hold. */
export const MAX_RULES = 10;
/** Highest retention.count of a rule, and of all rules of a policy together. */
export const MAX_COUNT = 1019;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ISO-8601 duration (P1Y2M3DT4H5M6S, P2W) or "infinite", as retention.period takes it for FlexVol destinations. */
const PERIOD = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/**
 * A schedule reference `{uuid?, name?}`; `null` (or both members null) means "no schedule". Only cron
 * schedules are supported for SnapMirror: an interval schedule answers 6619714.
 */
export function scheduleRef(state: OntapState, value: unknown, target: string): ScheduleRecord | null {
  if (value === null) return null;
  if (!isObject(value)) throw invalidInput(`Invalid value for "${target}"`, target);
  const { uuid, name } = value as { uuid?: unknown; name?: unknown };
  if ((uuid === null || uuid === undefined) && (name === null || name === undefined)) return null;
  if (
    (uuid !== undefined && uuid !== null && typeof uuid !== 'string') ||
    (name !== undefined && name !== null && typeof name !== 'string')
  ) {
    throw invalidInput(`Invalid value for "${target}"`, target);
  }
  const byUuid = typeof uuid === 'string' ? state.schedules.get(uuid) : undefined;
  const byName = typeof name === 'string' ? state.scheduleNamed(name) : undefined;
  const schedule = byUuid ?? byName;
  if (!schedule || (byUuid && typeof name === 'string' && byUuid.name !== name)) {
    throw invalidInput(
      `Schedule "${String(uuid ?? name)}" does not exist`,
      `${target}.${typeof uuid === 'string' ? 'uuid' : 'name'}`,
    );
  }
  if (schedule.type !== 'cron') {
    throw policyError(
      ONTAP_ERROR.INTERVAL_SCHEDULE,
      `Schedule "${schedule.name}" is an interval schedule. SnapMirror does not support interval schedules.`,
      target,
    );
  }
  return schedule;
}

function integer(value: unknown, target: string): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(n)) throw invalidInput(`Invalid value "${String(value)}" for "${target}"`, target);
  return n;
}

/**
 * One rule of `retention`: label and count are mandatory; count may come as a string (current client models send it
 * so).
 */
function parseRule(state: OntapState, raw: unknown, type: PolicyRecord['type']): RetentionRule {
  if (!isObject(raw)) throw invalidInput('Each retention rule must be an object', 'retention');
  for (const key of Object.keys(raw)) {
    if (!['label', 'count', 'creation_schedule', 'prefix', 'preserve', 'warn', 'period', '_links'].includes(key))
      throw invalidInput(`Unexpected argument "retention.${key}"`, `retention.${key}`);
  }
  if (typeof raw.label !== 'string' || raw.label.trim() === '') {
    throw invalidInput(
      'The properties "retention.label" and "retention.count" are mandatory if "retention" is provided',
      'retention.label',
    );
  }
  if (raw.count === undefined || raw.count === null) {
    throw invalidInput(
      'The properties "retention.label" and "retention.count" are mandatory if "retention" is provided',
      'retention.count',
    );
  }
  const count = integer(raw.count, 'retention.count');
  if (count < 1 || count > MAX_COUNT) {
    throw policyError(
      ONTAP_ERROR.POLICY_COUNT_RANGE,
      `Enter a value for "count" from 1 to ${MAX_COUNT}; ${count} is out of range`,
      'retention.count',
    );
  }
  if (raw.preserve !== undefined && typeof raw.preserve !== 'boolean')
    throw invalidInput('retention.preserve must be a boolean', 'retention.preserve');
  const preserve = raw.preserve === true;
  const warn = raw.warn === undefined ? 0 : integer(raw.warn, 'retention.warn');
  if (warn < 0) throw invalidInput('retention.warn cannot be negative', 'retention.warn');
  if (type === 'sync' && count > 1) {
    throw policyError(
      ONTAP_ERROR.POLICY_COUNT_ABOVE_ONE,
      'Failed to create or modify the specified Snapmirror policy. Reason: The property retention.count cannot have a value greater than 1.',
      'retention.count',
    );
  }
  if (type === 'sync' && preserve)
    throw policyError(
      ONTAP_ERROR.POLICY_NO_PRESERVE,
      'The specified Snapmirror policy cannot have a rule with a preserve value of true.',
      'retention.preserve',
    );
  if (warn > 0 && !preserve) {
    throw policyError(
      ONTAP_ERROR.POLICY_WARN_WITHOUT_PRESERVE,
      'The property retention.warn is not supported for a policy when the retention.preserve property is false.',
      'retention.warn',
    );
  }
  if (warn > 0 && warn >= count) {
    throw policyError(
      ONTAP_ERROR.POLICY_WARN_NOT_BELOW_COUNT,
      'The property retention.warn value must be less than the property retention.count value for a rule in a policy.',
      'retention.warn',
    );
  }
  if (
    raw.period !== undefined &&
    (typeof raw.period !== 'string' || (raw.period !== 'infinite' && !PERIOD.test(raw.period)))
  ) {
    throw policyError(
      ONTAP_ERROR.POLICY_PERIOD_INVALID,
      `Input value "${String(raw.period)}" of the retention period property is invalid: use an ISO-8601 duration or "infinite"`,
      'retention.period',
    );
  }
  if (raw.prefix !== undefined && typeof raw.prefix !== 'string')
    throw invalidInput('retention.prefix must be a string', 'retention.prefix');
  const schedule =
    raw.creation_schedule === undefined
      ? null
      : scheduleRef(state, raw.creation_schedule, 'retention.creation_schedule');
  return {
    label: raw.label,
    count,
    preserve,
    warn,
    ...(schedule ? { creation_schedule: schedule.uuid } : {}),
    ...(raw.prefix !== undefined ? { prefix: raw.prefix as string } : {}),
    ...(raw.period !== undefined ? { period: raw.period as string } : {}),
  };
}

/** The whole `retention` list: the final list that replaces the policy's rules. */
export function parseRetention(
  state: OntapState,
  raw: unknown,
  type: PolicyRecord['type'],
  creating: boolean,
): RetentionRule[] {
  if (!Array.isArray(raw)) throw invalidInput('"retention" must be a list of rules', 'retention');
  const rules = raw.map((r) => parseRule(state, r, type));
  const labels = new Set<string>();
  for (const r of rules) {
    if (labels.has(r.label)) throw invalidInput(`Retention label "${r.label}" is given twice`, 'retention.label');
    labels.add(r.label);
  }
  if (rules.length > MAX_RULES) {
    throw policyError(
      ONTAP_ERROR.POLICY_MAX_RULES,
      `${creating ? 'Failed to create' : 'Failed to modify'} SnapMirror policy. Reason: Maximum number of allowed retention rules (${MAX_RULES}) reached`,
      'retention',
    );
  }
  const total = rules.reduce((a, r) => a + r.count, 0);
  if (total > MAX_COUNT) {
    throw policyError(
      ONTAP_ERROR.POLICY_TOTAL_COUNT,
      `The total retention.count value for all rules in a policy cannot exceed ${MAX_COUNT}; it would be ${total}`,
      'retention.count',
    );
  }
  return rules;
}

/**
 * With create_snapshot_on_source false, rules select the source's snapshots: at least one rule must not create its own.
 */
export function checkSelectingRules(rules: RetentionRule[]): void {
  if (rules.length === 0) {
    throw policyError(
      ONTAP_ERROR.POLICY_RETENTION_EMPTY,
      "Retention cannot be empty for a SnapMirror policy with 'create_snapshot_on_source' set to false.",
      'retention',
    );
  }
  if (rules.every((r) => r.creation_schedule)) {
    throw policyError(
      ONTAP_ERROR.POLICY_RULE_WITHOUT_SCHEDULE,
      'The specified Snapmirror policy must have at least one rule without a schedule.',
      'retention.creation_schedule',
    );
  }
}
