// The replication engine of one simulated cluster: pair status, and snapshot transfers (incremental, paced) to paired
// volumes over HTTP.
import { randomUUID } from 'node:crypto';
import { BLOCK_SIZE, type BlockMap } from '../../shared/blocks';
import { pacedTransfer } from '../../shared/transfer';
import { RpcError, X_SNAPSHOT_ID_DOES_NOT_EXIST } from '../errors';
import type {
  ClusterPairRecord,
  PartnerEvent,
  PeerCluster,
  RemoteStatusRecord,
  SnapshotRecord,
  VolumePairRecord,
} from './model';
import type { ElementState } from './state';
import { delta } from './replication-delta';
import { PeerClient } from './replication-peer';
import { WriteForwarder } from './replication-writes';

/** Abort reasons the engine gives its own transfers. */
const PAUSED = 'paused';
const CLOSING = 'closing';
/** A side of the pair was deleted: the transfer stops where it is and resumes on restore. */
const HELD = 'held';

/** A snapshot transfer interrupted by a pause: resumed from where it stopped. */
interface PartialTransfer {
  transferID: string;
  /** Block indexes the transfer sends, in order; `content` holds their bytes back to back. */
  indexes: number[];
  content: Buffer;
  sent: number;
}

/** What ListActivePairedVolumes shows of a pair beyond its record. */
export interface PairStatus {
  state: string;
  stateDetails: string;
  snapshotState: string;
  snapshotDetails: string;
}

export class ReplicationEngine {
  /** `host:port` other clusters reach this one at (the MVIP of pairing keys); set once listening. */
  endpoint = '';
  readonly peer = new PeerClient();
  private closed = false;
  /** The running snapshot transfer of each volume pair (one at a time per pair, oldest snapshot first). */
  private readonly running = new Map<string, { controller: AbortController; snapshotID: number }>();
  private readonly partials = new Map<string, PartialTransfer>();
  /** Async and Sync pairs: writes of the source on their way to the target. */
  readonly writes: WriteForwarder;
  /** Replica snapshots being received from a paired cluster, by transferID. */
  readonly staging = new Map<
    string,
    {
      volumePairUUID: string;
      volumeID: number;
      map: BlockMap;
      name: string;
      length: number;
      totalSize: number;
      attributes: Record<string, unknown>;
    }
  >();

  constructor(
    private readonly state: ElementState,
    /** Bytes per second in force when a transfer starts. */
    private readonly rate: () => number,
  ) {
    this.writes = new WriteForwarder(state, (cp, method, params) => this.callPeer(cp, method, params));
  }

  /** This cluster as the partner records it. */
  self(): PeerCluster {
    const c = this.state.cluster;
    return { name: c.name, uuid: c.uuid, uniqueID: c.uniqueID, mvip: this.endpoint, version: c.version };
  }

  /** Calls the paired cluster; whether it answered decides the cluster pair's status. */
  async callPeer<T>(
    cp: ClusterPairRecord,
    method: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (!cp.remote || !cp.remoteAccount)
      throw new RpcError(
        'xInvalidParameter',
        `Cluster pair ${cp.clusterPairID} is not complete yet: CompleteClusterPairing on the other cluster`,
      );
    const started = Date.now();
    try {
      const result = await this.peer.call<T>(cp.remote.mvip, cp.remoteAccount, method, params, signal);
      this.connected(cp, Date.now() - started);
      return result;
    } catch (err) {
      if (err instanceof RpcError && err.rpcName === 'xRemoteClusterUnreachable') this.disconnected(cp, err.message);
      else if (!signal?.aborted) this.connected(cp, Date.now() - started);
      throw err;
    }
  }

  private connected(cp: ClusterPairRecord, latency: number): void {
    cp.latency = latency;
    if (cp.status === 'Connected' || cp.status === 'Misconfigured') return;
    cp.status = 'Connected';
    cp.statusDetails = '';
    this.state.changed();
  }

  private disconnected(cp: ClusterPairRecord, why: string): void {
    // A partner that removed its half refuses this side's account for good: the pair stays Misconfigured.
    if (this.closed || this.state.clusterPairs.get(cp.clusterPairID) !== cp || cp.status === 'Misconfigured') return;
    cp.status = 'Disconnected';
    cp.statusDetails = why;
    this.state.changed();
  }

  pairStatus(pair: VolumePairRecord): PairStatus {
    const cp = this.state.clusterPairs.get(pair.clusterPairID);
    const running =
      this.running.has(pair.volumePairUUID) ||
      [...this.staging.values()].some((s) => s.volumePairUUID === pair.volumePairUUID);
    const snapshot = { snapshotState: running ? 'Syncing' : 'Idle', snapshotDetails: '' };
    if (!cp)
      return {
        state: 'PausedDisconnected',
        stateDetails: "Waiting for CompleteVolumePairing on the target cluster with this volume's pairing key",
        ...snapshot,
      };
    if (pair.partner === 'removed' || pair.partner === 'purged')
      return {
        state: 'StoppedMisconfigured',
        stateDetails:
          pair.partner === 'removed'
            ? 'The volume pair was removed on the paired cluster: RemoveVolumePair here too, then pair the volumes again'
            : 'The paired volume was purged on the paired cluster: RemoveVolumePair here, then pair with another volume',
        ...snapshot,
      };
    if (pair.partner === 'deleted')
      return {
        state: 'PausedMisconfigured',
        stateDetails:
          'The paired volume was deleted on the paired cluster: RestoreDeletedVolume there resumes the pair',
        ...snapshot,
      };
    if (this.state.volumes.get(pair.volumeID)?.status === 'deleted')
      return {
        state: 'PausedMisconfigured',
        stateDetails: 'This volume is deleted: RestoreDeletedVolume resumes the pair',
        ...snapshot,
      };
    if (pair.pausedManual) return { state: 'PausedManual', stateDetails: 'Paused with ModifyVolumePair', ...snapshot };
    if (cp.status === 'Disconnected')
      return {
        state: 'PausedDisconnected',
        stateDetails: cp.statusDetails,
        ...snapshot,
        snapshotDetails: pair.stateDetails,
      };
    if (pair.stateDetails)
      return {
        state: 'PausedDisconnected',
        stateDetails: pair.stateDetails,
        ...snapshot,
        snapshotDetails: pair.stateDetails,
      };
    // "Active" means in sync: writes still on their way say so.
    if (this.writes.pending(pair.volumePairUUID) > 0)
      return { state: 'ResumeDataTransfer', stateDetails: 'Sending writes to the target', ...snapshot };
    return { state: 'Active', stateDetails: '', ...snapshot };
  }

  // ---- snapshots --------------------------------------------------------------------------------

  /**
   * A snapshot taken with enableRemoteReplication: it is queued on the volume's pair when the volume is a paired
   * source.
   */
  snapshotTaken(snapshot: SnapshotRecord): void {
    snapshot.enableRemoteReplication = true;
    const pair = this.state.pairOfVolume(snapshot.volumeID);
    if (!pair || pair.role !== 'source' || pair.clusterPairID === 0) return;
    snapshot.remoteStatuses = [
      ...(snapshot.remoteStatuses ?? []).filter((r) => r.volumePairUUID !== pair.volumePairUUID),
      {
        volumePairUUID: pair.volumePairUUID,
        remoteStatus: 'NotPresent',
        remoteSnapshotID: null,
        bytesTransferred: 0,
        totalBytes: 0,
        startTime: null,
        endTime: null,
        stateDetails: '',
      },
    ];
    this.pump(pair.volumePairUUID);
  }

  private statusOf(s: SnapshotRecord, uuid: string): RemoteStatusRecord | undefined {
    return s.remoteStatuses?.find((r) => r.volumePairUUID === uuid);
  }

  /** Starts the pair's next waiting snapshot unless one runs or the pair is paused. */
  pump(uuid: string): void {
    if (this.closed || this.running.has(uuid)) return;
    const pair = this.state.volumePairs.get(uuid);
    if (!pair || pair.role !== 'source' || pair.clusterPairID === 0 || pair.pausedManual || this.held(pair)) return;
    const next = this.state
      .snapshotsOf(pair.volumeID)
      .filter((s) => ['NotPresent', 'Syncing'].includes(this.statusOf(s, uuid)?.remoteStatus ?? ''))
      .sort((a, b) => a.snapshotID - b.snapshotID)[0];
    if (!next) return;
    const controller = new AbortController();
    this.running.set(uuid, { controller, snapshotID: next.snapshotID });
    void this.transfer(pair, next, this.statusOf(next, uuid)!, controller.signal).finally(() => {
      this.running.delete(uuid);
      this.pump(uuid);
    });
  }

  /** The newest older snapshot already on the partner: the next transfer sends only what changed since. */
  private baseFor(
    pair: VolumePairRecord,
    snap: SnapshotRecord,
  ): { snapshot: SnapshotRecord; remoteSnapshotID: number } | undefined {
    const older = this.state
      .snapshotsOf(pair.volumeID)
      .filter((s) => s.snapshotID < snap.snapshotID)
      .sort((a, b) => b.snapshotID - a.snapshotID);
    for (const s of older) {
      const r = this.statusOf(s, pair.volumePairUUID);
      if (r?.remoteStatus === 'Present' && r.remoteSnapshotID)
        return { snapshot: s, remoteSnapshotID: r.remoteSnapshotID };
    }
    return undefined;
  }

  private async begin(
    cp: ClusterPairRecord,
    pair: VolumePairRecord,
    snap: SnapshotRecord,
    signal: AbortSignal,
  ): Promise<PartialTransfer> {
    const transferID = randomUUID();
    const open = (baseSnapshotID: number | null) =>
      this.callPeer(
        cp,
        'PeerBeginSnapshot',
        {
          volumePairUUID: pair.volumePairUUID,
          transferID,
          name: snap.name,
          baseSnapshotID,
          length: snap.content.length,
          totalSize: snap.totalSize,
          attributes: snap.attributes,
        },
        signal,
      );
    const base = this.baseFor(pair, snap);
    try {
      await open(base?.remoteSnapshotID ?? null);
      return { transferID, ...delta(this.state, snap.content, base?.snapshot.content), sent: 0 };
    } catch (err) {
      // The base was deleted on the partner: send the whole snapshot instead.
      if (!base || !(err instanceof RpcError && err.rpcName === X_SNAPSHOT_ID_DOES_NOT_EXIST)) throw err;
      await open(null);
      return { transferID, ...delta(this.state, snap.content), sent: 0 };
    }
  }

  private async transfer(
    pair: VolumePairRecord,
    snap: SnapshotRecord,
    st: RemoteStatusRecord,
    signal: AbortSignal,
  ): Promise<void> {
    const key = `${pair.volumePairUUID}/${snap.snapshotID}`;
    const cp = this.state.clusterPairs.get(pair.clusterPairID);
    let partial = this.partials.get(key);
    try {
      if (!cp) throw new Error('the cluster pair is gone');
      if (!partial) {
        st.startTime = this.state.now();
        st.bytesTransferred = 0;
        partial = await this.begin(cp, pair, snap, signal);
        this.partials.set(key, partial);
        st.totalBytes = partial.content.length;
      }
      const p = partial;
      st.remoteStatus = 'Syncing';
      st.stateDetails = '';
      this.state.changed();
      const from = p.sent;
      await pacedTransfer({
        content: p.content.subarray(from),
        rate: this.rate(),
        signal,
        send: async (offset, chunk) => {
          if (!this.state.snapshots.has(snap.snapshotID))
            throw new Error(`snapshot ${snap.snapshotID} was deleted on the source`);
          const first = (from + offset) / BLOCK_SIZE;
          const blocks = p.indexes
            .slice(first, first + chunk.length / BLOCK_SIZE)
            .map((index, k) => [index, chunk.subarray(k * BLOCK_SIZE, (k + 1) * BLOCK_SIZE).toString('base64')]);
          await this.callPeer(cp, 'PeerSnapshotBlocks', { transferID: p.transferID, blocks }, signal);
        },
        onProgress: (sent) => {
          p.sent = from + sent;
          st.bytesTransferred = p.sent;
        },
      });
      const done = await this.callPeer<{ snapshotID: number }>(
        cp,
        'PeerCommitSnapshot',
        { transferID: p.transferID },
        signal,
      );
      this.partials.delete(key);
      Object.assign(st, {
        remoteStatus: 'Present',
        remoteSnapshotID: done.snapshotID,
        bytesTransferred: st.totalBytes,
        endTime: this.state.now(),
        stateDetails: '',
      });
      pair.stateDetails = '';
      this.state.changed();
    } catch (err) {
      const reason: unknown = signal.aborted ? signal.reason : undefined;
      // Closing: left as it is; a restart with the state file sends the snapshot again.
      if (this.closed || reason === CLOSING) return;
      if (reason === PAUSED || reason === HELD) {
        st.stateDetails =
          reason === PAUSED
            ? 'Paused with ModifyVolumePair: resumes where it stopped'
            : 'Held while a volume of the pair is deleted: resumes where it stopped once it is restored';
        this.state.changed();
        return;
      }
      this.partials.delete(key);
      if (partial && cp && reason === undefined)
        void this.callPeer(cp, 'PeerAbortSnapshot', { transferID: partial.transferID }).catch(() => undefined);
      const why = typeof reason === 'string' ? reason : err instanceof Error ? err.message : String(err);
      const name = cp?.remote ? `cluster ${cp.remote.name} (${cp.remote.mvip})` : 'the paired cluster';
      Object.assign(st, {
        remoteStatus: 'Unknown',
        endTime: this.state.now(),
        stateDetails:
          reason !== undefined
            ? `Canceled after ${st.bytesTransferred} of ${st.totalBytes} bytes: ${why}`
            : `The transfer to ${name} failed after ${st.bytesTransferred} of ${st.totalBytes} bytes: ${why}`,
      });
      if (reason === undefined) pair.stateDetails = st.stateDetails;
      if (this.state.snapshots.has(snap.snapshotID) || this.state.volumePairs.has(pair.volumePairUUID))
        this.state.changed();
    }
  }

  // ---- pair changes ----------------------------------------------------------------------------

  /** Nothing moves over a pair while either volume is deleted, or once the partner's half is gone. */
  held(pair: VolumePairRecord): boolean {
    return pair.partner !== undefined || this.state.volumes.get(pair.volumeID)?.status === 'deleted';
  }

  /**
   * This side's volume was deleted, restored or purged, or its half of the pair removed: the partner records it
   * (its pair then shows PausedMisconfigured or StoppedMisconfigured). A partner that does not answer is not told.
   */
  async tellPartner(pair: VolumePairRecord, event: PartnerEvent | 'restored'): Promise<void> {
    if (event === 'deleted') this.running.get(pair.volumePairUUID)?.controller.abort(HELD);
    if (event === 'restored') this.resumePair(pair);
    const cp = this.state.clusterPairs.get(pair.clusterPairID);
    if (!cp?.remote || !cp.remoteAccount) return;
    await this.callPeer(cp, 'PeerPartnerChanged', { volumePairUUID: pair.volumePairUUID, event }).catch(
      () => undefined,
    );
  }

  /** The partner told what became of its side. */
  partnerChanged(pair: VolumePairRecord, event: PartnerEvent | 'restored'): void {
    if (event === 'restored') {
      delete pair.partner;
      this.resumePair(pair);
      return;
    }
    pair.partner = event;
    this.running
      .get(pair.volumePairUUID)
      ?.controller.abort(event === 'deleted' ? HELD : `the paired volume was ${event}`);
    if (event !== 'deleted') this.writes.drop(pair.volumePairUUID);
  }

  private resumePair(pair: VolumePairRecord): void {
    if (this.held(pair)) return;
    this.pump(pair.volumePairUUID);
    void this.writes.drain(pair.volumePairUUID);
  }

  /** ModifyVolumePair on the source: pause stops the running transfer (kept to resume), resume picks it up. */
  modify(pair: VolumePairRecord, change: { pausedManual?: boolean; mode?: VolumePairRecord['mode'] }): void {
    const wasSnapshotsOnly = pair.mode === 'SnapshotsOnly';
    if (change.mode) pair.mode = change.mode;
    if (change.pausedManual !== undefined) pair.pausedManual = change.pausedManual;
    if (pair.pausedManual) this.running.get(pair.volumePairUUID)?.controller.abort(PAUSED);
    if (pair.role === 'source' && pair.clusterPairID !== 0 && wasSnapshotsOnly && pair.mode !== 'SnapshotsOnly')
      this.writes.fullSync(pair);
    if (!pair.pausedManual) {
      this.pump(pair.volumePairUUID);
      void this.writes.drain(pair.volumePairUUID);
    }
  }

  /** RemoveVolumePair (either side): transfers stop, waiting snapshots are marked canceled. */
  removePair(pair: VolumePairRecord, why: string): void {
    this.state.volumePairs.delete(pair.volumePairUUID);
    const running = this.running.get(pair.volumePairUUID);
    // The running transfer marks its own snapshot when it stops.
    running?.controller.abort(why);
    this.writes.drop(pair.volumePairUUID);
    for (const key of this.partials.keys()) if (key.startsWith(`${pair.volumePairUUID}/`)) this.partials.delete(key);
    for (const [id, s] of this.staging) {
      if (s.volumePairUUID !== pair.volumePairUUID) continue;
      this.state.store.release(s.map);
      this.staging.delete(id);
    }
    for (const s of this.state.snapshotsOf(pair.volumeID)) {
      const r = this.statusOf(s, pair.volumePairUUID);
      if (
        r &&
        (r.remoteStatus === 'NotPresent' || r.remoteStatus === 'Syncing') &&
        s.snapshotID !== running?.snapshotID
      ) {
        Object.assign(r, {
          remoteStatus: 'Unknown',
          endTime: this.state.now(),
          stateDetails: `Canceled after ${r.bytesTransferred} of ${r.totalBytes} bytes: ${why}`,
        });
      }
    }
  }

  /** At start: transfers the state file says were waiting or running are sent again from the start. */
  resume(): void {
    for (const pair of this.state.volumePairs.values()) {
      if (pair.role !== 'source') continue;
      for (const s of this.state.snapshotsOf(pair.volumeID)) {
        const r = this.statusOf(s, pair.volumePairUUID);
        if (r?.remoteStatus === 'Syncing') Object.assign(r, { remoteStatus: 'NotPresent', bytesTransferred: 0 });
      }
      this.pump(pair.volumePairUUID);
    }
  }

  /** Stops every transfer and timer and closes the pool (the simulator is closing). */
  async dispose(): Promise<void> {
    this.closed = true;
    for (const r of this.running.values()) r.controller.abort(CLOSING);
    this.writes.dispose();
    await this.peer.close();
  }
}
