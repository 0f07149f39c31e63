// Volumes, their access rules and snapshots: each change answers at once and settles through Operations, passing
// through the states the API shows (creating, restoring, deleting).
import { randomInt, randomUUID } from 'node:crypto';
import type { RegionContext } from '../context';
import { conflict, invalidAt, notFound } from '../errors';
import type { AccessRule, Protocol, Purpose, SnapshotRecord, Tag, TypeName, VolumeRecord } from './model';
import { apiTime } from './region';

const SUFFIX = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The service makes volume names unique: the name asked for plus six lowercase letters and digits. */
export const uniqueVolumeName = (asked: string): string =>
  asked + Array.from({ length: 6 }, () => SUFFIX[randomInt(SUFFIX.length)]).join('');

/** Stable ids of the three volume types (the API's `type_id`). */
export const TYPE_IDS: Record<TypeName, string> = {
  HDD: '5a3f3b30-6e36-4f0b-8a43-3d6a7c1d0001',
  SSD: '5a3f3b30-6e36-4f0b-8a43-3d6a7c1d0002',
  HighPerformanceSSD: '5a3f3b30-6e36-4f0b-8a43-3d6a7c1d0003',
};

export interface VolumeSpec {
  name: string;
  protocol: Protocol;
  type_name: TypeName;
  account_id: string;
  cifs_password?: string | null;
  snapshot_id?: string | null;
  tags?: Tag[];
  purpose?: Purpose;
}

export function requireState<T extends { state: string }>(obj: T, what: string, ...states: T['state'][]): void {
  if (!states.includes(obj.state))
    throw conflict(`${what} is ${obj.state}; the operation needs it ${states.join(' or ')}`);
}

/** A read-only replica refuses what would change its content. */
export function requireWritable(v: VolumeRecord): void {
  if (v.purpose !== 'NORMAL')
    throw conflict(`Volume ${v.id} is the read-only target of a replication; change its source volume instead`);
}

export function createVolume(ctx: RegionContext, spec: VolumeSpec): VolumeRecord {
  const { state } = ctx;
  let source: SnapshotRecord | undefined;
  if (spec.snapshot_id) {
    source = state.snapshots.get(spec.snapshot_id);
    if (!source) throw notFound(`Snapshot ${spec.snapshot_id} not found`);
    requireState(source, `Snapshot ${source.id}`, 'available');
    const from = state.volume(source.volume_id);
    // A volume made from a snapshot is set identical to the original: same protocol and disk type.
    for (const field of ['protocol', 'type_name'] as const) {
      if (spec[field] !== from[field])
        throw invalidAt(
          ['body', field],
          `A volume made from snapshot ${source.id} has its volume's ${field} '${from[field]}'`,
          'value_error.snapshot_source',
        );
    }
  }
  const v: VolumeRecord = {
    id: randomUUID(),
    name: uniqueVolumeName(spec.name),
    account_id: spec.account_id,
    protocol: spec.protocol,
    type_name: spec.type_name,
    purpose: spec.purpose ?? 'NORMAL',
    state: 'creating',
    created_at: apiTime(ctx.now()),
    cifs_password: spec.cifs_password ?? null,
    cifs_id: spec.protocol === 'CIFS' ? `cifs_${randomUUID().slice(0, 8)}` : null,
    file_unit_recovery_enabled: false,
    encryption_enabled: true,
    tags: spec.tags ?? [],
    access_rules: [],
    source_snapshot_id: source?.id ?? null,
    content: source ? state.store.share(source.content) : state.store.newMap(),
  };
  state.volumes.set(v.id, v);
  state.changed();
  ctx.ops.run(() => {
    v.state = 'available';
    v.source_snapshot_id = null;
    state.changed();
  });
  return v;
}

export function deleteVolume(ctx: RegionContext, v: VolumeRecord): void {
  const { state } = ctx;
  requireState(v, `Volume ${v.id}`, 'available');
  const reps = state.replicationsOf(v.id);
  if (reps.length)
    throw conflict(
      `Volume ${v.id} has replication ${reps[0].replication_id}: delete the replication (from its source region) first`,
    );
  v.state = 'deleting';
  state.changed();
  ctx.ops.run(() => {
    for (const s of state.snapshotsOf(v.id)) {
      state.store.release(s.content);
      state.snapshots.delete(s.id);
    }
    for (const sch of [...state.schedules.values()].filter((x) => x.volume_id === v.id)) state.schedules.delete(sch.id);
    state.policies.delete(v.id);
    ctx.schedules.forget(v.id);
    state.store.release(v.content);
    state.volumes.delete(v.id);
    state.changed();
  });
}

export function setFileUnitRecovery(ctx: RegionContext, v: VolumeRecord, enabled: boolean): void {
  requireState(v, `Volume ${v.id}`, 'available');
  v.file_unit_recovery_enabled = enabled;
  ctx.state.changed();
}

/** PUT access-rules: add or remove one object's access; the rule settles to active, or goes. */
export function setAccessRule(
  ctx: RegionContext,
  v: VolumeRecord,
  action: 'add' | 'remove',
  objectType: string,
  objectId: string,
): void {
  requireState(v, `Volume ${v.id}`, 'available');
  const rule = v.access_rules.find((r) => r.object_type === objectType && r.object_id === objectId);
  if (action === 'add') {
    if (rule) throw conflict(`${objectType} ${objectId} already has an access rule on volume ${v.id}`);
    const added: AccessRule = { object_type: objectType, object_id: objectId, access_rule_state: 'creating' };
    v.access_rules.push(added);
    ctx.ops.run(() => {
      added.access_rule_state = 'active';
      ctx.state.changed();
    });
  } else {
    if (!rule) throw notFound(`${objectType} ${objectId} has no access rule on volume ${v.id}`);
    requireState({ state: rule.access_rule_state }, `The access rule of ${objectType} ${objectId}`, 'active');
    rule.access_rule_state = 'deleting';
    ctx.ops.run(() => {
      v.access_rules = v.access_rules.filter((r) => r !== rule);
      ctx.state.changed();
    });
  }
  ctx.state.changed();
}

/** `<volume name>.<YYYY-MM-DD_HHMMSS>`, with `_<n>` when the volume already has a snapshot of that second. */
function snapshotName(ctx: RegionContext, v: VolumeRecord): string {
  const base = `${v.name}.${new Date(ctx.now()).toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '')}`;
  const taken = new Set(ctx.state.snapshotsOf(v.id).map((s) => s.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

export function createSnapshot(ctx: RegionContext, v: VolumeRecord, scheduled = false): SnapshotRecord {
  const { state } = ctx;
  requireState(v, `Volume ${v.id}`, 'available');
  requireWritable(v);
  const s: SnapshotRecord = {
    id: randomUUID(),
    name: snapshotName(ctx, v),
    volume_id: v.id,
    state: 'creating',
    created_at: apiTime(ctx.now()),
    scheduled,
    content: state.store.share(v.content),
  };
  state.snapshots.set(s.id, s);
  state.changed();
  ctx.ops.run(() => {
    s.state = 'available';
    state.changed();
  });
  return s;
}

export function deleteSnapshot(ctx: RegionContext, s: SnapshotRecord): void {
  const { state } = ctx;
  requireState(s, `Snapshot ${s.id}`, 'available');
  const making = [...state.volumes.values()].find((v) => v.source_snapshot_id === s.id);
  if (making) throw conflict(`Volume ${making.id} is being made from snapshot ${s.id}`);
  s.state = 'deleting';
  state.changed();
  ctx.ops.run(() => {
    state.store.release(s.content);
    state.snapshots.delete(s.id);
    state.changed();
  });
}

/** The volume's content becomes the snapshot's; every snapshot, newer ones too, is kept. */
export function restoreSnapshot(ctx: RegionContext, v: VolumeRecord, s: SnapshotRecord): void {
  const { state } = ctx;
  requireState(v, `Volume ${v.id}`, 'available');
  requireState(s, `Snapshot ${s.id}`, 'available');
  requireWritable(v);
  const restored = state.store.share(s.content);
  state.store.release(v.content);
  v.content = restored;
  v.state = 'restoring';
  state.changed();
  ctx.ops.run(() => {
    v.state = 'available';
    state.changed();
  });
}
