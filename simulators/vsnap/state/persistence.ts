// Saves the appliance to a JSON state file (atomically: temp file + rename) and loads it back at start.
import { readStateFile, writeStateFile } from '../../shared/state-file';
import { BlockStore, mapToJSON, type BlockMapJson, type BlockStoreJson } from '../../shared/blocks';
import type {
  Counters,
  DiskRecord,
  HostRecord,
  NetworkRecord,
  PartnerRecord,
  PoolRecord,
  RelationshipRecord,
  ReplicationAccount,
  SessionRecord,
  ShareRecord,
  SnapshotRecord,
  SystemRecord,
  VolumeRecord,
} from './model';
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
  /** Replication (seed 12-14); absent from files written before it existed. */
  partners?: PartnerRecord[];
  replication_accounts?: ReplicationAccount[];
  relationships?: RelationshipRecord[];
  sessions?: SessionRecord[];
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
    partners: [...state.partners.values()],
    replication_accounts: state.replicationAccounts,
    relationships: [...state.relationships.values()],
    sessions: [...state.sessions.values()],
  };
}

export function deserializeState(file: StateFile): VsnapState {
  if (file.format !== FORMAT) throw new Error(`Unsupported simulator state format: ${String(file.format)}`);
  const state = new VsnapState();
  state.system = file.system;
  state.networks = file.networks;
  state.disks = file.disks;
  state.counters = { ...file.counters, session: file.counters.session ?? 0 };
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
  for (const p of file.partners ?? []) state.partners.set(p.id, p);
  state.replicationAccounts = file.replication_accounts ?? [];
  for (const r of file.relationships ?? []) state.relationships.set(r.id, r);
  for (const s of file.sessions ?? []) {
    // A transfer does not survive a restart: its bytes were in flight. It ends FAILED, as a real session would.
    const interrupted = s.status === 'PENDING' || s.status === 'ACTIVE';
    state.sessions.set(
      s.id,
      interrupted
        ? {
            ...s,
            status: 'FAILED',
            message: 'Interrupted: the system restarted during the session',
            time_ended: s.time_ended ?? s.time_queued,
          }
        : s,
    );
    const rel = state.relationships.get(s.rel_id);
    if (interrupted && rel) rel.last_sync_status = 'FAILED';
  }
  return state;
}

/** The saved state, or undefined when there is none. */
export function loadStateFile(path: string): VsnapState | undefined {
  return readStateFile(path, 'vSnap simulator', (json) => deserializeState(json as StateFile));
}

export function saveStateFile(state: VsnapState, path: string): void {
  writeStateFile(path, serializeState(state));
}
