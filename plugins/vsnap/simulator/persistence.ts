// Saves the appliance to a JSON state file (atomically: temp file + rename) and loads it back at start.
import { readStateFile, writeStateFile } from '../../shared/simulator/state-file';
import { BlockStore, mapToJSON, type BlockMapJson, type BlockStoreJson } from '../../shared/simulator/blocks';
import type { Counters, DiskRecord, HostRecord, NetworkRecord, PoolRecord, ShareRecord, SnapshotRecord, SystemRecord, VolumeRecord } from './model';
import { VsnapState } from './state';

const FORMAT = 'vsnap-simulator-state/1';

interface StateFile {
  format: typeof FORMAT;
  system: SystemRecord;
  networks: NetworkRecord[];
  disks: DiskRecord[];
  counters: Counters;
  pools: (Omit<PoolRecord, 'store'> & { store: BlockStoreJson })[];
  volumes: (Omit<VolumeRecord, 'content'> & { content: BlockMapJson | null })[];
  snapshots: (Omit<SnapshotRecord, 'content'> & { content: BlockMapJson })[];
  shares: ShareRecord[];
  hosts: HostRecord[];
}

export function serializeState(state: VsnapState): StateFile {
  return {
    format: FORMAT,
    system: state.system,
    networks: state.networks,
    disks: state.disks,
    counters: state.counters,
    pools: [...state.pools.values()].map((p) => ({ ...p, store: p.store.toJSON() })),
    volumes: [...state.volumes.values()].map((v) => ({ ...v, content: v.content && mapToJSON(v.content) })),
    snapshots: [...state.snapshots.values()].map((s) => ({ ...s, content: mapToJSON(s.content) })),
    shares: [...state.shares.values()],
    hosts: [...state.hosts.values()],
  };
}

export function deserializeState(file: StateFile): VsnapState {
  if (file.format !== FORMAT) throw new Error(`Unsupported simulator state format: ${String(file.format)}`);
  const state = new VsnapState();
  state.system = file.system;
  state.networks = file.networks;
  state.disks = file.disks;
  state.counters = file.counters;
  for (const p of file.pools) state.pools.set(p.id, { ...p, store: BlockStore.fromJSON(p.store) });
  const storeOf = (poolId: string): BlockStore => state.pool(poolId).store;
  for (const v of file.volumes) {
    state.volumes.set(v.id, { ...v, content: v.content && storeOf(v.pool_id).adopt(v.content) });
  }
  for (const s of file.snapshots) {
    state.snapshots.set(s.id, { ...s, content: storeOf(state.volume(s.volume_id).pool_id).adopt(s.content) });
  }
  for (const pool of state.pools.values()) pool.store.sweep();
  for (const s of file.shares) state.shares.set(s.id, s);
  for (const h of file.hosts) state.hosts.set(h.id, h);
  return state;
}

/** The saved state, or undefined when there is none. */
export function loadStateFile(path: string): VsnapState | undefined {
  return readStateFile(path, 'vSnap simulator', (json) => deserializeState(json as StateFile));
}

export function saveStateFile(state: VsnapState, path: string): void {
  writeStateFile(path, serializeState(state));
}
