/**
 * vSnap replication behind CDM: replicated snapshots start a session on the volume's relationship, progress reads the
 * session, remote arrays are the partners.
 */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { type TransferFacts, replicationStatus } from '../shared/replication';
import type { VsnapApi } from './api';
import { num } from './mapper';
import type { VsnapSession, VsnapSessionStatus } from './types';
import * as snapshots from './snapshots';

const STATE: Record<VsnapSessionStatus, T.ReplicationState> = {
  PENDING: 'queued',
  ACTIVE: 'transferring',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

const millisOrNull = (s: string | null | undefined): number | null =>
  s === null || s === undefined || s === '' ? null : num(s) * 1000;

/**
 * A snapshot replicated to every partner the volume has a primary relationship with: the snapshot is
 * taken, then a session sends it under the same name. Without a relationship nothing is taken (409).
 */
export async function createReplicatedSnapshot(
  api: VsnapApi,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  const rels = (await api.relationshipsOf(volumeId)).filter((r) => r.local_role === 'primary');
  if (rels.length === 0) {
    throw new StorageError(
      'CONFLICT',
      `volume '${volumeId}' has no replication relationship, so a snapshot of it cannot be replicated: pair the array with its partner (POST /api/partner) and create a relationship for the volume (POST /api/volume/${volumeId}/relationship {"partner_id": ...}) on the array first`,
    );
  }
  const snap = await snapshots.createSnapshot(api, volumeId, req);
  let started = 0;
  try {
    for (const rel of rels) {
      await api.startSession(rel.id, { snap_id: snap.id, remote_snap_name: snap.name });
      started++;
    }
  } catch (err) {
    // Nothing replicates it: leave no snapshot behind, so a retry starts clean.
    if (started === 0) await api.deleteSnapshot(snap.id).catch(() => undefined);
    throw err;
  }
  return snap;
}

/** The newest session that sent this snapshot, read from the array; 409 when none did. */
export async function snapshotProgress(
  api: VsnapApi,
  volumeId: string,
  snapshotId: string,
): Promise<T.SnapshotReplicationStatus> {
  const snap = await snapshots.snapshotOf(api, volumeId, snapshotId);
  const session = (await api.sessions())
    .filter((s) => s.local_snap_id === snapshotId)
    .reduce<VsnapSession | undefined>((a, s) => (!a || Number(s.id) > Number(a.id) ? s : a), undefined);
  if (!session) throw new StorageError('CONFLICT', `snapshot ${snap.name} was not replicated`);
  const state = STATE[session.status] ?? 'failed';
  const facts: TransferFacts = {
    name: snap.name,
    creationTime: num(snap.time_created) * 1000,
    state,
    startTime: millisOrNull(session.time_started),
    endTime: millisOrNull(session.time_ended),
    transferred: num(session.size_sent),
    // size_total is the simulator's extension; a real appliance reports only size_sent, so fall back to the snapshot's
    // size.
    total:
      session.size_total !== undefined && session.size_total !== null ? num(session.size_total) : num(snap.size_used),
    message: state === 'failed' ? (session.message ?? 'the array reports the replication session failed') : null,
  };
  return replicationStatus(facts);
}

export async function listRemoteArrays(api: VsnapApi): Promise<T.RemoteArray[]> {
  return (await api.partners()).map((p) => ({ name: p.id, hostAddress: `${p.address}:${p.api_port}` }));
}
