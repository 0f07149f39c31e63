// Volume snapshots: create (sharing every block of the volume's files), and delete unless a FlexClone depends on it.
import { ONTAP_ERROR, conflict, duplicate, invalid } from '../errors';
import type { SnapshotRecord, VolumeRecord } from './model';
import { releaseFiles, shareFiles } from './space';
import type { OntapState } from './state';

/** WAFL keeps at most 1023 snapshots per volume. */
export const MAX_SNAPSHOTS = 1023;

export interface SnapshotCreate {
  uuid: string;
  name: string;
  comment: string;
  label: string;
  /** Epoch ms (expiry_time). */
  expiry?: number;
}

export function planCreateSnapshot(state: OntapState, volume: VolumeRecord, c: SnapshotCreate): () => SnapshotRecord {
  if (!/^[A-Za-z0-9_.:+-]+$/.test(c.name) || c.name.length > 255)
    throw invalid(`Invalid snapshot name "${c.name}"`, 'name');
  const existing = state.snapshotsOf(volume.uuid);
  if (existing.some((s) => s.name === c.name))
    throw duplicate(`Snapshot "${c.name}" already exists in volume "${volume.name}"`, 'name');
  if (existing.length >= MAX_SNAPSHOTS)
    throw invalid(`Volume "${volume.name}" already has ${MAX_SNAPSHOTS} snapshots`, 'name');
  if (volume.clone?.split)
    throw conflict(
      ONTAP_ERROR.SPLIT_IN_PROGRESS,
      `Snapshots cannot be created on "${volume.name}" while it is split from its parent`,
    );
  if (volume.type === 'dp')
    throw invalid(`Volume "${volume.name}" is a data-protection volume: its snapshots come from the source`, 'volume');
  return () => {
    const snapshot: SnapshotRecord = {
      uuid: c.uuid,
      seq: state.nextSeq(),
      name: c.name,
      volume: volume.uuid,
      comment: c.comment,
      snapmirror_label: c.label,
      create_time: Date.now(),
      ...(c.expiry !== undefined ? { expiry_time: c.expiry } : {}),
      volume_size: volume.size,
      files: shareFiles(state, volume, volume.files),
      luns: state.lunsOf(volume.uuid).map((l) => ({ ...l })),
    };
    state.snapshots.set(snapshot.uuid, snapshot);
    state.changed();
    return snapshot;
  };
}

export function planDeleteSnapshot(state: OntapState, snapshot: SnapshotRecord): () => void {
  const clones = state.clonesOfSnapshot(snapshot.uuid);
  if (clones.length) {
    throw conflict(
      ONTAP_ERROR.SNAPSHOT_BUSY,
      `Snapshot "${snapshot.name}" is busy: FlexClone volumes depend on it (${clones.map((v) => v.name).join(', ')})`,
    );
  }
  return () => {
    destroySnapshot(state, snapshot);
    state.changed();
  };
}

/** Free the snapshot's blocks; a consistency-group snapshot it belonged to loses the member and becomes partial. */
export function destroySnapshot(state: OntapState, snapshot: SnapshotRecord): void {
  releaseFiles(state, state.volume(snapshot.volume).aggregate, snapshot.files);
  state.snapshots.delete(snapshot.uuid);
  for (const cgs of state.cgSnapshots.values()) {
    const before = cgs.members.length;
    cgs.members = cgs.members.filter((m) => m.snapshot !== snapshot.uuid);
    if (cgs.members.length !== before) cgs.missing.push(snapshot.volume);
    if (cgs.members.length === 0) state.cgSnapshots.delete(cgs.uuid);
  }
}
