// PATCH /snapmirror/policies/{uuid}: every rule and restriction of the vendor document, answered with the codes it
// lists.
import { SNAPMIRROR_POLICY_DOCUMENTED } from '../documented';
import { ONTAP_ERROR } from '../errors';
import type { IdentityPreservation, PolicyRecord, PolicyUseRecord, RetentionRule } from './model';
import type { OntapState } from './state';
import { usesOf } from './policy-uses';
import { checkSelectingRules, invalidInput, parseRetention, policyError, scheduleRef } from './policy-retention';

type Json = Record<string, unknown>;

/** Threshold order: a policy with relationships may only go down this list, never up. */
export const IDENTITY_RANK: Record<IdentityPreservation, number> = {
  full: 3,
  exclude_network_config: 2,
  exclude_network_and_protocol_config: 1,
};

// Every documented field of a policy may be sent back in a PATCH (clients echo what they read). A body's keys are
// top-level fields: the dotted sub-fields the list also holds are for `fields=` and filters only.
const PATCHABLE = SNAPMIRROR_POLICY_DOCUMENTED.filter((f) => !f.includes('.'));

const notSupported = (property: string, policy: PolicyRecord) =>
  policyError(
    ONTAP_ERROR.POLICY_NOT_SUPPORTED,
    `SnapMirror policy is not supported: "${property}" does not apply to a policy of type "${policy.type}"`,
    property,
  );
const conflictWithRelationships = (message: string, target: string) =>
  policyError(ONTAP_ERROR.POLICY_RELATIONSHIP_CONFLICT, message, target);

/** Properties that identify the policy or are fixed at creation: a PATCH may repeat their value but not change it. */
function checkImmutable(policy: PolicyRecord, body: Json): void {
  if (body.svm !== undefined) throw invalidInput('The "svm" field cannot be specified in a PATCH method', 'svm');
  if (body.uuid !== undefined && body.uuid !== policy.uuid)
    throw invalidInput('The policy uuid cannot be changed', 'uuid');
  for (const field of ['type', 'sync_type', 'scope'] as const) {
    if (body[field] !== undefined && body[field] !== policy[field])
      throw invalidInput(`The property "${field}" cannot be modified`, field);
  }
  // "copy_all_source_snapshots", "copy_latest_source_snapshot" and "create_snapshot_on_source" cannot be modified.
  const current: Json = {
    copy_all_source_snapshots: policy.copy_all_source_snapshots ?? false,
    copy_latest_source_snapshot: policy.copy_latest_source_snapshot ?? false,
    create_snapshot_on_source: policy.create_snapshot_on_source,
  };
  for (const field of Object.keys(current)) {
    if (body[field] !== undefined && body[field] !== current[field])
      throw invalidInput(`The policy property "${field}" cannot be modified`, field);
  }
}

/**
 * `identity_preservation`: only down the threshold, only when the relationships agree, never to the lowest for
 * identity-preserving SVM DR.
 */
function checkIdentity(
  policy: PolicyRecord,
  uses: PolicyUseRecord[],
  value: unknown,
): IdentityPreservation | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(value in IDENTITY_RANK))
    throw invalidInput(`Invalid value "${String(value)}" for "identity_preservation"`, 'identity_preservation');
  if (policy.type !== 'async') throw notSupported('identity_preservation', policy);
  const next = value as IdentityPreservation;
  if (next === policy.identity_preservation) return next;
  const svmdr = uses.filter((u) => u.identity_preservation !== undefined);
  if (svmdr.length === 0) return next;
  const configs = new Set(svmdr.map((u) => u.identity_preservation));
  if (configs.size > 1 || !configs.has(policy.identity_preservation)) {
    throw conflictWithRelationships(
      'The value of "identity_preservation" cannot be changed: the SnapMirror relationships associated with the policy have different identity_preservation configurations',
      'identity_preservation',
    );
  }
  const current = policy.identity_preservation as IdentityPreservation;
  if (IDENTITY_RANK[next] > IDENTITY_RANK[current]) {
    throw conflictWithRelationships(
      `"identity_preservation" can only be lowered while relationships use the policy: "${current}" cannot become "${next}"`,
      'identity_preservation',
    );
  }
  if (next === 'exclude_network_and_protocol_config' && svmdr.some((u) => u.endpoint === 'svm')) {
    throw conflictWithRelationships(
      'The threshold value of "identity_preservation" cannot be changed to "exclude_network_and_protocol_config" for IDP SVMDR',
      'identity_preservation',
    );
  }
  return next;
}

/** Restrictions on replacing the retention rules, given the policy and the relationships it governs. */
function checkRetentionChange(policy: PolicyRecord, uses: PolicyUseRecord[], next: RetentionRule[]): void {
  const old = policy.retention;
  if (!policy.create_snapshot_on_source) {
    checkSelectingRules(next);
    const kept = next.some((r) => old.some((o) => o.label === r.label));
    if (old.length > 0 && !kept) {
      const relabel =
        next.length === old.length &&
        next.every((r, i) => r.count === old[i].count && r.creation_schedule === old[i].creation_schedule);
      throw invalidInput(
        relabel
          ? 'Modifying the property "retention.label" for all retention rules of a policy with "create_snapshot_on_source" false in a single API call is not supported'
          : 'Replacing all retention rules of a policy with "create_snapshot_on_source" false in a single API call is not supported',
        'retention.label',
      );
    }
  }
  const scheduleOf = (rules: RetentionRule[], label: string) => rules.find((r) => r.label === label)?.creation_schedule;
  const changed = [...new Set([...old, ...next].map((r) => r.label))].filter(
    (l) => scheduleOf(old, l) !== scheduleOf(next, l),
  );
  if (changed.length && uses.some((u) => u.endpoint === 'flexgroup')) {
    throw policyError(
      ONTAP_ERROR.POLICY_FLEXGROUP_SCHEDULE,
      'Modifying property "retention.creation_schedule" for the policy is not supported because the policy is associated with a relationship with a FlexGroup volume endpoint.',
      'retention.creation_schedule',
    );
  }
  const added = next.some((r) => r.creation_schedule && !scheduleOf(old, r.label));
  if (added && uses.some((u) => u.endpoint === 'consistency_group')) {
    throw policyError(
      ONTAP_ERROR.POLICY_CG_SCHEDULE,
      'Cannot add a snapshot creation schedule to the policy because it is associated with a Consistency Group relationship.',
      'retention.creation_schedule',
    );
  }
}

function optInteger(body: Json, field: string): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalidInput(`Invalid value "${String(v)}" for "${field}"`, field);
  return n;
}

/** Validates the whole PATCH against the policy as it is now; the returned change applies it. */
export function planPatchPolicy(state: OntapState, policy: PolicyRecord, body: Json): () => void {
  for (const key of Object.keys(body))
    if (!PATCHABLE.includes(key)) throw invalidInput(`Unexpected argument "${key}"`, key);
  checkImmutable(policy, body);
  const uses = usesOf(state, policy);
  const change: Partial<PolicyRecord> = {};

  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || !/^[A-Za-z0-9_.-]{1,256}$/.test(body.name))
      throw invalidInput(`Invalid policy name "${String(body.name)}"`, 'name');
    if (policy.builtin && body.name !== policy.name)
      throw invalidInput(`Built-in policy "${policy.name}" cannot be renamed`, 'name');
    const clash = [...state.policies.values()].some(
      (p) => p !== policy && p.name === body.name && p.svm === policy.svm,
    );
    if (clash) throw invalidInput(`A SnapMirror policy named "${body.name}" already exists`, 'name');
    change.name = body.name;
  }
  if (body.comment !== undefined) {
    if (typeof body.comment !== 'string') throw invalidInput('"comment" must be a string', 'comment');
    change.comment = body.comment;
  }
  if (body.network_compression_enabled !== undefined) {
    if (typeof body.network_compression_enabled !== 'boolean')
      throw invalidInput('"network_compression_enabled" must be a boolean', 'network_compression_enabled');
    if (policy.type !== 'async') throw notSupported('network_compression_enabled', policy);
    change.network_compression_enabled = body.network_compression_enabled;
  }
  const rpo = optInteger(body, 'rpo');
  if (rpo !== undefined) {
    if (policy.type !== 'continuous') throw notSupported('rpo', policy);
    change.rpo = rpo;
  }
  const throttle = optInteger(body, 'throttle');
  if (throttle !== undefined) {
    if (uses.some((u) => u.throttle !== undefined && u.throttle !== throttle)) {
      throw conflictWithRelationships(
        "Conflicting values between SnapMirror policy and SnapMirror relationships for 'throttle'",
        'throttle',
      );
    }
    change.throttle = throttle;
  }
  if ('transfer_schedule' in body) {
    if (policy.type !== 'async') throw notSupported('transfer_schedule', policy);
    // `null`, or `{uuid: null, name: null}`, removes the schedule.
    const schedule = scheduleRef(state, body.transfer_schedule, 'transfer_schedule');
    if (schedule && uses.some((u) => u.transfer_schedule !== undefined && u.transfer_schedule !== schedule.uuid)) {
      throw conflictWithRelationships(
        "Conflicting values between SnapMirror policy and SnapMirror relationships for 'transfer_schedule'",
        'transfer_schedule',
      );
    }
    change.transfer_schedule = schedule?.uuid;
  }
  if ('sync_common_snapshot_schedule' in body) {
    if (policy.type !== 'sync') throw notSupported('sync_common_snapshot_schedule', policy);
    change.sync_common_snapshot_schedule = scheduleRef(
      state,
      body.sync_common_snapshot_schedule,
      'sync_common_snapshot_schedule',
    )?.uuid;
  }
  const identity = checkIdentity(policy, uses, body.identity_preservation);
  if (identity !== undefined) change.identity_preservation = identity;
  if (body.retention !== undefined) {
    if (policy.type === 'continuous') throw notSupported('retention', policy);
    if (policy.copy_all_source_snapshots || policy.copy_latest_source_snapshot) {
      throw invalidInput(
        'No "retention" properties can be modified in a policy with "copy_all_source_snapshots" or "copy_latest_source_snapshot"',
        'retention',
      );
    }
    const rules = parseRetention(state, body.retention, policy.type, false);
    checkRetentionChange(policy, uses, rules);
    change.retention = rules;
  }
  return () => {
    Object.assign(policy, change);
    if ('transfer_schedule' in change && change.transfer_schedule === undefined) delete policy.transfer_schedule;
    if ('sync_common_snapshot_schedule' in change && change.sync_common_snapshot_schedule === undefined)
      delete policy.sync_common_snapshot_schedule;
    state.changed();
  };
}
