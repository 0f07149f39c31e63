// Files of a volume (NAS files and LUN files) as paths, live or under `.snapshot/<name>/`, and the file copy between
// volumes.
import type { BlockMap } from '../../shared/blocks';
import { duplicate, invalid, notFound } from '../errors';
import type { LunRecord, VolumeRecord } from './model';
import { commitWithin } from './space';
import type { OntapState } from './state';
import { newSerial } from './luns';

export interface FileRef {
  volume: VolumeRecord;
  name: string;
  map: BlockMap;
  /** The LUN this file is, live or as the snapshot saw it. */
  lun?: LunRecord;
  /** Set when the path is inside a snapshot (read-only). */
  snapshot?: string;
}

/** `name` or `.snapshot/<snapshot>/<name>`; a leading slash is allowed. */
export function splitPath(path: string): { snapshot?: string; name: string } {
  const clean = path.replace(/^\/+/, '');
  const m = /^\.snapshot\/([^/]+)\/([^/]+)$/.exec(clean);
  if (m) return { snapshot: m[1], name: m[2] };
  if (!/^[^/]+$/.test(clean) || clean.startsWith('.')) throw invalid(`Invalid path "${path}"`, 'path');
  return { name: clean };
}

export function findFile(state: OntapState, volume: VolumeRecord, path: string): FileRef | undefined {
  const { snapshot, name } = splitPath(path);
  if (snapshot !== undefined) {
    const snap = state.snapshotsOf(volume.uuid).find((s) => s.name === snapshot);
    if (!snap) throw notFound(`Snapshot "${snapshot}" of volume "${volume.name}" not found`, 'path');
    const map = snap.files.get(name);
    return map && { volume, name, map, lun: snap.luns.find((l) => l.file === name), snapshot: snap.uuid };
  }
  const map = volume.files.get(name);
  return map && { volume, name, map, lun: state.lunsOf(volume.uuid).find((l) => l.file === name) };
}

export interface CopyRequest {
  source: { volume: VolumeRecord; path: string };
  destination: { volume: VolumeRecord; path: string };
  overwrite: boolean;
}

/**
 * Copy a file's content into another (or a new) file: new blocks, never shared with the source. A LUN
 * copied to a new path becomes a new LUN (new serial, unmapped); into an existing LUN it replaces the
 * content, which must fit the LUN.
 */
export function planCopy(state: OntapState, r: CopyRequest): () => void {
  const source = findFile(state, r.source.volume, r.source.path);
  if (!source)
    throw notFound(
      `File "${r.source.path}" not found in volume "${r.source.volume.name}"`,
      'files_to_copy.source_path.path',
    );
  const dest = splitPath(r.destination.path);
  if (dest.snapshot !== undefined)
    throw invalid('Snapshot contents are read-only', 'files_to_copy.destination_path.path');
  const volume = r.destination.volume;
  if (volume.type === 'dp')
    throw invalid(
      `Volume "${volume.name}" is a read-only data-protection volume`,
      'files_to_copy.destination_path.volume',
    );
  const existing = findFile(state, volume, dest.name);
  if (existing && !r.overwrite)
    throw duplicate(
      `File "${dest.name}" already exists in volume "${volume.name}"`,
      'files_to_copy.destination_path.path',
    );
  if (existing?.lun && !source.lun)
    throw invalid(`"${dest.name}" is a LUN; only a LUN can be copied into it`, 'files_to_copy.destination_path.path');
  if (existing && !existing.lun && source.lun)
    throw invalid(`"${dest.name}" is a file; a LUN cannot be copied into it`, 'files_to_copy.destination_path.path');
  if (existing?.lun && source.map.length > existing.lun.size) {
    throw invalid(
      `LUN "${dest.name}" (${existing.lun.size} bytes) is smaller than the ${source.map.length} bytes to copy`,
      'files_to_copy.destination_path.path',
    );
  }
  if (!existing && source.lun && source.lun.size > volume.size)
    throw invalid(
      `Volume "${volume.name}" is smaller than LUN "${source.name}"`,
      'files_to_copy.destination_path.volume',
    );
  return () => {
    const store = state.storeOf(volume);
    const target = volume.files.get(dest.name) ?? store.newMap();
    const sourceStore = state.storeOf(source.volume);
    commitWithin(state, volume, volume.files.get(dest.name), store.prepareReplace(target, sourceStore, source.map));
    volume.files.set(dest.name, target);
    if (!existing && source.lun) {
      const uuid = state.newUuid();
      state.luns.set(uuid, {
        ...source.lun,
        uuid,
        seq: state.nextSeq(),
        svm: volume.svm,
        volume: volume.uuid,
        file: dest.name,
        serial: newSerial(state),
        create_time: Date.now(),
      });
    }
    state.changed();
  };
}

/** Remove a NAS file (LUNs go through the LUN API). */
export function deleteFile(state: OntapState, volume: VolumeRecord, path: string): void {
  const file = findFile(state, volume, path);
  if (!file) throw notFound(`File "${path}" not found in volume "${volume.name}"`, 'path');
  if (file.snapshot) throw invalid('Snapshot contents are read-only', 'path');
  if (file.lun) throw invalid(`"${file.name}" is a LUN: delete it through /api/storage/luns`, 'path');
  state.storeOf(volume).release(file.map);
  volume.files.delete(file.name);
  state.changed();
}
