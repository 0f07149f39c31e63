// The source side of replication: creating one (the other region makes the replica volume), and the engine that runs
// its updates. An update sends, at the replication's pace, every snapshot the replica lacks and then the volume as it
// was when the update began, each as the blocks changed since the point before; the first one is the baseline.
import { randomUUID } from 'node:crypto';
import { BLOCK_SIZE, type BlockMap } from '../../shared/blocks';
import { pacedTransfer } from '../../shared/transfer';
import type { RegionContext } from '../context';
import { conflict, invalidAt, notFound } from '../errors';
import type { Frequency, ReplicationRecord, UpdateRecord, VolumeRecord } from './model';
import { apiTime } from './region';
import { changedBlocks, encodeRanges, readBlocks } from './transfer-blocks';
import { requireState, requireWritable } from './volumes';

/** Newest transfers a replication remembers. */
const UPDATES_KEPT = 32;
/** Blocks per data call (64 KiB). */
const CHUNK = 64 * 1024;

export const FREQUENCY_MS: Record<Frequency, number> = {
  '5min': 5 * 60_000,
  hourly: 3600_000,
  daily: 24 * 3600_000,
  weekly: 7 * 24 * 3600_000,
  monthly: 30 * 24 * 3600_000,
};

export interface ReplicationSpec {
  name: string;
  region: string;
  replication_frequency: Frequency;
  replication_type: 'replication' | 'backup';
  backup_retention_count: number | null;
  cifs_password: string | null;
}

/** POST /v1/replications: the replica volume is made in the target region, then the baseline starts. */
export async function createReplication(
  ctx: RegionContext,
  v: VolumeRecord,
  spec: ReplicationSpec,
): Promise<ReplicationRecord> {
  requireState(v, `Volume ${v.id}`, 'available');
  requireWritable(v);
  if (v.type_name === 'HighPerformanceSSD')
    throw conflict(`Volume ${v.id} is a HighPerformanceSSD volume, which does not replicate (HDD and SSD do)`);
  const same = ctx.state.replicationsOf(v.id).find((r) => r.replication_type === spec.replication_type);
  if (same) throw conflict(`Volume ${v.id} already has ${spec.replication_type} ${same.replication_id}`);
  if (v.protocol === 'CIFS' && !spec.cifs_password)
    throw invalidAt(
      ['body', 'cifs_password'],
      'A CIFS volume replicates to a CIFS volume, which needs a password',
      'missing',
    );
  const url = ctx.regionUrl(spec.region);
  if (!url) throw notFound(`Region ${spec.region} is not a replication target of region ${ctx.name}`);
  const id = randomUUID();
  const purpose = spec.replication_type === 'backup' ? 'BACKUP' : 'REPLICATION';
  const replica = await ctx.peers.call<{ volume_id: string; volume_name: string }>(
    spec.region,
    url,
    'POST',
    '/sim/peer/replicas',
    {
      replication_id: id,
      name: spec.name,
      purpose,
      protocol: v.protocol,
      type_name: v.type_name,
      account_id: v.account_id,
      cifs_password: spec.cifs_password,
      replication_type: spec.replication_type,
      replication_frequency: spec.replication_frequency,
      backup_retention_count: spec.backup_retention_count,
      source: { volume_id: v.id, volume_name: v.name, region: ctx.name, access_level: 'rw' },
    },
  );
  const rep: ReplicationRecord = {
    replication_id: id,
    replication_type: spec.replication_type,
    replication_frequency: spec.replication_frequency,
    replication_policy: 'use',
    replication_status: 'creating',
    backup_retention_count: spec.backup_retention_count,
    protocol: v.protocol,
    role: 'source',
    source: { volume_id: v.id, volume_name: v.name, region: ctx.name, access_level: 'rw' },
    replica: {
      volume_id: replica.volume_id,
      volume_name: replica.volume_name,
      region: spec.region,
      access_level: 'ro',
    },
    updates: [],
    sent: [],
    base: null,
  };
  ctx.state.replications.set(id, rep);
  ctx.state.changed();
  ctx.engine.arm(rep);
  ctx.engine.request(rep);
  return rep;
}

/** Read afresh: a DELETE may come while an update runs. */
const deleting = (rep: ReplicationRecord): boolean => rep.replication_status === 'deleting';

interface Point {
  kind: 'snapshot' | 'head';
  name?: string;
  created_at?: string;
  map: BlockMap;
  blocks: number[];
}

export class ReplicationEngine {
  private readonly running = new Map<string, AbortController>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly ctx: RegionContext) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** An update now, or right after the one running; nothing while the policy is paused. */
  request(rep: ReplicationRecord): void {
    if (this.stopped || rep.role !== 'source' || rep.replication_policy === 'paused') return;
    if (this.running.has(rep.replication_id)) this.again.add(rep.replication_id);
    else void this.run(rep);
  }

  /** The replication's schedule: an update every `replication_frequency`. */
  arm(rep: ReplicationRecord): void {
    clearTimeout(this.timers.get(rep.replication_id));
    if (this.stopped || rep.role !== 'source') return;
    const timer = setTimeout(() => {
      this.arm(rep);
      if (this.ctx.state.replications.get(rep.replication_id) === rep) this.request(rep);
    }, FREQUENCY_MS[rep.replication_frequency]);
    timer.unref();
    this.timers.set(rep.replication_id, timer);
  }

  /** The replication goes: its schedule stops and a running update is cut off. */
  cancel(id: string, reason: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.again.delete(id);
    this.running.get(id)?.abort(new Error(reason));
  }

  dispose(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys(), ...this.running.keys()]) this.cancel(id, 'The region shut down');
  }

  private plan(rep: ReplicationRecord, v: VolumeRecord): Point[] {
    const { store } = this.ctx.state;
    const snaps = this.ctx.state.snapshotsOf(v.id).filter((s) => s.state === 'available' && !rep.sent.includes(s.name));
    const points: Point[] = [
      ...snaps.map((s) => ({
        kind: 'snapshot' as const,
        name: s.name,
        created_at: s.created_at,
        map: store.share(s.content),
        blocks: [],
      })),
      { kind: 'head', map: store.share(v.content), blocks: [] },
    ];
    let prev = rep.base;
    for (const p of points) {
      p.blocks = changedBlocks(prev, p.map);
      prev = p.map;
    }
    return points;
  }

  private async run(rep: ReplicationRecord): Promise<void> {
    const { state, peers } = this.ctx;
    const id = rep.replication_id;
    const v = state.volumes.get(rep.source.volume_id);
    const url = this.ctx.regionUrl(rep.replica.region);
    if (!v) return;
    const ctl = new AbortController();
    this.running.set(id, ctl);
    const points = this.plan(rep, v);
    const update: UpdateRecord = {
      update_id: randomUUID(),
      state: 'running',
      started_at: apiTime(this.ctx.now()),
      ended_at: null,
      bytes_transferred: 0,
      bytes_total: points.reduce((n, p) => n + p.blocks.length * BLOCK_SIZE, 0),
      snapshot_names: points.filter((p) => p.kind === 'snapshot').map((p) => p.name as string),
      message: null,
    };
    rep.updates.unshift(update);
    rep.updates.length = Math.min(rep.updates.length, UPDATES_KEPT);
    if (rep.replication_status !== 'creating') rep.replication_status = 'updating';
    state.changed();
    const base = `/sim/peer/replicas/${id}/updates/${update.update_id}`;
    const call = <T>(method: 'POST' | 'PUT', path: string, body?: unknown) => {
      if (!url) throw notFound(`Region ${rep.replica.region} is no longer known to region ${this.ctx.name}`);
      return peers.call<T>(rep.replica.region, url, method, path, body, ctl.signal);
    };
    try {
      await call('POST', `/sim/peer/replicas/${id}/updates`, { update_id: update.update_id });
      let done = 0;
      for (const p of points) {
        const content = readBlocks(state.store, p.map, p.blocks);
        if (content.length > 0) {
          await pacedTransfer({
            content,
            rate: this.ctx.rate,
            chunkSize: CHUNK,
            signal: ctl.signal,
            send: (offset, chunk) => {
              const first = offset / BLOCK_SIZE;
              const blocks = encodeRanges(p.blocks.slice(first, first + chunk.length / BLOCK_SIZE));
              return call('PUT', `${base}/data?blocks=${blocks}`, chunk);
            },
            onProgress: (sent) => {
              update.bytes_transferred = done + sent;
            },
          });
        }
        done += content.length;
        await call('POST', `${base}/points`, {
          kind: p.kind,
          name: p.name ?? null,
          created_at: p.created_at ?? null,
          length: p.map.length,
        });
        if (p.kind === 'snapshot') rep.sent.push(p.name as string);
        else {
          if (rep.base) state.store.release(rep.base);
          rep.base = state.store.share(p.map);
        }
        state.changed();
      }
      await call('POST', `${base}/end`, { state: 'succeeded', message: null });
      update.state = 'succeeded';
      if (!deleting(rep)) rep.replication_status = 'available';
    } catch (err) {
      update.state = 'failed';
      update.message = err instanceof Error ? err.message : String(err);
      if (!deleting(rep)) rep.replication_status = 'error';
      if (url && !ctl.signal.aborted)
        void peers
          .call(rep.replica.region, url, 'POST', `${base}/end`, { state: 'failed', message: update.message })
          .catch(() => undefined);
    } finally {
      update.ended_at = apiTime(this.ctx.now());
      for (const p of points) state.store.release(p.map);
      this.running.delete(id);
      state.changed();
      if (this.again.delete(id) && state.replications.get(id) === rep) this.request(rep);
    }
  }
}
