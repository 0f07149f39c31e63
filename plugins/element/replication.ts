/**
 * Snapshot replication on Element: volume pairs as replication targets, progress from a snapshot's remote status,
 * paired clusters as remote arrays.
 */
import { StorageError } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { replicationStatus } from '../shared/replication';
import type { ElementApi } from './api';
import { elementId, millis } from './mapper';
import type {
  ElementClusterPair,
  ElementRemoteStatus,
  ElementSnapshot,
  ElementVolume,
  ElementVolumePair,
} from './types';
import { createSnapshot, snapshotOf } from './snapshots';

/** Element's API is HTTPS on 443 of the MVIP; the simulator's MVIP carries its port. */
const ELEMENT_API_PORT = 443;

/** `host:port` of a paired cluster's API (CDM's hostAddress always has the port). */
export function hostAddressOf(mvip: string): string {
  return /^\[.*\]:\d+$|^[^:]+:\d+$/.test(mvip)
    ? mvip
    : `${mvip.includes(':') ? `[${mvip}]` : mvip}:${ELEMENT_API_PORT}`;
}

export function splitHostAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(i + 1)) };
}

/** The completed pair this volume is the source of, if any (the target's volume has access replicationTarget). */
export function sourcePairOf(v: ElementVolume): ElementVolumePair | undefined {
  if (v.access === 'replicationTarget') return undefined;
  return v.volumePairs?.find((p) => p.clusterPairID > 0 && p.remoteVolumeID > 0);
}

/** Replicating needs a volume pair with this volume as its source: checked before any snapshot is taken. */
export function assertReplicationSource(v: ElementVolume, volumeId: string): ElementVolumePair {
  const pair = sourcePairOf(v);
  if (pair) return pair;
  if (v.access === 'replicationTarget') {
    throw new StorageError(
      'CONFLICT',
      `volume '${volumeId}' is a replication target (access replicationTarget): snapshots are replicated from its source volume`,
    );
  }
  throw new StorageError(
    'CONFLICT',
    `volume '${volumeId}' has no replication target: pair it with a volume on a paired cluster (StartVolumePairing on this volume, CompleteVolumePairing on a replicationTarget volume there), or add its consistency group to a remote array with add-replication-target`,
  );
}

/** A snapshot sent to the paired cluster (enableRemoteReplication): only a volume pair's source can send one. */
export async function createReplicatedSnapshot(
  api: ElementApi,
  volumeId: string,
  req: T.CreateSnapshotRequest,
): Promise<T.Snapshot> {
  assertReplicationSource(await api.volume(elementId(volumeId, 'volume')), volumeId);
  return createSnapshot(api, volumeId, req);
}

/** Element's remote statuses as the contract's transfer states. */
const STATE: Record<string, T.ReplicationState> = {
  NotPresent: 'queued',
  Syncing: 'transferring',
  Present: 'completed',
  Deleted: 'completed',
  Unknown: 'failed',
};

function messageOf(r: ElementRemoteStatus, state: T.ReplicationState): string | null {
  if (state === 'failed') return r.stateDetails || `the array reports the replica's state as ${r.remoteStatus}`;
  if (r.remoteStatus === 'Deleted') return 'the replica was deleted on the target cluster after it arrived';
  return null;
}

const timeOf = (iso: string | null | undefined): number | null => (iso ? millis(iso) || null : null);

/**
 * get-Progress of one snapshot, read from its remote status on the source cluster. Element reports
 * the status only; the simulator's extension adds bytes and times (a real cluster answers 0 bytes and
 * no times, and a completed transfer still reads 100%).
 */
export async function snapshotProgress(
  api: ElementApi,
  volumeId: string,
  snapshotId: string,
): Promise<T.SnapshotReplicationStatus> {
  const snap: ElementSnapshot = await snapshotOf(api, volumeId, snapshotId);
  const statuses = snap.remoteStatuses ?? [];
  if (!snap.enableRemoteReplication || statuses.length === 0) {
    throw new StorageError(
      'CONFLICT',
      `snapshot ${snap.name} was not replicated: take snapshots with replicate: true on a volume that has a replication target`,
    );
  }
  // The newest transfer is the last entry (a snapshot is sent once per pair).
  const r = statuses[statuses.length - 1];
  const state = STATE[r.remoteStatus] ?? 'failed';
  return replicationStatus({
    name: snap.name,
    creationTime: millis(snap.createTime),
    state,
    startTime: timeOf(r.startTime),
    endTime: state === 'completed' || state === 'failed' ? timeOf(r.endTime) : null,
    transferred: r.bytesTransferred ?? 0,
    total: r.totalBytes ?? 0,
    message: messageOf(r, state),
  });
}

/** Completed cluster pairs; a pairing still waiting for CompleteClusterPairing names no cluster yet. */
export async function pairedClusters(api: ElementApi): Promise<ElementClusterPair[]> {
  return (await api.clusterPairs()).filter((p) => p.clusterName !== '' && p.mvip !== '');
}

export async function listRemoteArrays(api: ElementApi, page: T.Page): Promise<T.RemoteArray[]> {
  return applyPage(await pairedClusters(api), page).map((p) => ({
    name: p.clusterName,
    hostAddress: hostAddressOf(p.mvip),
  }));
}
