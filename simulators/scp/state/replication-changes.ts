// Changing and ending a replication: the policy (use starts an update at once, paused stops new ones), the
// frequency, and deletion, which leaves the replica as an ordinary writable volume.
import type { RegionContext } from '../context';
import { conflict } from '../errors';
import type { Frequency, ReplicationRecord } from './model';

export interface ReplicationChange {
  replication_update_type: 'policy' | 'frequency' | 'modify_schedule';
  replication_policy?: 'use' | 'paused';
  replication_frequency?: Frequency;
  backup_retention_count?: number | null;
}

/** The other region of a replication, for telling it what changed (best effort: it may be gone). */
function tellOther(ctx: RegionContext, rep: ReplicationRecord, method: 'PUT' | 'DELETE', body?: unknown): void {
  const region = rep.role === 'source' ? rep.replica.region : rep.source.region;
  const url = ctx.regionUrl(region);
  if (!url) return;
  void ctx.peers
    .call(region, url, method, `/sim/peer/replicas/${encodeURIComponent(rep.replication_id)}`, body)
    .catch(() => undefined);
}

export function setReplication(ctx: RegionContext, rep: ReplicationRecord, change: ReplicationChange): void {
  if (rep.role !== 'source')
    throw conflict(
      `Replication ${rep.replication_id} is set from its source region ${rep.source.region} (volume ${rep.source.volume_id})`,
    );
  if (rep.replication_status === 'deleting') throw conflict(`Replication ${rep.replication_id} is being deleted`);
  if (change.replication_update_type === 'policy') {
    rep.replication_policy = change.replication_policy ?? rep.replication_policy;
    // "use" puts the replication to work: an update runs at once, then on the schedule.
    if (rep.replication_policy === 'use') ctx.engine.request(rep);
  } else {
    rep.replication_frequency = change.replication_frequency ?? rep.replication_frequency;
    if (change.backup_retention_count !== undefined) rep.backup_retention_count = change.backup_retention_count;
    ctx.engine.arm(rep);
  }
  ctx.state.changed();
  tellOther(ctx, rep, 'PUT', {
    replication_policy: rep.replication_policy,
    replication_frequency: rep.replication_frequency,
    backup_retention_count: rep.backup_retention_count,
  });
}

/** The other side said so: mirror the policy and frequency. */
export function mirrorChange(ctx: RegionContext, rep: ReplicationRecord, body: Partial<ReplicationRecord>): void {
  if (body.replication_policy) rep.replication_policy = body.replication_policy;
  if (body.replication_frequency) rep.replication_frequency = body.replication_frequency;
  if (body.backup_retention_count !== undefined) rep.backup_retention_count = body.backup_retention_count;
  ctx.state.changed();
}

/** DELETE from either region: `deleting`, then gone on both sides. */
export function deleteReplication(ctx: RegionContext, rep: ReplicationRecord): void {
  if (rep.replication_status === 'deleting') throw conflict(`Replication ${rep.replication_id} is being deleted`);
  rep.replication_status = 'deleting';
  ctx.engine.cancel(rep.replication_id, `Replication ${rep.replication_id} was deleted`);
  ctx.state.changed();
  tellOther(ctx, rep, 'DELETE');
  ctx.ops.run(() => forgetReplication(ctx, rep));
}

/** This region's end of the replication goes; a replica volume becomes an ordinary, writable volume. */
export function forgetReplication(ctx: RegionContext, rep: ReplicationRecord): void {
  const { state } = ctx;
  if (state.replications.get(rep.replication_id) !== rep) return;
  ctx.engine.cancel(rep.replication_id, `Replication ${rep.replication_id} was deleted`);
  ctx.receiver.drop(rep.replication_id);
  if (rep.base) state.store.release(rep.base);
  rep.base = null;
  if (rep.role === 'replica') {
    const v = state.volumes.get(rep.replica.volume_id);
    if (v) v.purpose = 'NORMAL';
  }
  state.replications.delete(rep.replication_id);
  state.changed();
}
