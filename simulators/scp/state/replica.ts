// The target side of replication: the replica volume another region asks for, and the updates it receives, staged
// block by block and applied point by point (a snapshot the replica lacks, then the volume's own content).
import { randomUUID } from 'node:crypto';
import { BLOCK_SIZE, type BlockMap } from '../../shared/blocks';
import type { RegionContext } from '../context';
import { conflict, invalidAt, notFound } from '../errors';
import type { Frequency, Protocol, Purpose, ReplicationEnd, ReplicationRecord, TypeName } from './model';
import { apiTime } from './region';
import { decodeRanges } from './transfer-blocks';
import { createVolume } from './volumes';

export interface ReplicaRequest {
  replication_id: string;
  name: string;
  purpose: Purpose;
  protocol: Protocol;
  type_name: TypeName;
  account_id: string;
  cifs_password: string | null;
  replication_type: 'replication' | 'backup';
  replication_frequency: Frequency;
  backup_retention_count: number | null;
  source: ReplicationEnd;
}

interface Incoming {
  rep: ReplicationRecord;
  updateId: string;
  staging: BlockMap;
}

export class ReplicaReceiver {
  private readonly incoming = new Map<string, Incoming>();

  constructor(private readonly ctx: RegionContext) {}

  create(req: ReplicaRequest): { volume_id: string; volume_name: string } {
    const { state } = this.ctx;
    if (state.replications.has(req.replication_id)) throw conflict(`Replication ${req.replication_id} exists`);
    const v = createVolume(this.ctx, {
      name: req.name,
      protocol: req.protocol,
      type_name: req.type_name,
      account_id: req.account_id,
      cifs_password: req.cifs_password,
      purpose: req.purpose,
    });
    state.replications.set(req.replication_id, {
      replication_id: req.replication_id,
      replication_type: req.replication_type,
      replication_frequency: req.replication_frequency,
      replication_policy: 'use',
      replication_status: 'creating',
      backup_retention_count: req.backup_retention_count,
      protocol: req.protocol,
      role: 'replica',
      source: req.source,
      replica: { volume_id: v.id, volume_name: v.name, region: this.ctx.name, access_level: 'ro' },
      updates: [],
      sent: [],
      base: null,
    });
    state.changed();
    return { volume_id: v.id, volume_name: v.name };
  }

  private replication(id: string): ReplicationRecord {
    const rep = this.ctx.state.replications.get(id);
    if (!rep || rep.role !== 'replica') throw notFound(`Replication ${id} has no replica here`);
    return rep;
  }

  private update(id: string, updateId: string): Incoming {
    const inc = this.incoming.get(id);
    if (!inc || inc.updateId !== updateId) throw notFound(`No update ${updateId} of replication ${id} is running`);
    return inc;
  }

  /** An update starts from the replica's current content (a leftover of a broken one is dropped). */
  begin(id: string, updateId: string): void {
    const rep = this.replication(id);
    const v = this.ctx.state.volume(rep.replica.volume_id);
    this.drop(id);
    this.incoming.set(id, { rep, updateId, staging: this.ctx.state.store.share(v.content) });
    if (rep.replication_status !== 'creating') rep.replication_status = 'updating';
    this.ctx.state.changed();
  }

  /** One chunk: BLOCK_SIZE bytes for each index `blocks` lists. */
  data(id: string, updateId: string, blocksText: string, data: Buffer): void {
    const inc = this.update(id, updateId);
    const indices = decodeRanges(blocksText, Math.ceil(data.length / BLOCK_SIZE));
    if (!indices || indices.length * BLOCK_SIZE !== data.length)
      throw invalidAt(['query', 'blocks'], `blocks '${blocksText}' does not describe the ${data.length} bytes sent`);
    const { store } = this.ctx.state;
    indices.forEach((index, k) =>
      store.prepareWrite(inc.staging, index * BLOCK_SIZE, data.subarray(k * BLOCK_SIZE, (k + 1) * BLOCK_SIZE)).commit(),
    );
  }

  /** A point in time is complete: a snapshot of the replica, or (last) the replica's content itself. */
  point(
    id: string,
    updateId: string,
    p: { kind: string; name: string | null; created_at: string | null; length: number },
  ) {
    const inc = this.update(id, updateId);
    const { state } = this.ctx;
    const v = state.volume(inc.rep.replica.volume_id);
    inc.staging.length = p.length;
    if (p.kind === 'head') {
      state.store.release(v.content);
      v.content = state.store.share(inc.staging);
    } else if (p.name && !state.snapshotsOf(v.id).some((s) => s.name === p.name)) {
      const sid = randomUUID();
      state.snapshots.set(sid, {
        id: sid,
        name: p.name,
        volume_id: v.id,
        state: 'available',
        created_at: p.created_at ?? apiTime(this.ctx.now()),
        scheduled: false,
        content: state.store.share(inc.staging),
      });
      this.prune(inc.rep, v.id);
    }
    state.changed();
  }

  /** A backup keeps its newest `backup_retention_count` snapshots. */
  private prune(rep: ReplicationRecord, volumeId: string): void {
    if (rep.replication_type !== 'backup' || !rep.backup_retention_count) return;
    const snaps = this.ctx.state.snapshotsOf(volumeId);
    for (const old of snaps.slice(0, Math.max(0, snaps.length - rep.backup_retention_count))) {
      this.ctx.state.store.release(old.content);
      this.ctx.state.snapshots.delete(old.id);
    }
  }

  end(id: string, updateId: string, result: { state: string; message: string | null }): void {
    const inc = this.incoming.get(id);
    if (inc && inc.updateId === updateId) this.drop(id);
    const rep = this.ctx.state.replications.get(id);
    if (rep && rep.role === 'replica' && rep.replication_status !== 'deleting')
      rep.replication_status = result.state === 'succeeded' ? 'available' : 'error';
    this.ctx.state.changed();
  }

  drop(id: string): void {
    const inc = this.incoming.get(id);
    if (inc) this.ctx.state.store.release(inc.staging);
    this.incoming.delete(id);
  }
}
