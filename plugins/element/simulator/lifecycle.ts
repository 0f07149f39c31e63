// Removing things for good: snapshots, purged volumes (with their snapshots and access group places), and the time-driven tick.
import { settle } from './jobs';
import type { SnapshotRecord, VolumeRecord } from './model';
import type { ElementState } from './state';

/** Frees the snapshot's blocks; a group snapshot left without members goes with it. */
export function removeSnapshot(state: ElementState, s: SnapshotRecord): void {
  state.store.release(s.content);
  state.snapshots.delete(s.snapshotID);
  if (s.groupID && state.membersOf(s.groupID).length === 0) state.groupSnapshots.delete(s.groupID);
}

/** PurgeDeletedVolume: the volume, its snapshots and its blocks are gone; access groups forget it. */
export function purgeVolume(state: ElementState, v: VolumeRecord): void {
  for (const s of state.snapshotsOf(v.volumeID)) removeSnapshot(state, s);
  state.store.release(v.content);
  state.volumes.delete(v.volumeID);
  for (const g of state.volumeAccessGroups.values()) {
    g.volumes = g.volumes.filter((id) => id !== v.volumeID);
    g.deletedVolumes = g.deletedVolumes.filter((id) => id !== v.volumeID);
    g.lunAssignments = g.lunAssignments.filter((l) => l.volumeID !== v.volumeID);
  }
}

/** Everything time does on its own: clones complete, deleted volumes past their purge time are purged. */
export function tick(state: ElementState): void {
  settle(state);
  const now = state.now();
  const due = [...state.volumes.values()].filter((v) => v.status === 'deleted' && v.purgeTime !== null && v.purgeTime <= now);
  for (const v of due) purgeVolume(state, v);
  if (due.length > 0) state.changed();
}
