// FlexClone split: a background operation whose progress grows with time; at the end the clone no longer depends on its
// parent.
import type { SimContext } from '../context';
import { ONTAP_ERROR, conflict } from '../errors';
import type { VolumeRecord } from './model';
import { volumeSpace } from './space';

/**
 * As on AFF systems since ONTAP 9.4, the split shares the physical blocks instead of copying them:
 * the clone's blocks are its own references already, so the split only ends the dependency (the
 * parent snapshot may then be deleted) and keeps the clone's snapshots.
 * @see https://docs.netapp.com/us-en/ontap/volumes/split-flexclone-from-parent-task.html
 */
export function planSplit(ctx: SimContext, volume: VolumeRecord): () => void {
  if (!volume.clone)
    throw conflict(
      ONTAP_ERROR.NOT_A_FLEXCLONE,
      `Volume "${volume.name}" is not a FlexClone volume`,
      'clone.split_initiated',
    );
  return () => {
    const clone = volume.clone;
    if (!clone || clone.split) return; // already split, or a split is running: nothing more to start
    const bytes = volumeSpace(ctx.state, volume).used;
    const duration = Math.max(ctx.settings.splitMinMs, Math.ceil((bytes / ctx.settings.splitBytesPerSecond) * 1000));
    clone.split = { started: Date.now(), duration_ms: duration };
    ctx.state.changed();
    scheduleSplitEnd(ctx, volume);
  };
}

export function scheduleSplitEnd(ctx: SimContext, volume: VolumeRecord): void {
  const split = volume.clone?.split;
  if (!split) return;
  ctx.later(Math.max(0, split.started + split.duration_ms - Date.now()), () => {
    const live = ctx.state.volumes.get(volume.uuid);
    if (live?.clone?.split) {
      live.clone = null;
      ctx.state.changed();
    }
  });
}

/** `clone.split_complete_percent`: 0 before a split starts, then growing; the clone fields vanish once it is done. */
export function splitPercent(volume: VolumeRecord): number | undefined {
  const split = volume.clone?.split;
  if (!volume.clone) return undefined;
  if (!split) return 0;
  return Math.min(99, Math.floor(((Date.now() - split.started) / split.duration_ms) * 100));
}
