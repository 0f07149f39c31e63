// POST and DELETE /snapmirror/policies: a new async, sync or continuous policy with the same rules the PATCH applies,
// and deletion.
import { ONTAP_ERROR, OntapError, duplicate } from '../errors';
import type { IdentityPreservation, PolicyRecord, PolicyType, SvmRecord } from './model';
import type { OntapState } from './state';
import { IDENTITY_RANK } from './policy-patch';
import { usesOf } from './policy-uses';
import { checkSelectingRules, invalidInput, parseRetention, policyError, scheduleRef } from './policy-retention';

type Json = Record<string, unknown>;

const CREATABLE = [
  'name',
  'svm',
  'scope',
  'type',
  'sync_type',
  'comment',
  'copy_all_source_snapshots',
  'copy_latest_source_snapshot',
  'create_snapshot_on_source',
  'identity_preservation',
  'network_compression_enabled',
  'retention',
  'rpo',
  'throttle',
  'transfer_schedule',
  'sync_common_snapshot_schedule',
];
const SYNC_TYPES = ['sync', 'strict_sync', 'automated_failover', 'automated_failover_duplex'] as const;

const onlyFor = (policyType: PolicyType, property: string, type: PolicyType) => {
  if (type !== policyType)
    throw policyError(
      ONTAP_ERROR.POLICY_NOT_SUPPORTED,
      `SnapMirror policy is not supported: "${property}" applies only to ${policyType} policies`,
      property,
    );
};

export function planCreatePolicy(
  state: OntapState,
  uuid: string,
  body: Json,
  svm: SvmRecord | undefined,
): () => PolicyRecord {
  for (const key of Object.keys(body))
    if (!CREATABLE.includes(key)) throw invalidInput(`Unexpected argument "${key}"`, key);
  if (typeof body.name !== 'string' || !/^[A-Za-z0-9_.-]{1,256}$/.test(body.name))
    throw invalidInput(`Invalid policy name "${String(body.name)}"`, 'name');
  const name = body.name;
  if ([...state.policies.values()].some((p) => p.name === name && p.svm === svm?.uuid))
    throw duplicate(`SnapMirror policy "${name}" already exists`, 'name');
  const type = (body.type ?? 'async') as PolicyType;
  if (!['async', 'sync', 'continuous'].includes(type))
    throw invalidInput(`Invalid value "${String(body.type)}" for "type"`, 'type');
  const scope = (body.scope ?? (svm ? 'svm' : 'cluster')) as PolicyRecord['scope'];
  if ((scope === 'svm') !== Boolean(svm))
    throw invalidInput('"scope" is "svm" exactly when an SVM owns the policy', 'scope');
  let syncType: PolicyRecord['sync_type'];
  if (body.sync_type !== undefined) {
    onlyFor('sync', 'sync_type', type);
    if (!SYNC_TYPES.includes(body.sync_type as (typeof SYNC_TYPES)[number]))
      throw invalidInput(`Invalid value "${String(body.sync_type)}" for "sync_type"`, 'sync_type');
    syncType = body.sync_type as PolicyRecord['sync_type'];
  } else if (type === 'sync') syncType = 'sync';

  // "Property can only be set to 'true'" (copy_*) and "only be set to 'false'" (create_snapshot_on_source), for async
  // policies.
  for (const flag of ['copy_all_source_snapshots', 'copy_latest_source_snapshot'] as const) {
    if (body[flag] === undefined) continue;
    if (body[flag] !== true) throw invalidInput(`Property "${flag}" can only be set to true`, flag);
    onlyFor('async', flag, type);
  }
  if (body.copy_all_source_snapshots && body.copy_latest_source_snapshot)
    throw invalidInput('Only one of the copy_* properties can be set', 'copy_latest_source_snapshot');
  if (body.create_snapshot_on_source !== undefined) {
    if (body.create_snapshot_on_source !== false)
      throw invalidInput('Property "create_snapshot_on_source" can only be set to false', 'create_snapshot_on_source');
    onlyFor('async', 'create_snapshot_on_source', type);
  }
  const copying = body.copy_all_source_snapshots === true || body.copy_latest_source_snapshot === true;
  if (copying && body.retention !== undefined)
    throw invalidInput('"Retention" properties cannot be specified along with the copy_* properties', 'retention');
  if (body.retention !== undefined && type === 'continuous') onlyFor('async', 'retention', type);
  const retention = body.retention === undefined ? [] : parseRetention(state, body.retention, type, true);
  const createOnSource = body.create_snapshot_on_source !== false;
  if (!createOnSource) checkSelectingRules(retention);

  let identity: IdentityPreservation | undefined;
  if (body.identity_preservation !== undefined) {
    if (typeof body.identity_preservation !== 'string' || !(body.identity_preservation in IDENTITY_RANK))
      throw invalidInput('Invalid value for "identity_preservation"', 'identity_preservation');
    onlyFor('async', 'identity_preservation', type);
    identity = body.identity_preservation as IdentityPreservation;
  }
  if (body.network_compression_enabled !== undefined) {
    if (typeof body.network_compression_enabled !== 'boolean')
      throw invalidInput('"network_compression_enabled" must be a boolean', 'network_compression_enabled');
    onlyFor('async', 'network_compression_enabled', type);
  }
  const int = (field: string): number | undefined => {
    const v = body[field];
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw invalidInput(`Invalid value "${String(v)}" for "${field}"`, field);
    return n;
  };
  const rpo = int('rpo');
  if (rpo !== undefined) onlyFor('continuous', 'rpo', type);
  if (body.transfer_schedule !== undefined) onlyFor('async', 'transfer_schedule', type);
  if (body.sync_common_snapshot_schedule !== undefined) onlyFor('sync', 'sync_common_snapshot_schedule', type);
  const transfer =
    body.transfer_schedule === undefined ? null : scheduleRef(state, body.transfer_schedule, 'transfer_schedule');
  const common =
    body.sync_common_snapshot_schedule === undefined
      ? null
      : scheduleRef(state, body.sync_common_snapshot_schedule, 'sync_common_snapshot_schedule');
  if (body.comment !== undefined && typeof body.comment !== 'string')
    throw invalidInput('"comment" must be a string', 'comment');
  const throttle = int('throttle') ?? 0;

  return () => {
    const policy: PolicyRecord = {
      uuid,
      seq: state.nextSeq(),
      name,
      ...(svm ? { svm: svm.uuid } : {}),
      scope,
      type,
      ...(syncType ? { sync_type: syncType } : {}),
      comment: (body.comment as string | undefined) ?? '',
      builtin: false,
      ...(body.copy_all_source_snapshots ? { copy_all_source_snapshots: true as const } : {}),
      ...(body.copy_latest_source_snapshot ? { copy_latest_source_snapshot: true as const } : {}),
      create_snapshot_on_source: createOnSource,
      ...(identity ? { identity_preservation: identity } : {}),
      network_compression_enabled: body.network_compression_enabled === true,
      retention,
      ...(rpo !== undefined ? { rpo } : type === 'continuous' ? { rpo: 3600 } : {}),
      throttle,
      ...(transfer ? { transfer_schedule: transfer.uuid } : {}),
      ...(common ? { sync_common_snapshot_schedule: common.uuid } : {}),
    };
    state.policies.set(uuid, policy);
    state.changed();
    return policy;
  };
}

/** Built-in policies stay; a policy that relationships still use cannot go. */
export function planDeletePolicy(state: OntapState, policy: PolicyRecord): () => void {
  if (policy.builtin)
    throw new OntapError(
      409,
      ONTAP_ERROR.POLICY_IN_USE,
      `Built-in SnapMirror policy "${policy.name}" cannot be deleted`,
      'uuid',
    );
  const used = usesOf(state, policy).length;
  if (used)
    throw new OntapError(
      409,
      ONTAP_ERROR.POLICY_IN_USE,
      `SnapMirror policy "${policy.name}" is used by ${used} relationship(s)`,
      'uuid',
    );
  return () => {
    state.policies.delete(policy.uuid);
    state.changed();
  };
}
