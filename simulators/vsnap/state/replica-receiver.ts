// The replica side of a session: stage the blocks a partner sends, then make them the replica volume's content and
// snapshot it.
import { randomBytes } from 'node:crypto';
import { BLOCK_SIZE, type BlockMap } from '../../shared/blocks';
import type { SimContext } from '../context';
import { exists, invalid, noSpace, notFound } from '../errors';
import type { RelationshipRecord, VolumeRecord } from './model';
import { poolFree } from './pools';
import { nowSeconds } from './state';
import { decodeRanges } from './transfer-plan';
import { checkDatasetName, requireId, requireString, type Body } from '../validate';

interface Incoming {
  rel: RelationshipRecord;
  volume: VolumeRecord;
  /** Id reserved for the replica snapshot, so the primary can show remote_snap_id while sending. */
  snapId: string;
  name: string;
  /** The replica's next content: a copy-on-write copy of the current one (incremental) or empty (full). */
  staging: BlockMap;
}

const isZero = (b: Buffer): boolean => b.every((x) => x === 0);

export class ReplicaReceiver {
  private readonly incoming = new Map<string, Incoming>();

  constructor(private readonly ctx: SimContext) {}

  private key = (partnerId: string, sessionId: string): string => `${partnerId}/${sessionId}`;

  private get(partnerId: string, sessionId: string): Incoming {
    const inc = this.incoming.get(this.key(partnerId, sessionId));
    if (!inc) throw notFound(`No transfer of session ${sessionId} is in progress from partner ${partnerId}`);
    return inc;
  }

  /** A session begins: check the name is free, reserve the snapshot id, decide full or incremental. */
  start(partnerId: string, body: Body): { remote_snap_id: string; incremental: boolean } {
    const { state } = this.ctx;
    const sessionId = requireId(body, 'session_id');
    const rel = state.relationship(requireId(body, 'rel_id'));
    if (rel.local_role !== 'replica' || rel.partner_id !== partnerId)
      throw notFound(`Relationship ID ${rel.id} not found`);
    const volume = state.volume(rel.local_vol_id);
    const name = checkDatasetName(requireString(body, 'remote_snap_name'), 'snapshot');
    if (state.snapshotsOf(volume.id).some((s) => s.name === name))
      throw exists(`Snapshot ${name} of volume ${volume.name} already exists`);
    if (!volume.content) throw invalid(`Volume ${volume.id} cannot receive a replica`);
    const base = typeof body.base_snap_id === 'string' ? body.base_snap_id : null;
    // Incremental only if the replica holds exactly the base: it received it and nothing wrote to it since (replicas
    // are read-only).
    const incremental = base !== null && rel.synced_snap_id === base;
    this.drop(partnerId, sessionId);
    const store = state.storeOf(volume);
    const staging = incremental ? store.share(volume.content) : store.newMap();
    this.incoming.set(this.key(partnerId, sessionId), { rel, volume, snapId: state.nextId('snapshot'), name, staging });
    state.changed();
    return { remote_snap_id: this.incoming.get(this.key(partnerId, sessionId))!.snapId, incremental };
  }

  /**
   * One chunk: the blocks at `blocks` (ranges of indices), BLOCK_SIZE bytes each (the volume's last one may be short).
   */
  data(partnerId: string, sessionId: string, blocksText: string, data: Buffer): void {
    const inc = this.get(partnerId, sessionId);
    const indices = decodeRanges(blocksText, Math.ceil(data.length / BLOCK_SIZE) + 1);
    const fits =
      indices !== undefined &&
      (indices.length === 0
        ? data.length === 0
        : data.length > (indices.length - 1) * BLOCK_SIZE && data.length <= indices.length * BLOCK_SIZE);
    if (!indices || !fits)
      throw invalid(`Parameter blocks "${blocksText}" does not describe the ${data.length} bytes sent`);
    const { state } = this.ctx;
    const pool = state.pool(inc.volume.pool_id);
    indices.forEach((index, k) => {
      const block = data.subarray(k * BLOCK_SIZE, (k + 1) * BLOCK_SIZE);
      // Holes stay holes, as `zfs recv` writes none for them.
      if (isZero(block) && !inc.staging.blocks.has(index)) return;
      const change = pool.store.prepareWrite(inc.staging, index * BLOCK_SIZE, block);
      const free = poolFree(state, pool);
      if (change.netBytes > free)
        throw noSpace(`Pool ${pool.name} has ${free} bytes free; the replica needs ${change.netBytes} more`);
      change.commit();
    });
  }

  /**
   * The last chunk arrived: the staged content becomes the replica volume's, and its snapshot is taken under the
   * reserved id.
   */
  commit(partnerId: string, sessionId: string, body: Body): { snap_id: string; snap_name: string } {
    const inc = this.get(partnerId, sessionId);
    const { state } = this.ctx;
    const length = Number(requireString(body, 'length'));
    if (!Number.isSafeInteger(length) || length < 0) throw invalid('Parameter length must be a byte count');
    const volume = state.volumes.get(inc.volume.id);
    if (!volume?.content || !state.relationships.has(inc.rel.id)) {
      this.drop(partnerId, sessionId);
      throw notFound(`Replica volume ${inc.volume.id} of relationship ${inc.rel.id} is gone`);
    }
    if (state.snapshotsOf(volume.id).some((s) => s.name === inc.name)) {
      this.drop(partnerId, sessionId);
      throw exists(`Snapshot ${inc.name} of volume ${volume.name} already exists`);
    }
    const store = state.storeOf(volume);
    store.release(volume.content);
    inc.staging.length = length;
    volume.content = inc.staging;
    const time = nowSeconds();
    volume.time_updated = time;
    state.snapshots.set(inc.snapId, {
      id: inc.snapId,
      name: inc.name,
      volume_id: volume.id,
      version_id: typeof body.version_id === 'string' ? body.version_id : randomBytes(8).readBigUInt64BE().toString(),
      content: store.share(volume.content),
      time_created: time,
      time_updated: time,
    });
    inc.rel.synced_snap_id = requireId(body, 'snap_id');
    inc.rel.time_updated = time;
    this.incoming.delete(this.key(partnerId, sessionId));
    state.changed();
    return { snap_id: inc.snapId, snap_name: inc.name };
  }

  /** The session failed or was canceled on the primary: forget what was staged (the replica volume is untouched). */
  drop(partnerId: string, sessionId: string): void {
    const key = this.key(partnerId, sessionId);
    const inc = this.incoming.get(key);
    if (!inc) return;
    this.incoming.delete(key);
    this.ctx.state.pools.get(inc.volume.pool_id)?.store.release(inc.staging);
  }

  /** Transfers into a relationship that is being deleted. */
  dropRelationship(relId: string): void {
    for (const [key, inc] of [...this.incoming])
      if (inc.rel.id === relId) this.drop(...(key.split('/') as [string, string]));
  }

  dispose(): void {
    for (const key of [...this.incoming.keys()]) this.drop(...(key.split('/') as [string, string]));
  }
}
