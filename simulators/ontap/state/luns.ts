// LUNs as files of their volume: serial numbers, creation, copies for clones, removal with their maps.
import { randomBytes } from 'node:crypto';
import { ONTAP_ERROR, conflict, duplicate, invalid } from '../errors';
import type { LunRecord, VolumeRecord } from './model';
import type { OntapState } from './state';

/** ONTAP LUN serial numbers are 12 characters of this alphabet (the NAA id carries them in hex). */
const SERIAL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-';

export function newSerial(state: OntapState): string {
  for (;;) {
    const serial = [...randomBytes(12)].map((b) => SERIAL_CHARS[b % SERIAL_CHARS.length]).join('');
    if (![...state.luns.values()].some((l) => l.serial === serial)) return serial;
  }
}

/** `/vol/<volume>/<lun>`: the LUN path ONTAP names LUNs by. */
export const lunPath = (volume: VolumeRecord, lun: Pick<LunRecord, 'file'>): string =>
  `/vol/${volume.name}/${lun.file}`;

/** Largest LUN ONTAP makes (128 TiB); the smallest is one block. */
export const MAX_LUN_BYTES = 128 * 1024 ** 4;

export interface LunCreate {
  uuid: string;
  volume: VolumeRecord;
  file: string;
  size: number;
  os_type: string;
  comment: string;
}

export function planCreateLun(state: OntapState, c: LunCreate): () => LunRecord {
  if (state.volumes.get(c.volume.uuid) !== c.volume)
    throw invalid(`Volume "${c.volume.name}" no longer exists`, 'location.volume');
  if (!/^[A-Za-z0-9_.-]+$/.test(c.file) || c.file.startsWith('.'))
    throw invalid(`Invalid LUN name "${c.file}"`, 'name');
  if (c.volume.files.has(c.file)) {
    throw duplicate(`A LUN or file named "${c.file}" already exists in volume "${c.volume.name}"`, 'name');
  }
  if (c.size < 4096 || c.size > MAX_LUN_BYTES)
    throw invalid(`LUN size ${c.size} is out of range (4096 to ${MAX_LUN_BYTES} bytes)`, 'space.size');
  if (c.size > c.volume.size)
    throw invalid(`LUN size ${c.size} is larger than volume "${c.volume.name}" (${c.volume.size} bytes)`, 'space.size');
  if (c.volume.type === 'dp')
    throw invalid(
      `Volume "${c.volume.name}" is a data-protection volume: LUNs come from its source`,
      'location.volume',
    );
  return () => {
    const lun: LunRecord = {
      uuid: c.uuid,
      seq: state.nextSeq(),
      svm: c.volume.svm,
      volume: c.volume.uuid,
      file: c.file,
      size: c.size,
      os_type: c.os_type,
      serial: newSerial(state),
      enabled: true,
      comment: c.comment,
      create_time: Date.now(),
    };
    c.volume.files.set(c.file, state.storeOf(c.volume).newMap());
    state.luns.set(lun.uuid, lun);
    return lun;
  };
}

/** Refuse to drop a LUN that hosts still see, unless the caller allows it (`allow_delete_while_mapped`). */
export function assertUnmapped(state: OntapState, lun: LunRecord): void {
  if (state.mapsOfLun(lun.uuid).length > 0) {
    throw conflict(
      ONTAP_ERROR.LUN_MAPPED,
      `LUN "${lun.file}" is mapped to igroups; unmap it first or use allow_delete_while_mapped`,
    );
  }
}

/** Remove a LUN record, its maps and (unless kept, as a restore does) its file. */
export function dropLun(state: OntapState, lun: LunRecord, keepFile = false): void {
  for (const m of state.mapsOfLun(lun.uuid)) state.lunMaps.delete(`${m.lun}/${m.igroup}`);
  const volume = state.volumes.get(lun.volume);
  if (volume && !keepFile) {
    const map = volume.files.get(lun.file);
    if (map) state.storeOf(volume).release(map);
    volume.files.delete(lun.file);
  }
  state.luns.delete(lun.uuid);
}

/** New LUN records for a volume made from another volume's snapshot (FlexClone): new identities, no maps. */
export function copyLuns(state: OntapState, luns: LunRecord[], into: VolumeRecord): void {
  for (const l of luns) {
    const uuid = state.newUuid();
    state.luns.set(uuid, {
      ...l,
      uuid,
      seq: state.nextSeq(),
      svm: into.svm,
      volume: into.uuid,
      serial: newSerial(state),
      create_time: Date.now(),
    });
  }
}
