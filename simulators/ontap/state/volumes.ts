// FlexVol volumes: create, FlexClone from a snapshot, resize/rename/mount, restore to a snapshot, and the delete rules.
import { ONTAP_ERROR, OntapError, conflict, duplicate, invalid, noSpace, notFound } from '../errors';
import type { AggregateRecord, SnapshotRecord, SvmRecord, VolumeRecord } from './model';
import { MIN_VOLUME_BYTES, aggregateSpace, releaseFiles, shareFiles, volumeSpace } from './space';
import type { OntapState } from './state';
import { copyLuns, dropLun } from './luns';
import { planCreateSnapshot } from './snapshots';

/** Largest FlexVol volume (300 TiB on current platforms). */
const MAX_VOLUME_BYTES = 300 * 1024 ** 4;

export interface VolumeCreate {
  uuid: string;
  name: string;
  svm: SvmRecord;
  aggregate?: AggregateRecord;
  size?: number;
  guarantee?: 'none' | 'volume';
  snapshotReservePercent?: number;
  nasPath?: string;
  type?: 'rw' | 'dp';
  comment: string;
  /** `offline` creates the volume offline. */
  state?: 'online' | 'offline';
  /** Kept settings (state/volume-settings.ts). */
  settings?: Record<string, unknown>;
  style?: 'flexgroup';
  /** FlexClone: the parent volume and snapshot (a new snapshot is taken when none is named). */
  clone?: { parent: VolumeRecord; snapshot?: SnapshotRecord };
}

function checkUniqueName(state: OntapState, svm: string, name: string, self?: VolumeRecord): void {
  if (state.volumesOf(svm).some((v) => v.name === name && v !== self))
    throw duplicate(`Duplicate volume name "${name}" in SVM`, 'name');
}

function checkJunction(state: OntapState, svm: string, path: string, self?: VolumeRecord): void {
  if (!/^\/[A-Za-z0-9_./-]*$/.test(path) || path.includes('//'))
    throw invalid(`Invalid junction path "${path}"`, 'nas.path');
  if (state.volumesOf(svm).some((v) => v.nas_path === path && v !== self))
    throw duplicate(`Junction path "${path}" is already used by another volume`, 'nas.path');
}

/** The SVM's aggregate with most room when the request names none. */
function pickAggregate(state: OntapState, svm: SvmRecord): AggregateRecord {
  const candidates = (svm.aggregates.length ? svm.aggregates : [...state.aggregates.keys()]).map((u) =>
    state.aggregate(u),
  );
  if (candidates.length === 0) throw invalid(`SVM "${svm.name}" has no aggregate to create volumes on`, 'aggregates');
  return candidates.sort((a, b) => aggregateSpace(state, b).available - aggregateSpace(state, a).available)[0];
}

export function planCreateVolume(state: OntapState, c: VolumeCreate): () => VolumeRecord {
  checkUniqueName(state, c.svm.uuid, c.name);
  if (c.nasPath) checkJunction(state, c.svm.uuid, c.nasPath);
  if (c.clone) return planClone(state, c, c.clone.parent, c.clone.snapshot);
  if (c.size === undefined) throw new OntapError(400, ONTAP_ERROR.FIELD_REQUIRED, 'Field "size" is required.', 'size');
  const size = c.size;
  if (size < MIN_VOLUME_BYTES)
    throw new OntapError(
      400,
      ONTAP_ERROR.VOLUME_TOO_SMALL,
      `Volume size ${size} is below the minimum of ${MIN_VOLUME_BYTES} bytes`,
      'size',
    );
  if (size > MAX_VOLUME_BYTES)
    throw invalid(`Volume size ${size} is above the maximum of ${MAX_VOLUME_BYTES} bytes`, 'size');
  const aggregate = c.aggregate ?? pickAggregate(state, c.svm);
  if (c.svm.aggregates.length && !c.svm.aggregates.includes(aggregate.uuid)) {
    throw invalid(`Aggregate "${aggregate.name}" is not assigned to SVM "${c.svm.name}"`, 'aggregates');
  }
  const type = c.type ?? (c.svm.subtype === 'dp_destination' ? 'dp' : 'rw');
  if (c.svm.subtype === 'dp_destination' && type === 'rw')
    throw invalid(`SVM "${c.svm.name}" is a data-protection destination: only DP volumes can be created`, 'type');
  const guarantee = c.guarantee ?? 'volume';
  if (guarantee === 'volume' && size > aggregateSpace(state, aggregate).available) {
    throw noSpace(
      `Aggregate "${aggregate.name}" has not enough space for a ${size}-byte volume with a volume guarantee`,
    );
  }
  return () => {
    const volume = newVolume(state, c, { aggregate: aggregate.uuid, size, guarantee, type });
    state.changed();
    return volume;
  };
}

function newVolume(
  state: OntapState,
  c: VolumeCreate,
  f: Pick<VolumeRecord, 'aggregate' | 'size' | 'guarantee' | 'type'>,
): VolumeRecord {
  const volume: VolumeRecord = {
    uuid: c.uuid,
    seq: state.nextSeq(),
    name: c.name,
    svm: c.svm.uuid,
    ...f,
    snapshot_reserve_percent: c.snapshotReservePercent ?? 5,
    is_svm_root: false,
    state: c.state ?? 'online',
    nas_path: c.nasPath ?? null,
    comment: c.comment,
    create_time: Date.now(),
    files: new Map(),
    clone: null,
    ...(c.settings && Object.keys(c.settings).length ? { settings: c.settings } : {}),
    ...(c.style ? { style: c.style } : {}),
  };
  state.volumes.set(volume.uuid, volume);
  return volume;
}

/**
 * Many empty thin volumes at once, for scale tests and benchmarks: names are generated unique, so
 * the per-create name and space checks (a scan of the SVM each) are skipped.
 */
export function seedBulkVolumes(state: OntapState, svm: SvmRecord, count: number, size: number): void {
  const aggregate = pickAggregate(state, svm);
  for (let i = 0; i < count; i++) {
    newVolume(
      state,
      { uuid: state.newUuid(), name: `bulk_${String(i).padStart(6, '0')}`, svm, comment: '' },
      { aggregate: aggregate.uuid, size, guarantee: 'none', type: 'rw' },
    );
  }
  state.changed();
}

/** FlexClone: lives on its parent's aggregate and shares the snapshot's blocks until it is split. */
function planClone(
  state: OntapState,
  c: VolumeCreate,
  parent: VolumeRecord,
  snapshot?: SnapshotRecord,
): () => VolumeRecord {
  if (parent.svm !== c.svm.uuid)
    throw invalid(`Parent volume "${parent.name}" is not in SVM "${c.svm.name}"`, 'clone.parent_volume');
  if (snapshot && snapshot.volume !== parent.uuid)
    throw notFound(`Snapshot "${snapshot.name}" of volume "${parent.name}" not found`, 'clone.parent_snapshot');
  // Without a named snapshot ONTAP takes one for the clone.
  const takeSnapshot = snapshot
    ? undefined
    : planCreateSnapshot(state, parent, {
        uuid: state.newUuid(),
        name: `clone_${c.name}.${Date.now()}`,
        comment: '',
        label: '',
      });
  const guarantee = c.guarantee ?? parent.guarantee;
  const size = snapshot?.volume_size ?? parent.size;
  if (guarantee === 'volume' && size > aggregateSpace(state, state.aggregate(parent.aggregate)).available) {
    throw noSpace(`Aggregate has not enough space for the space-guaranteed clone "${c.name}"`);
  }
  return () => {
    const source = snapshot ?? takeSnapshot!();
    const volume = newVolume(
      state,
      { ...c, snapshotReservePercent: c.snapshotReservePercent ?? parent.snapshot_reserve_percent },
      { aggregate: parent.aggregate, size, guarantee, type: 'rw' },
    );
    volume.files = shareFiles(state, volume, source.files);
    volume.clone = { parent_volume: parent.uuid, parent_snapshot: source.uuid };
    copyLuns(state, source.luns, volume);
    state.changed();
    return volume;
  };
}

export interface VolumeModify {
  name?: string;
  size?: number;
  comment?: string;
  /** '' unmounts. */
  nasPath?: string;
  restoreTo?: SnapshotRecord;
  state?: 'online' | 'offline';
  settings?: Record<string, unknown>;
}

export function planModifyVolume(state: OntapState, volume: VolumeRecord, m: VolumeModify): () => void {
  if (m.name !== undefined) checkUniqueName(state, volume.svm, m.name, volume);
  if (m.nasPath) checkJunction(state, volume.svm, m.nasPath, volume);
  if (m.size !== undefined) {
    if (m.size < MIN_VOLUME_BYTES)
      throw new OntapError(
        400,
        ONTAP_ERROR.VOLUME_TOO_SMALL,
        `Volume size ${m.size} is below the minimum of ${MIN_VOLUME_BYTES} bytes`,
        'size',
      );
    const space = volumeSpace(state, volume);
    if (m.size < space.used)
      throw invalid(`Volume size ${m.size} is below the ${space.used} bytes the volume uses`, 'size');
    const lun = state.lunsOf(volume.uuid).find((l) => l.size > (m.size as number));
    if (lun) throw invalid(`Volume size ${m.size} is below the size of LUN "${lun.file}"`, 'size');
    if (
      volume.guarantee === 'volume' &&
      m.size - volume.size > aggregateSpace(state, state.aggregate(volume.aggregate)).available
    ) {
      throw noSpace(`Aggregate has not enough space to grow volume "${volume.name}"`);
    }
  }
  if (m.restoreTo && m.restoreTo.volume !== volume.uuid)
    throw notFound(`Snapshot "${m.restoreTo.name}" of volume "${volume.name}" not found`, 'restore_to.snapshot');
  if (m.restoreTo && volume.clone?.split)
    throw conflict(ONTAP_ERROR.SPLIT_IN_PROGRESS, `Volume "${volume.name}" is being split from its parent`);
  return () => {
    if (m.name !== undefined) volume.name = m.name;
    if (m.size !== undefined) volume.size = m.size;
    if (m.comment !== undefined) volume.comment = m.comment;
    if (m.nasPath !== undefined) volume.nas_path = m.nasPath === '' ? null : m.nasPath;
    if (m.state !== undefined) volume.state = m.state;
    if (m.settings && Object.keys(m.settings).length) volume.settings = { ...volume.settings, ...m.settings };
    if (m.restoreTo) restore(state, volume, m.restoreTo);
    state.changed();
  };
}

/**
 * Volume SnapRestore: the active file system becomes the snapshot again, LUNs included (a LUN made
 * since goes, one deleted since comes back unmapped); every snapshot, newer ones too, is kept, and
 * the size becomes the larger of the current and the snapshot's.
 */
function restore(state: OntapState, volume: VolumeRecord, snapshot: SnapshotRecord): void {
  releaseFiles(state, volume.aggregate, volume.files);
  volume.files = shareFiles(state, volume, snapshot.files);
  volume.size = Math.max(volume.size, snapshot.volume_size);
  const kept = new Set(snapshot.luns.map((l) => l.uuid));
  for (const lun of state.lunsOf(volume.uuid)) if (!kept.has(lun.uuid)) dropLun(state, lun, true);
  for (const saved of snapshot.luns) {
    const live = state.luns.get(saved.uuid);
    state.luns.set(saved.uuid, live ? { ...live, size: saved.size, file: saved.file } : { ...saved });
  }
}

export function planDeleteVolume(state: OntapState, volume: VolumeRecord): () => void {
  if (volume.is_svm_root) throw invalid(`Volume "${volume.name}" is the root volume of its SVM`, 'uuid');
  const clones = state.clonesOf(volume.uuid);
  if (clones.length)
    throw conflict(
      ONTAP_ERROR.VOLUME_HAS_CLONES,
      `Volume "${volume.name}" has FlexClone volumes: ${clones.map((v) => v.name).join(', ')}`,
    );
  const cg = state.cgOfVolume(volume.uuid);
  if (cg)
    throw conflict(
      ONTAP_ERROR.VOLUME_IN_CONSISTENCY_GROUP,
      `Volume "${volume.name}" belongs to consistency group "${cg.name}"`,
    );
  const mapped = state.lunsOf(volume.uuid).find((l) => state.mapsOfLun(l.uuid).length > 0);
  if (mapped)
    throw conflict(ONTAP_ERROR.LUN_MAPPED, `LUN "${mapped.file}" of volume "${volume.name}" is mapped; unmap it first`);
  return () => {
    for (const s of state.snapshotsOf(volume.uuid)) {
      releaseFiles(state, volume.aggregate, s.files);
      state.snapshots.delete(s.uuid);
    }
    for (const lun of state.lunsOf(volume.uuid)) dropLun(state, lun, true);
    releaseFiles(state, volume.aggregate, volume.files);
    state.volumes.delete(volume.uuid);
    state.changed();
  };
}
