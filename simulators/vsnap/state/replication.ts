// Replication sessions on the primary (seed 14): queued per relationship, data sent to the partner at the configured
// rate, cancel, failure.
import { randomBytes } from 'node:crypto';
import { pacedTransfer } from '../../shared/transfer';
import type { SimContext } from '../context';
import { VsnapError, inUse, invalid } from '../errors';
import type { PartnerRecord, RelationshipRecord, SessionRecord } from './model';
import type { PeerAuth } from './peer-client';
import { ReplicaReceiver } from './replica-receiver';
import { nowSeconds } from './state';
import { TRANSFER_CHUNK, blocksOf, deltaPlan, fullPlan } from './transfer-plan';
import { checkDatasetName, optString, requireId, type Body } from '../validate';
import { createSnapshot } from './volumes';

export const CANCELED = 'Canceled';

export const partnerAuth = (p: PartnerRecord): PeerAuth => ({ user: p.user, password: p.password });

const active = (s: SessionRecord): boolean => s.status === 'PENDING' || s.status === 'ACTIVE';

export class ReplicationEngine {
  /** Sessions sending now, by session id: aborting one stops its transfer before the next chunk. */
  private readonly running = new Map<string, AbortController>();
  /** The replica side of transfers this system receives. */
  readonly receiver: ReplicaReceiver;
  private disposed = false;

  constructor(private readonly ctx: SimContext) {
    this.receiver = new ReplicaReceiver(ctx);
  }

  /** POST /api/relationship/<id>/session: queue a session; without snap_id a new snapshot is taken first. */
  start(rel: RelationshipRecord, body: Body): SessionRecord {
    const { state } = this.ctx;
    if (rel.local_role !== 'primary')
      throw invalid(`Relationship ${rel.id} is a replica on this system: start sessions on the primary`);
    const partner = state.partner(rel.partner_id);
    const volume = state.volume(rel.local_vol_id);
    const remoteName = optString(body, 'remote_snap_name');
    if (remoteName !== undefined) checkDatasetName(remoteName, 'snapshot');
    let snapshot;
    if (body.snap_id !== undefined && body.snap_id !== null) {
      snapshot = state.snapshot(requireId(body, 'snap_id'));
      if (snapshot.volume_id !== volume.id)
        throw invalid(
          `Snapshot ${snapshot.id} is not a snapshot of volume ${volume.name}, the primary of relationship ${rel.id}`,
        );
    } else {
      snapshot = createSnapshot(state, volume, undefined);
    }
    const session: SessionRecord = {
      id: state.nextId('session'),
      rel_id: rel.id,
      local_snap_id: snapshot.id,
      local_snap_name: snapshot.name,
      remote_snap_id: null,
      // The replica keeps the source snapshot's name unless told otherwise.
      remote_snap_name: remoteName ?? snapshot.name,
      repl_address: partner.address,
      size_sent: null,
      size_total: null,
      base_snap_id: null,
      status: 'PENDING',
      time_queued: nowSeconds(),
      time_started: null,
      time_ended: null,
      message: null,
    };
    state.sessions.set(session.id, session);
    rel.last_attempt_snap_id = snapshot.id;
    rel.time_updated = nowSeconds();
    state.changed();
    this.ctx.later(0, () => this.pump(rel.id));
    return session;
  }

  /**
   * POST /api/session/<id> {action: cancel}: FAILED with "Canceled" at once; a running transfer stops before its next
   * chunk.
   */
  cancel(session: SessionRecord): void {
    if (!active(session))
      throw invalid(`Session ${session.id} is ${session.status}: only PENDING or ACTIVE sessions can be canceled`);
    this.fail(session, CANCELED);
    this.running.get(session.id)?.abort(new VsnapError('InternalError', CANCELED));
  }

  /** Cancels the sessions of a relationship that is going away. */
  cancelAll(relId: string, message: string): void {
    for (const s of this.ctx.state.sessions.values()) {
      if (s.rel_id === relId && active(s)) {
        this.fail(s, message);
        this.running.get(s.id)?.abort(new VsnapError('InternalError', message));
      }
    }
  }

  assertIdle(rel: RelationshipRecord): void {
    const busy = [...this.ctx.state.sessions.values()].filter((s) => s.rel_id === rel.id && active(s));
    if (busy.length > 0)
      throw inUse(
        `Relationship ${rel.id} has active sessions (${busy.map((s) => s.id).join(', ')}): cancel them first`,
      );
  }

  dispose(): void {
    this.disposed = true;
    for (const ac of this.running.values()) ac.abort(new VsnapError('InternalError', 'The system is shutting down'));
    this.running.clear();
    this.receiver.dispose();
  }

  /** One session at a time per relationship, oldest first: an incremental needs the previous one done. */
  private pump(relId: string): void {
    if (this.disposed) return;
    const sessions = [...this.ctx.state.sessions.values()].filter((s) => s.rel_id === relId);
    if (sessions.some((s) => this.running.has(s.id))) return;
    const next = sessions.filter((s) => s.status === 'PENDING').sort((a, b) => Number(a.id) - Number(b.id))[0];
    if (next) void this.run(next);
  }

  private fail(session: SessionRecord, message: string): void {
    const { state } = this.ctx;
    session.status = 'FAILED';
    session.message = message;
    session.time_ended = nowSeconds();
    const rel = state.relationships.get(session.rel_id);
    if (rel) {
      rel.last_sync_status = 'FAILED';
      rel.time_updated = nowSeconds();
    }
    state.changed();
  }

  private async run(session: SessionRecord): Promise<void> {
    const { state, peers } = this.ctx;
    const ac = new AbortController();
    this.running.set(session.id, ac);
    const rel = state.relationship(session.rel_id);
    let partner: PartnerRecord | undefined;
    try {
      partner = state.partner(rel.partner_id);
      const snapshot = state.snapshot(session.local_snap_id);
      const store = state.storeOf(state.volume(snapshot.volume_id));
      const base = rel.last_success_snap_id === null ? undefined : state.snapshots.get(rel.last_success_snap_id);
      // A base the volume has since shrunk below cannot be patched block by block: send it all.
      const baseId =
        base && base.volume_id === snapshot.volume_id && base.content.length <= snapshot.content.length
          ? base.id
          : null;
      const call = { signal: ac.signal };
      const started = await peers.call<{ remote_snap_id: string; incremental: boolean }>(
        partner,
        partnerAuth(partner),
        {
          ...call,
          method: 'POST',
          path: '/api/peer/session',
          body: {
            session_id: session.id,
            rel_id: rel.id,
            snap_id: snapshot.id,
            remote_snap_name: session.remote_snap_name,
            base_snap_id: baseId,
          },
        },
      );
      const plan =
        started.incremental && base
          ? deltaPlan(store, base.content, snapshot.content)
          : fullPlan(store, snapshot.content);
      if (session.status !== 'PENDING') throw new Error(session.message ?? CANCELED); // canceled meanwhile
      Object.assign(session, {
        remote_snap_id: started.remote_snap_id,
        base_snap_id: started.incremental ? baseId : null,
        size_total: plan.content.length,
        size_sent: 0,
        status: 'ACTIVE',
        time_started: nowSeconds(),
      });
      state.changed();
      const target = partner;
      await pacedTransfer({
        content: plan.content,
        rate: this.ctx.faults.replicationRate(this.ctx.replicationRate),
        chunkSize: TRANSFER_CHUNK,
        signal: ac.signal,
        send: (offset, chunk) =>
          peers
            .call(target, partnerAuth(target), {
              ...call,
              method: 'PUT',
              path: `/api/peer/session/${session.id}/data`,
              query: { blocks: blocksOf(plan, offset, chunk.length) },
              body: chunk,
            })
            .then(() => undefined),
        onProgress: (sent) => {
          // In memory only: saving the state file for every chunk would cost more than the transfer.
          session.size_sent = sent;
        },
      });
      const done = await peers.call<{ snap_id: string }>(partner, partnerAuth(partner), {
        ...call,
        method: 'POST',
        path: `/api/peer/session/${session.id}/commit`,
        body: { length: String(snapshot.content.length), snap_id: snapshot.id, version_id: snapshot.version_id },
      });
      if (!active(session)) return; // canceled while the partner committed: the session stays FAILED as answered
      Object.assign(session, {
        remote_snap_id: done.snap_id,
        status: 'COMPLETED',
        time_ended: nowSeconds(),
        message: null,
      });
      Object.assign(rel, {
        last_sync_status: 'COMPLETED',
        last_success_snap_id: snapshot.id,
        time_updated: nowSeconds(),
      });
      state.changed();
    } catch (err) {
      if (this.disposed) return; // closing: the state file marks the session interrupted when it is loaded again
      if (active(session)) this.fail(session, err instanceof Error ? err.message : String(err));
      // The partner drops what it staged; a partner that is gone has nothing to drop.
      if (partner) {
        const p = partner;
        await peers
          .call(p, partnerAuth(p), { method: 'DELETE', path: `/api/peer/session/${session.id}`, timeoutMs: 2000 })
          .catch(() => undefined);
      }
    } finally {
      this.running.delete(session.id);
      this.ctx.later(0, () => this.pump(rel.id));
    }
  }
}

/** A relationship id as the appliance shows them: 32 hex digits. */
export const newRelationshipId = (): string => randomBytes(16).toString('hex');
