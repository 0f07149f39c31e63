// Pools and disks: raid groups built from disks, capacity from disk sizes, the pool actions of seed section 7.
import { randomBytes } from 'node:crypto';
import { BlockStore } from '../../shared/blocks';
import { exists, invalid } from '../errors';
import { POOL_TYPES, type DiskRecord, type PoolRecord, type PoolType } from './model';
import { nowSeconds, type VsnapState } from './state';
import { checkDatasetName, optBool, requireString, stringList, type Body } from '../validate';
import { assertNoRelationship, purgeVolume } from './volumes';

/** vSnap builds raid groups of at most 8 disks; the seed's 15-disk raid6 pool has groups of 8 and 7. */
export const DISKGROUP_SIZE = 8;
const PARITY: Record<PoolType, number> = { raid0: 0, raid5: 1, raid6: 2 };
const MIN_GROUP: Record<PoolType, number> = { raid0: 1, raid5: 3, raid6: 4 };

/** Usable bytes: per raid group, (disks - parity) x the smallest disk, as raidz allocates. */
export function poolCapacity(state: VsnapState, pool: PoolRecord): number {
  let total = 0;
  for (const group of pool.groups) {
    const sizes = group.map((uuid) => state.disks.find((d) => d.uuid === uuid)?.size ?? 0);
    total += (group.length - PARITY[pool.pool_type]) * Math.min(...sizes);
  }
  return total;
}

export function poolFree(state: VsnapState, pool: PoolRecord): number {
  return Math.max(0, poolCapacity(state, pool) - pool.store.usedBytes);
}

export function newDisk(state: VsnapState, size: number, attached: boolean, uuid?: string): DiskRecord {
  const disk: DiskRecord = {
    uuid: uuid ?? `36000c29${randomBytes(13).toString('hex').slice(0, 25)}`,
    name: `/dev/sd${driveLetters(state.disks.length + 1)}`, // sda is the OS disk
    model: 'Virtual disk',
    vendor: 'VMware',
    type: 'SCSI',
    size,
    used_as: 'unused',
    pool_id: null,
    attached,
  };
  state.disks.push(disk);
  return disk;
}

function driveLetters(n: number): string {
  const letter = String.fromCharCode(97 + (n % 26));
  return n < 26 ? letter : driveLetters(Math.floor(n / 26) - 1) + letter;
}

/** The disks a request names, or every eligible disk when it names none (the seed sends `[]` for that). */
function candidates(state: VsnapState, uuids: string[] | undefined): DiskRecord[] {
  if (!uuids || uuids.length === 0) return state.disks.filter((d) => d.attached && d.used_as === 'unused');
  return [...new Set(uuids)].map((uuid) => {
    const disk = state.disk(uuid);
    if (!disk || disk.used_as !== 'unused') throw invalid(`Disk UUID ${uuid} is not a valid candidate for a pool`);
    return disk;
  });
}

/** Split disks into balanced raid groups of at most DISKGROUP_SIZE. */
function raidGroups(type: PoolType, disks: DiskRecord[]): string[][] {
  if (disks.length < MIN_GROUP[type]) {
    throw invalid(`A ${type} pool needs at least ${MIN_GROUP[type]} disks; ${disks.length} eligible`);
  }
  const count = Math.ceil(disks.length / DISKGROUP_SIZE);
  const base = Math.floor(disks.length / count);
  const groups: string[][] = [];
  let next = 0;
  for (let g = 0; g < count; g++) {
    const size = base + (g < disks.length % count ? 1 : 0);
    groups.push(disks.slice(next, next + size).map((d) => d.uuid));
    next += size;
  }
  return groups;
}

function claim(disks: DiskRecord[], pool: PoolRecord, use: DiskRecord['used_as']): string[] {
  for (const disk of disks) {
    disk.used_as = use;
    disk.pool_id = pool.id;
  }
  return disks.map((d) => d.uuid);
}

function releaseDisks(state: VsnapState, uuids: string[]): void {
  for (const disk of state.disks.filter((d) => uuids.includes(d.uuid))) {
    disk.used_as = 'unused';
    disk.pool_id = null;
  }
}

function checkPoolName(state: VsnapState, name: string, self?: PoolRecord): string {
  checkDatasetName(name, 'pool');
  if ([...state.pools.values()].some((p) => p.name === name && p !== self)) throw exists(`Pool ${name} already exists`);
  return name;
}

export function createPool(state: VsnapState, body: Body): PoolRecord {
  const name = checkPoolName(state, requireString(body, 'name'));
  const type = requireString(body, 'pool_type') as PoolType;
  if (!POOL_TYPES.includes(type)) throw invalid(`Invalid pool_type ${type}: use raid0, raid5 or raid6`);
  if (!state.system.multipool && state.pools.size > 0) {
    throw invalid('Multiple pools are not enabled on this system (initialize it with multipool: true)');
  }
  const disks = candidates(state, stringList(body, 'disk_list', false));
  const groups = raidGroups(type, disks);
  const time = nowSeconds();
  const pool: PoolRecord = {
    id: state.nextId('pool'),
    name,
    pool_type: type,
    compression: optBool(body, 'compression') ?? true,
    deduplication: optBool(body, 'deduplication') ?? false,
    syncwrite: optBool(body, 'syncwrite') ?? true,
    groups,
    logs: [],
    cache: [],
    spares: [],
    time_created: time,
    time_updated: time,
    store: new BlockStore(),
  };
  claim(disks, pool, 'data');
  state.pools.set(pool.id, pool);
  state.changed();
  return pool;
}

export function updatePool(state: VsnapState, pool: PoolRecord, body: Body): void {
  const name = body.name === undefined ? undefined : checkPoolName(state, requireString(body, 'name'), pool);
  const compression = optBool(body, 'compression');
  const deduplication = optBool(body, 'deduplication');
  const syncwrite = optBool(body, 'syncwrite');
  if (name !== undefined) pool.name = name;
  if (compression !== undefined) pool.compression = compression;
  if (deduplication !== undefined) pool.deduplication = deduplication;
  if (syncwrite !== undefined) pool.syncwrite = syncwrite;
  pool.time_updated = nowSeconds();
  state.changed();
}

/** POST /api/pool/<id> {action}: seed section 7.4.2 to 7.4.5. Removing a device the pool lacks is a no-op. */
export function poolAction(state: VsnapState, pool: PoolRecord, body: Body): void {
  const action = requireString(body, 'action');
  const listed = (): string[] => {
    const list = stringList(body, 'disk_list', true) ?? [];
    if (list.length === 0) throw invalid('Parameter disk_list must name at least one disk');
    return list;
  };
  switch (action) {
    case 'expand': {
      const disks = candidates(state, stringList(body, 'disk_list', false));
      if (disks.length === 0) throw invalid('No eligible disks to expand the pool with');
      pool.groups.push(...raidGroups(pool.pool_type, disks));
      claim(disks, pool, 'data');
      break;
    }
    case 'addlog':
      pool.logs.push(...claim(candidates(state, listed()), pool, 'log'));
      break;
    case 'removelog':
      releaseDisks(state, pool.logs.splice(0));
      break;
    case 'addcache':
      pool.cache.push(...claim(candidates(state, [requireString(body, 'disk')]), pool, 'cache'));
      break;
    case 'removecache':
      releaseDisks(state, pool.cache.splice(0));
      break;
    case 'addspare':
      pool.spares.push(...claim(candidates(state, listed()), pool, 'spare'));
      break;
    case 'removespare': {
      const list = listed();
      const stranger = list.find((uuid) => !pool.spares.includes(uuid));
      if (stranger) throw invalid(`Disk UUID ${stranger} is not a spare of pool ${pool.name}`);
      pool.spares = pool.spares.filter((uuid) => !list.includes(uuid));
      releaseDisks(state, list);
      break;
    }
    default:
      throw invalid(`Invalid action "${action}" for a pool`);
  }
  pool.time_updated = nowSeconds();
  state.changed();
}

/** Seed 7.5: deleting a pool deletes its volumes, snapshots, clones and shares, and frees its disks. */
export function deletePool(state: VsnapState, pool: PoolRecord): void {
  for (const volume of state.volumesIn(pool.id)) assertNoRelationship(state, volume);
  for (const volume of state.volumesIn(pool.id)) purgeVolume(state, volume);
  releaseDisks(state, [...pool.groups.flat(), ...pool.logs, ...pool.cache, ...pool.spares]);
  state.pools.delete(pool.id);
  state.changed();
}

/** What the SCSI rescan finds: disks attached since the last one (through POST /sim/disks). */
export function rescanDisks(state: VsnapState): void {
  for (const disk of state.disks) disk.attached = true;
  state.changed();
}

/** System init (seed 2.2) creates the first pool from every eligible disk unless skip_pool. */
export function finishInit(state: VsnapState, skipPool: boolean): void {
  if (!skipPool && state.pools.size === 0 && candidates(state, undefined).length > 0) {
    createPool(state, { name: 'primary', pool_type: 'raid0' });
  }
  state.system.init_status = 'Ready';
  state.changed();
}
