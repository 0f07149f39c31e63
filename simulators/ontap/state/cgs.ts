// Consistency groups: membership of existing volumes, and group snapshots taken on every member at one instant.
import { ONTAP_ERROR, conflict, duplicate, invalid } from '../errors';
import type { CgSnapshotRecord, ConsistencyGroupRecord, SvmRecord, VolumeRecord } from './model';
import type { OntapState } from './state';
import { destroySnapshot, planCreateSnapshot, planDeleteSnapshot } from './snapshots';

function checkMember(state: OntapState, cg: { uuid?: string; svm: string }, volume: VolumeRecord): void {
  if (volume.svm !== cg.svm) throw invalid(`Volume "${volume.name}" is not in the consistency group's SVM`, 'volumes');
  if (volume.is_svm_root || volume.type !== 'rw')
    throw invalid(`Volume "${volume.name}" cannot be in a consistency group`, 'volumes');
  const other = state.cgOfVolume(volume.uuid);
  if (other && other.uuid !== cg.uuid) {
    throw conflict(
      ONTAP_ERROR.VOLUME_IN_CONSISTENCY_GROUP,
      `Volume "${volume.name}" already belongs to consistency group "${other.name}"`,
      'volumes',
    );
  }
}

export function planCreateCg(
  state: OntapState,
  uuid: string,
  name: string,
  svm: SvmRecord,
  volumes: VolumeRecord[],
): () => void {
  if ([...state.cgs.values()].some((c) => c.svm === svm.uuid && c.name === name))
    throw duplicate(`Consistency group "${name}" already exists`, 'name');
  for (const v of volumes) checkMember(state, { svm: svm.uuid }, v);
  return () => {
    const cg: ConsistencyGroupRecord = {
      uuid,
      seq: state.nextSeq(),
      name,
      svm: svm.uuid,
      volumes: volumes.map((v) => v.uuid),
      create_time: Date.now(),
    };
    state.cgs.set(uuid, cg);
    state.changed();
  };
}

export function planChangeMembers(
  state: OntapState,
  cg: ConsistencyGroupRecord,
  add: VolumeRecord[],
  remove: VolumeRecord[],
): () => void {
  for (const v of add) checkMember(state, cg, v);
  for (const v of remove)
    if (!cg.volumes.includes(v.uuid))
      throw invalid(`Volume "${v.name}" is not in consistency group "${cg.name}"`, 'volumes');
  if (cg.volumes.length + add.filter((v) => !cg.volumes.includes(v.uuid)).length - remove.length < 1) {
    throw invalid('A consistency group keeps at least one volume; delete the group instead', 'volumes');
  }
  return () => {
    cg.volumes = [...new Set([...cg.volumes, ...add.map((v) => v.uuid)])].filter(
      (u) => !remove.some((v) => v.uuid === u),
    );
    state.changed();
  };
}

export function planCgSnapshot(
  state: OntapState,
  cg: ConsistencyGroupRecord,
  uuid: string,
  name: string,
  comment: string,
  label: string,
): () => void {
  const clash =
    [...state.cgSnapshots.values()].some((s) => s.consistency_group === cg.uuid && s.name === name) ||
    cg.volumes.some((v) => state.snapshotsOf(v).some((s) => s.name === name));
  if (clash)
    throw conflict(
      ONTAP_ERROR.CONSISTENCY_GROUP_SNAPSHOT_EXISTS,
      `A snapshot named "${name}" already exists in consistency group "${cg.name}"`,
      'name',
    );
  const plans = cg.volumes.map((v) => ({
    volume: v,
    take: planCreateSnapshot(state, state.volume(v), { uuid: state.newUuid(), name, comment, label }),
  }));
  return () => {
    // Every member is snapshotted in the same turn: no write lands between two members' snapshots.
    const members = plans.map((p) => ({ volume: p.volume, snapshot: p.take().uuid }));
    const record: CgSnapshotRecord = {
      uuid,
      seq: state.nextSeq(),
      name,
      consistency_group: cg.uuid,
      comment,
      create_time: Date.now(),
      members,
      missing: [],
    };
    state.cgSnapshots.set(uuid, record);
    state.changed();
  };
}

export function planDeleteCgSnapshot(state: OntapState, snap: CgSnapshotRecord): () => void {
  for (const m of snap.members) planDeleteSnapshot(state, state.snapshot(m.snapshot));
  return () => {
    for (const m of [...snap.members]) {
      const s = state.snapshots.get(m.snapshot);
      if (s) destroySnapshot(state, s);
    }
    state.cgSnapshots.delete(snap.uuid);
    state.changed();
  };
}

/** Deleting a group keeps its volumes and their snapshots; only the grouping goes. */
export function planDeleteCg(state: OntapState, cg: ConsistencyGroupRecord): () => void {
  return () => {
    for (const s of [...state.cgSnapshots.values()])
      if (s.consistency_group === cg.uuid) state.cgSnapshots.delete(s.uuid);
    state.cgs.delete(cg.uuid);
    state.changed();
  };
}
