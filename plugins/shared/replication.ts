/** Builds the CDM get-Progress answer from what an array says about one transfer, the same way for every backend. */
import type { ReplicationState, SnapshotReplicationStatus } from '../../src/domain/types';

/** A transfer as the array reports it: times in epoch ms, sizes in bytes. */
export interface TransferFacts {
  name: string;
  creationTime: number;
  state: ReplicationState;
  startTime: number | null;
  endTime: number | null;
  transferred: number;
  /** Bytes the transfer has to move; 0 when the array does not know yet. */
  total: number;
  message: string | null;
}

export function replicationStatus(f: TransferFacts, now = Date.now()): SnapshotReplicationStatus {
  const done = f.state === 'completed';
  const total = Math.max(f.total, done ? f.transferred : 0);
  const transferred = Math.min(f.transferred, total || f.transferred);
  const elapsedS = f.startTime === null ? 0 : Math.max(0, ((f.endTime ?? now) - f.startTime) / 1000);
  // The average over the transfer so far: the arrays report bytes and times, not an instant rate.
  const rate = elapsedS > 0 ? transferred / elapsedS : 0;
  const left = Math.max(0, total - transferred);
  const active = f.state === 'queued' || f.state === 'transferring';
  return {
    name: f.name,
    creationTime: f.creationTime,
    snapshotReplicationStatus: {
      startTime: f.startTime,
      completeTime: done ? (f.endTime ?? now) : null,
      percentComplete: done ? 100 : total > 0 ? Math.min(100, Math.floor((transferred / total) * 1000) / 10) : 0,
      inProgress: active,
      transferRate: Math.round(rate),
      transferred,
      totalSizeToBeSynchronized: total,
      estimatedSyncTime: active && rate > 0 ? Math.ceil(left / rate) : 0,
      isCompleted: done,
      state: f.state,
      message: f.message,
    },
  };
}
