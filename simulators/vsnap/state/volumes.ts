// Volumes and snapshots as ZFS datasets: create, clone, rename/resize, snapshot, and the delete rules of seed 8.5 and
// 11.3.
import { randomBytes } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import { exists, inUse, invalid } from '../errors';
import { VOLUME_TYPES, type SnapshotRecord, type VolumeRecord, type VolumeType } from './model';
import { nowSeconds, type VsnapState } from './state';
import { checkDatasetName, parseSize, requireId, requireString, type Body } from '../validate';

/** Seed 8.1: size_block defaults to 65536; ZFS volblocksize is a power of two from 512 to 128 KiB. */
export const DEFAULT_LUN_BLOCK = 65536;

function checkVolumeName(state: VsnapState, poolId: string, name: string, self?: VolumeRecord): string {
  checkDatasetName(name, 'volume');
  if (state.volumesIn(poolId).some((v) => v.name === name && v !== self)) {
    throw exists(`Volume ${name} already exists in pool ${state.pool(poolId).name}`);
  }
  return name;
}

function insert(
  state: VsnapState,
  fields: Omit<VolumeRecord, 'id' | 'serial' | 'time_created' | 'time_updated'>,
): VolumeRecord {
  const time = nowSeconds();
  const volume: VolumeRecord = {
    id: state.nextId('volume'),
    serial: uuidv4(),
    ...fields,
    time_created: time,
    time_updated: time,
  };
  state.volumes.set(volume.id, volume);
  state.changed();
  return volume;
}

/**
 * Many empty filesystems at once, for scale tests and benchmarks: names are generated unique, so the
 * per-create name check (a scan of the pool) is skipped.
 */
export function seedBulkVolumes(state: VsnapState, poolId: string, count: number): void {
  const pool = state.pool(poolId);
  for (let i = 0; i < count; i++) {
    const time = nowSeconds();
    const id = state.nextId('volume');
    const fields = {
      name: `bulk${String(i).padStart(6, '0')}`,
      volume_type: 'filesystem' as const,
      pool_id: pool.id,
      size_total: null,
      size_block: null,
      parent_id: null,
      parent_path: null,
      snapshot_id: null,
      content: pool.store.newMap(),
    };
    state.volumes.set(id, { id, serial: uuidv4(), ...fields, time_created: time, time_updated: time });
  }
  state.changed();
}

/** POST /api/volume: a new filesystem/lun/filebackedlun, or a clone when `snapshot_id` is given. */
export function createVolume(state: VsnapState, body: Body): VolumeRecord {
  const name = requireString(body, 'name');
  if (body.snapshot_id !== undefined && body.snapshot_id !== null) {
    return cloneSnapshot(state, state.snapshot(requireId(body, 'snapshot_id')), name);
  }
  const type = requireString(body, 'volume_type') as VolumeType;
  if (!VOLUME_TYPES.includes(type)) throw invalid(`Invalid volume_type ${type}: use filesystem, lun or filebackedlun`);
  if (type === 'filebackedlun') return createFileBackedLun(state, body, name);
  checkDatasetName(name, 'volume');
  const sizeTotal = body.size_total === undefined ? null : parseSize(body.size_total, 'size_total');
  if (type === 'lun' && sizeTotal === null) throw invalid('Parameter size_total is required for a lun');
  const sizeBlock = type === 'lun' ? lunBlockSize(body.size_block) : null;
  const pool = state.pool(requireId(body, 'pool_id'));
  checkVolumeName(state, pool.id, name);
  return insert(state, {
    name,
    volume_type: type,
    pool_id: pool.id,
    size_total: sizeTotal,
    size_block: sizeBlock,
    parent_id: null,
    parent_path: null,
    snapshot_id: null,
    content: pool.store.newMap(),
  });
}

function lunBlockSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_LUN_BLOCK;
  const size = parseSize(value, 'size_block') ?? DEFAULT_LUN_BLOCK;
  if (size < 512 || size > 131072 || (size & (size - 1)) !== 0) {
    throw invalid('Parameter size_block must be a power of two from 512 to 131072');
  }
  return size;
}

/** A clone lives in its origin's pool, has the origin's type and size, and starts from the snapshot's blocks. */
function cloneSnapshot(state: VsnapState, snapshot: SnapshotRecord, name: string): VolumeRecord {
  const origin = state.volume(snapshot.volume_id);
  checkVolumeName(state, origin.pool_id, name);
  return insert(state, {
    name,
    volume_type: origin.volume_type,
    pool_id: origin.pool_id,
    size_total: origin.size_total,
    size_block: origin.size_block,
    parent_id: null,
    parent_path: null,
    snapshot_id: snapshot.id,
    content: state.storeOf(origin).share(snapshot.content),
  });
}

/** A lun backed by a file inside a filesystem volume; its bytes are the parent's, so it has no sizes of its own. */
function createFileBackedLun(state: VsnapState, body: Body, name: string): VolumeRecord {
  const parent = state.volume(requireId(body, 'parent_id'));
  if (parent.volume_type !== 'filesystem') throw invalid(`Parent volume ${parent.id} is not a filesystem`);
  const path = requireString(body, 'parent_path');
  if (path.startsWith('/') || path.split('/').some((part) => part === '' || part === '..' || part === '.')) {
    throw invalid(`Parameter parent_path must be a relative path inside the parent filesystem: ${path}`);
  }
  const backing = [...state.volumes.values()].find((v) => v.parent_id === parent.id && v.parent_path === path);
  if (backing) throw exists(`File ${path} already backs volume ${backing.id}`);
  checkVolumeName(state, parent.pool_id, name);
  return insert(state, {
    name,
    volume_type: 'filebackedlun',
    pool_id: parent.pool_id,
    size_total: null,
    size_block: null,
    parent_id: parent.id,
    parent_path: path,
    snapshot_id: null,
    content: null,
  });
}

/** PUT /api/volume/<id> {name?, size_total?}: rename, or resize (a lun cannot shrink below the data it holds). */
export function updateVolume(state: VsnapState, volume: VolumeRecord, body: Body): void {
  const name =
    body.name === undefined ? undefined : checkVolumeName(state, volume.pool_id, requireString(body, 'name'), volume);
  let sizeTotal: number | null | undefined;
  if (body.size_total !== undefined) {
    if (!volume.content) throw invalid('A filebackedlun has no size of its own');
    sizeTotal = parseSize(body.size_total, 'size_total');
    if (sizeTotal === null && volume.volume_type === 'lun') throw invalid('A lun needs a size_total');
    const held = Math.max(
      state.storeOf(volume).referencedBytes(volume.content),
      volume.volume_type === 'lun' ? volume.content.length : 0,
    );
    if (sizeTotal !== null && sizeTotal < held) {
      throw invalid(`size_total ${sizeTotal} is below the ${held} bytes the volume already uses`);
    }
  }
  if (name !== undefined) volume.name = name;
  if (sizeTotal !== undefined) volume.size_total = sizeTotal;
  volume.time_updated = nowSeconds();
  state.changed();
}

/**
 * Replica volumes refuse client writes, rollbacks and restores: they change only by replication (so incrementals stay
 * valid).
 */
export function assertWritable(state: VsnapState, volume: VolumeRecord): void {
  const rel = state.relationshipsOf(volume.id).find((r) => r.local_role === 'replica');
  if (rel) throw inUse(`Volume ${volume.name} is the replica of relationship ${rel.id}: it is read-only`);
}

/** Volumes in a relationship are not deleted directly: deleting the relationship deletes the replica (seed 13.4). */
export function assertNoRelationship(state: VsnapState, volume: VolumeRecord): void {
  const rels = state.relationshipsOf(volume.id);
  if (rels.length > 0)
    throw inUse(
      `Volume ${volume.name} is in replication relationship ${rels.map((r) => r.id).join(', ')}: delete the relationship first`,
    );
}

/**
 * Seed 8.5: refuse while a snapshot has clones (or a file-backed lun lives in it) or a relationship holds it; otherwise
 * cascade.
 */
export function deleteVolume(state: VsnapState, volume: VolumeRecord): void {
  assertNoRelationship(state, volume);
  const cloned = state.snapshotsOf(volume.id).filter((s) => state.clonesOf(s.id).length > 0);
  if (cloned.length > 0) {
    throw inUse(`Volume ${volume.name} has snapshots with clones: ${cloned.map((s) => s.name).join(', ')}`);
  }
  const fileLuns = [...state.volumes.values()].filter((v) => v.parent_id === volume.id);
  if (fileLuns.length > 0) {
    throw inUse(`Volume ${volume.name} holds the backing files of volumes ${fileLuns.map((v) => v.id).join(', ')}`);
  }
  purgeVolume(state, volume);
  state.changed();
}

/** Remove a volume with its snapshots, share and host mappings, without the in-use checks (pool delete). */
export function purgeVolume(state: VsnapState, volume: VolumeRecord): void {
  const store = state.pools.get(volume.pool_id)?.store;
  for (const snapshot of state.snapshotsOf(volume.id)) {
    store?.release(snapshot.content);
    state.snapshots.delete(snapshot.id);
  }
  if (volume.content) store?.release(volume.content);
  const share = state.shareOf(volume.id);
  if (share) state.shares.delete(share.id);
  for (const host of state.hostsOf(volume.id)) host.luns = host.luns.filter((m) => m.vol_id !== volume.id);
  state.volumes.delete(volume.id);
}

export function createSnapshot(state: VsnapState, volume: VolumeRecord, requested: string | undefined): SnapshotRecord {
  if (!volume.content) throw invalid('Snapshots apply to filesystem and lun volumes; snapshot the parent filesystem');
  const taken = new Set(state.snapshotsOf(volume.id).map((s) => s.name));
  if (requested !== undefined) {
    checkDatasetName(requested, 'snapshot');
    if (taken.has(requested)) throw exists(`Snapshot ${requested} of volume ${volume.name} already exists`);
  }
  const id = state.nextId('snapshot');
  let name = requested ?? `${volume.name}_snap${id}`;
  for (let n = 2; taken.has(name); n++) name = `${volume.name}_snap${id}_${n}`;
  const time = nowSeconds();
  const snapshot: SnapshotRecord = {
    id,
    name,
    volume_id: volume.id,
    version_id: randomBytes(8).readBigUInt64BE().toString(), // a ZFS guid: 64-bit unsigned decimal
    content: state.storeOf(volume).share(volume.content),
    time_created: time,
    time_updated: time,
  };
  state.snapshots.set(id, snapshot);
  state.changed();
  return snapshot;
}

/** Seed 11.3: a snapshot with clones cannot go; otherwise its unique blocks are freed. */
export function deleteSnapshot(state: VsnapState, snapshot: SnapshotRecord): void {
  assertNoClones(state, snapshot);
  destroySnapshot(state, snapshot);
  state.changed();
}

export function assertNoClones(state: VsnapState, snapshot: SnapshotRecord): void {
  const clones = state.clonesOf(snapshot.id);
  if (clones.length > 0) {
    throw inUse(`Snapshot ${snapshot.name} has clones: ${clones.map((v) => v.name).join(', ')}`);
  }
}

export function destroySnapshot(state: VsnapState, snapshot: SnapshotRecord): void {
  state.storeOf(state.volume(snapshot.volume_id)).release(snapshot.content);
  state.snapshots.delete(snapshot.id);
}
