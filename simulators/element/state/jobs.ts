// Asynchronous clones and copies: progress follows the clock, the source stays locked while they run, GetAsyncResult
// reports them.
import { X_VOLUME_ID_DOES_NOT_EXIST, busy } from '../errors';
import { iso } from './ids';
import type { AsyncRecord } from './model';
import type { ElementState } from './state';

/** Complete every job whose copy time has passed. Called before each request, so time alone moves jobs on. */
export function settle(state: ElementState): void {
  const now = state.now();
  let changed = false;
  for (const job of state.runningJobs()) {
    if (now >= job.createTime + job.durationMs) {
      job.status = 'complete';
      job.completeTime = job.createTime + job.durationMs;
      changed = true;
    }
  }
  if (changed) state.changed();
}

export function startJob(
  state: ElementState,
  job: Omit<AsyncRecord, 'asyncHandle' | 'cloneID' | 'createTime' | 'durationMs' | 'status' | 'completeTime' | 'error'>,
): AsyncRecord {
  const { cloneMinMs, cloneBytesPerSecond } = state.settings;
  const record: AsyncRecord = {
    ...job,
    asyncHandle: state.nextId('asyncHandle'),
    cloneID: state.nextId('clone'),
    createTime: state.now(),
    durationMs: Math.max(cloneMinMs, Math.ceil((job.bytes / cloneBytesPerSecond) * 1000)),
    status: 'running',
    completeTime: null,
    error: null,
  };
  state.asyncResults.set(record.asyncHandle, record);
  return record;
}

export function percentComplete(state: ElementState, job: AsyncRecord): number {
  if (job.status === 'complete') return 100;
  return Math.min(99, Math.floor(((state.now() - job.createTime) / job.durationMs) * 100));
}

/** Refuse to delete or overwrite what a running clone or copy reads from (or copies into). */
export function assertIdle(
  state: ElementState,
  what: { volumeID?: number; snapshotID?: number },
  action: string,
): void {
  for (const job of state.runningJobs()) {
    const readsVolume =
      what.volumeID !== undefined &&
      (job.sourceVolumeID === what.volumeID || (job.method === 'CopyVolume' && job.volumeID === what.volumeID));
    const readsSnapshot = what.snapshotID !== undefined && job.sourceSnapshotID === what.snapshotID;
    if (readsVolume || readsSnapshot) {
      const subject = readsSnapshot ? `snapshot ${what.snapshotID}` : `volume ${what.volumeID}`;
      throw busy(
        `Cannot ${action}: ${subject} is in use by ${job.method} ${job.cloneID} (asyncHandle ${job.asyncHandle}), ${percentComplete(state, job)}% complete`,
      );
    }
  }
}

/** A clone whose new volume is deleted before it completes ends in an error. */
export function abandonJobsInto(state: ElementState, volumeID: number): void {
  for (const job of state.runningJobs()) {
    if (job.method === 'CloneVolume' && job.volumeID === volumeID) {
      job.status = 'complete';
      job.completeTime = state.now();
      job.error = {
        name: X_VOLUME_ID_DOES_NOT_EXIST,
        message: `Clone ${job.cloneID} stopped: volume ${volumeID} was deleted before the clone completed`,
      };
    }
  }
}

function resultOf(job: AsyncRecord): Record<string, unknown> {
  return {
    cloneID: job.cloneID,
    volumeID: job.volumeID,
    message: job.method === 'CopyVolume' ? 'Copy complete.' : 'Clone complete.',
  };
}

/** GetAsyncResult's answer: status, then result or error when complete, details while running. */
export function asyncResultView(state: ElementState, job: AsyncRecord): Record<string, unknown> {
  const base = {
    createTime: iso(job.createTime),
    lastUpdateTime: iso(job.completeTime ?? state.now()),
    resultType: 'Clone',
  };
  if (job.status === 'running') {
    return {
      ...base,
      status: 'running',
      details: {
        cloneID: job.cloneID,
        volumeID: job.volumeID,
        percentComplete: percentComplete(state, job),
        bytesCopied: Math.floor((job.bytes * percentComplete(state, job)) / 100),
        bytesTotal: job.bytes,
      },
    };
  }
  return job.error
    ? { ...base, status: 'complete', error: job.error }
    : { ...base, status: 'complete', result: resultOf(job) };
}

/** ListAsyncResults' entry for a job. */
export function asyncListView(state: ElementState, job: AsyncRecord): Record<string, unknown> {
  const done = job.status === 'complete';
  return {
    asyncResultID: job.asyncHandle,
    completed: done,
    createTime: iso(job.createTime),
    lastUpdateTime: iso(job.completeTime ?? state.now()),
    resultType: 'Clone',
    success: done && !job.error,
    data: done
      ? (job.error ?? resultOf(job))
      : { cloneID: job.cloneID, volumeID: job.volumeID, percentComplete: percentComplete(state, job) },
  };
}
