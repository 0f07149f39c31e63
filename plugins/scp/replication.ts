/**
 * SCP replication behind CDM: a volume replicates to another region through its replication (/v1/replications), whose
 * updates carry every snapshot the replica lacks. A replicated snapshot is taken and the replication set to `use`, which
 * puts it to work; get-Progress reads the replication; remote arrays are the regions a volume can replicate to.
 */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { type TransferFacts, replicationStatus } from '../shared/replication';
import type { ScpApi } from './api';
import type { Placement } from './inventory';
import { type CdmNames, millis } from './mapper';
import * as snapshots from './snapshots';
import type { ScpReplicationDetail, ScpSnapshot } from './types';

/** The replications (not backups) the volume is the source of, with their details. */
async function sourceReplications(api: ScpApi, volumeId: string): Promise<ScpReplicationDetail[]> {
  const reps = (await api.replications(volumeId)).filter(
    (r) => r.source_volume_id === volumeId && r.replication_type === 'replication',
  );
  return Promise.all(reps.map((r) => api.replication(volumeId, r.replication_id)));
}

export async function createReplicatedSnapshot(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  await api.volume(volumeId);
  const reps = await sourceReplications(api, volumeId);
  if (reps.length === 0)
    throw new StorageError(
      'CONFLICT',
      `volume '${volumeId}' has no replication, so a snapshot of it cannot be replicated: create one for the volume in its region first (POST /v1/replications {"volume_id", "region", "name", "replication_frequency", "replication_type": "replication"})`,
    );
  const idle = reps.find((r) => r.replication_policy === 'paused' || r.replication_status === 'deleting');
  if (idle)
    throw new StorageError(
      'CONFLICT',
      `replication ${idle.replication_id} of volume '${volumeId}' is ${idle.replication_status === 'deleting' ? 'being deleted' : 'paused'}, so it would not carry the snapshot: resume it first (PUT /v1/replications/${idle.replication_id} {"replication_update_type": "policy", "replication_policy": "use"})`,
    );
  const snap = await snapshots.createSnapshot(api, names, volumeId, req);
  let set = 0;
  try {
    for (const rep of reps) {
      await api.setReplicationPolicy(volumeId, rep.replication_id, 'use');
      set++;
    }
  } catch (err) {
    // No replication will carry it now: leave no snapshot behind, so a retry starts clean.
    if (set === 0) await snapshots.deleteSnapshot(api, names, volumeId, snap.id).catch(() => undefined);
    throw err;
  }
  return snap;
}

const STATE: Record<string, T.ReplicationState> = { running: 'transferring', succeeded: 'completed', failed: 'failed' };

/** From the replication's transfers (`updates`, which the simulator reports): the newest one that carried the snapshot. */
function fromUpdates(rep: ScpReplicationDetail, snap: ScpSnapshot): Omit<TransferFacts, 'name' | 'creationTime'> {
  const u = rep.updates?.find((x) => x.snapshot_names.includes(snap.name));
  if (!u) return { state: 'queued', startTime: null, endTime: null, transferred: 0, total: 0, message: null };
  const state = STATE[u.state] ?? 'failed';
  return {
    state,
    startTime: millis(u.started_at) || null,
    endTime: u.ended_at ? millis(u.ended_at) : null,
    transferred: u.bytes_transferred,
    total: u.bytes_total,
    message: state === 'failed' ? (u.message ?? 'the replication reports the transfer failed') : null,
  };
}

/**
 * Without transfers in the answer: the snapshot is complete once the replica (in its region) holds it; until then the
 * replication's status says queued, transferring or failed.
 */
async function fromReplica(
  rep: ScpReplicationDetail,
  snap: ScpSnapshot,
  place: () => Promise<Placement>,
  apiAt: (origin: string) => ScpApi,
): Promise<Omit<TransferFacts, 'name' | 'creationTime'>> {
  const origin = (await place()).endpointOf(rep.replication_volume_region);
  const there = origin
    ? await apiAt(origin)
        .snapshots(rep.replication_volume_id)
        .catch(() => undefined)
    : undefined;
  if (there?.snapshots.some((s) => s.name === snap.name && s.state === 'available'))
    return {
      state: 'completed',
      startTime: null,
      endTime: null,
      transferred: snap.size,
      total: snap.size,
      message: null,
    };
  const failed = rep.replication_status === 'error';
  return {
    state: failed ? 'failed' : rep.replication_status === 'updating' ? 'transferring' : 'queued',
    startTime: null,
    endTime: null,
    transferred: 0,
    total: snap.size,
    message: failed ? `replication ${rep.replication_id} reports an error` : null,
  };
}

export async function snapshotProgress(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  snapshotId: string,
  place: () => Promise<Placement>,
  apiAt: (origin: string) => ScpApi,
): Promise<T.SnapshotReplicationStatus> {
  const snap = await snapshots.snapshotOf(api, volumeId, snapshotId);
  const [name] = await names.snapshots([snap]);
  const reps = await sourceReplications(api, volumeId);
  if (reps.length === 0)
    throw new StorageError('CONFLICT', `snapshot ${name} was not replicated: volume '${volumeId}' has no replication`);
  const rep = reps.find((r) => r.updates?.some((u) => u.snapshot_names.includes(snap.name))) ?? reps[0];
  const facts = rep.updates ? fromUpdates(rep, snap) : await fromReplica(rep, snap, place, apiAt);
  return replicationStatus({ name, creationTime: millis(snap.created_at), ...facts });
}

/** The regions a volume of this region can replicate to (HDD or SSD), at their endpoints where known. */
export async function listRemoteArrays(api: ScpApi, place: () => Promise<Placement>): Promise<T.RemoteArray[]> {
  const p = await place();
  if (!p.region)
    throw new StorageError(
      'CONFLICT',
      `the region of the endpoint ${api.client.origin} is unknown: open the session with the endpoint's name (filestorage.<region>.<environment>.samsungsdscloud.com) as hostname`,
    );
  const lists = await Promise.all(['HDD', 'SSD'].map((t) => api.replicationRegions(t, p.region as string)));
  return [...new Set(lists.flat())].map((name) => {
    const origin = p.endpointOf(name);
    return { name, hostAddress: origin ? new URL(origin).host : '' };
  });
}
