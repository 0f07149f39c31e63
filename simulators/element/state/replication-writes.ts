// Write forwarding of Async and Sync volume pairs: every write of a paired source reaches its target, in order, over
// HTTP.
import { BLOCK_SIZE } from '../../shared/blocks';
import { Timers } from '../../shared/timers';
import type { ClusterPairRecord, VolumePairRecord, VolumeRecord } from './model';
import type { ElementState } from './state';
import { delta } from './replication-delta';

/** A write waiting to reach the target (Async mode; Sync writes wait for their own delivery). */
interface PendingWrite {
  offset: number;
  data: Buffer;
  delivered?: () => void;
}

type CallPeer = (cp: ClusterPairRecord, method: string, params: Record<string, unknown>) => Promise<unknown>;

export class WriteForwarder {
  private readonly writes = new Map<string, PendingWrite[]>();
  private readonly draining = new Set<string>();
  private readonly timers = new Timers();

  constructor(
    private readonly state: ElementState,
    private readonly callPeer: CallPeer,
  ) {}

  /** Writes still on their way to the pair's target. */
  pending(uuid: string): number {
    return this.writes.get(uuid)?.length ?? 0;
  }

  /**
   * A write reached a source volume. Async: it is queued and sent shortly after. Sync: the answer
   * waits until the target has it (or the target failed to take it: the write stays acknowledged
   * locally and the pair shows PausedDisconnected, as a synchronous pair that loses its target does).
   */
  async volumeWritten(volume: VolumeRecord, offset: number, data: Buffer): Promise<void> {
    const pair = this.state.pairOfVolume(volume.volumeID);
    if (!pair || pair.role !== 'source' || pair.clusterPairID === 0 || pair.mode === 'SnapshotsOnly') return;
    if (pair.mode === 'Sync' && !pair.pausedManual) {
      await new Promise<void>((delivered) => this.queueWrite(pair, { offset, data: Buffer.from(data), delivered }));
      return;
    }
    this.queueWrite(pair, { offset, data: Buffer.from(data) });
  }

  /** Async and Sync pairs start with (and come back from SnapshotsOnly with) a copy of the whole volume. */
  fullSync(pair: VolumePairRecord): void {
    const volume = this.state.volumes.get(pair.volumeID);
    if (!volume) return;
    const { indexes, content } = delta(this.state, volume.content);
    // Runs of consecutive blocks go as one write.
    for (let i = 0; i < indexes.length;) {
      let j = i + 1;
      while (j < indexes.length && indexes[j] === indexes[j - 1] + 1 && j - i < 16) j++;
      this.queueWrite(pair, {
        offset: indexes[i] * BLOCK_SIZE,
        data: content.subarray(i * BLOCK_SIZE, j * BLOCK_SIZE),
      });
      i = j;
    }
  }

  private queueWrite(pair: VolumePairRecord, w: PendingWrite): void {
    const q = this.writes.get(pair.volumePairUUID) ?? [];
    q.push(w);
    this.writes.set(pair.volumePairUUID, q);
    void this.drain(pair.volumePairUUID);
  }

  async drain(uuid: string): Promise<void> {
    if (this.draining.has(uuid)) return;
    this.draining.add(uuid);
    try {
      for (;;) {
        const pair = this.state.volumePairs.get(uuid);
        const q = this.writes.get(uuid);
        if (this.timers.isStopped || !pair || !q || q.length === 0) return;
        // Held while a volume of the pair is deleted (or the partner's half is gone): nothing can take the writes.
        if (pair.pausedManual || pair.partner || this.state.volumes.get(pair.volumeID)?.status === 'deleted')
          return void this.releaseSyncWriters(q);
        const cp = this.state.clusterPairs.get(pair.clusterPairID);
        if (!cp) return;
        const w = q[0];
        try {
          await this.callPeer(cp, 'PeerWriteVolume', {
            volumePairUUID: uuid,
            offset: w.offset,
            data: w.data.toString('base64'),
          });
          q.shift();
          w.delivered?.();
          if (pair.stateDetails) {
            pair.stateDetails = '';
            this.state.changed();
          }
        } catch (err) {
          pair.stateDetails = `Writes cannot reach the target: ${err instanceof Error ? err.message : String(err)}`;
          this.releaseSyncWriters(q);
          // Tried again a little later, like a cluster retrying its partner.
          this.later(1000, () => void this.drain(uuid));
          return;
        }
      }
    } finally {
      this.draining.delete(uuid);
    }
  }

  /** Sync writers stop waiting (their writes stay queued): the host's I/O must not hang on a lost target. */
  private releaseSyncWriters(q: PendingWrite[]): void {
    for (const w of q) {
      w.delivered?.();
      w.delivered = undefined;
    }
  }

  private later(ms: number, fn: () => void): void {
    this.timers.later(ms, fn);
  }

  /** The pair is gone: its waiting writes are dropped and their writers released. */
  drop(uuid: string): void {
    const q = this.writes.get(uuid);
    if (q) this.releaseSyncWriters(q);
    this.writes.delete(uuid);
  }

  dispose(): void {
    this.timers.stop();
    for (const q of this.writes.values()) this.releaseSyncWriters(q);
  }
}
