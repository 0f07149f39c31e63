// Removing things for good: snapshots, purged volumes (with their snapshots and access group places), and the
// time-driven tick.
import { settle } from './jobs';
import type { SnapshotRecord, VolumeRecord } from './model';
import type { ElementState } from './state';

/** Frees the snapshot's blocks; a group snapshot left without members goes with it. */
export function removeSnapshot(state: ElementState, s: SnapshotRecord): void {
  state.store.release(s.content);
  state.snapshots.delete(s.snapshotID);
  if (s.groupID && state.membersOf(s.groupID).length === 0) state.groupSnapshots.delete(s.groupID);
}

/**
 * PurgeDeletedVolume: the volume, its snapshots and its blocks are gone; access groups forget it. The answer settles
 * once the paired cluster (if any) was told that the volume is gone.
 */
export function purgeVolume(state: ElementState, v: VolumeRecord): Promise<void> {
  for (const s of state.snapshotsOf(v.volumeID)) removeSnapshot(state, s);
  state.store.release(v.content);
  state.volumes.delete(v.volumeID);
  // Its volume pair goes with it (a transfer still running stops at its next chunk).
  const pair = state.pairOfVolume(v.volumeID);
  if (pair) state.volumePairs.delete(pair.volumePairUUID);
  for (const g of state.volumeAccessGroups.values()) {
    g.volumes = g.volumes.filter((id) => id !== v.volumeID);
    g.deletedVolumes = g.deletedVolumes.filter((id) => id !== v.volumeID);
    g.lunAssignments = g.lunAssignments.filter((l) => l.volumeID !== v.volumeID);
  }
  // The partner's pair turns StoppedMisconfigured (it was PausedMisconfigured since the delete).
  return pair && !pair.partner
    ? (state.replication?.tellPartner(pair, 'purged') ?? Promise.resolve())
    : Promise.resolve();
}

/** Everything time does on its own: clones complete, deleted volumes past their purge time are purged. */
export function tick(state: ElementState): void {
  settle(state);
  const now = state.now();
  // Scanning every volume on every call would make each call cost the size of the cluster; the
  // earliest purge time says when a scan can find something.
  if (now < nextPurgeAt.get(state)!) return;
  const deleted = [...state.volumes.values()].filter((v) => v.status === 'deleted' && v.purgeTime !== null);
  const due = deleted.filter((v) => v.purgeTime! <= now);
  for (const v of due) void purgeVolume(state, v);
  nextPurgeAt.set(
    state,
    deleted.reduce((min, v) => (v.purgeTime! > now ? Math.min(min, v.purgeTime!) : min), Infinity),
  );
  if (due.length > 0) state.changed();
}

/** A WeakMap with a default for keys not seen yet. */
class DefaultWeakMap<K extends object, V> extends WeakMap<K, V> {
  constructor(private readonly make: () => V) {
    super();
  }

  override get(key: K): V {
    if (!super.has(key)) super.set(key, this.make());
    return super.get(key) as V;
  }
}

/** Earliest time a deleted volume may be due, per cluster (unknown, so 0, until the first scan). */
const nextPurgeAt = new DefaultWeakMap<ElementState, number>(() => 0);

/** A volume was deleted: its purge time may be the earliest now. */
export function purgeScheduled(state: ElementState, purgeTime: number): void {
  nextPurgeAt.set(state, Math.min(nextPurgeAt.get(state)!, purgeTime));
}
