// Saves every region of the process (and the regions paired from other processes) to one JSON state file, and loads
// them back: operations that were pending finish, transfers that were running are failed.
import { BlockStore, type BlockMapJson, type BlockStoreJson, mapToJSON } from '../../shared/blocks';
import { readStateFile, writeStateFile } from '../../shared/state-file';
import type { ReplicationRecord, ScheduleRecord, SnapshotPolicy, SnapshotRecord, VolumeRecord } from './model';
import { RegionState, apiTime } from './region';

const FORMAT = 'scp-simulator-state/1';

interface RegionFile {
  name: string;
  mount_address: string;
  store: BlockStoreJson;
  volumes: (Omit<VolumeRecord, 'content'> & { content: BlockMapJson })[];
  snapshots: (Omit<SnapshotRecord, 'content'> & { content: BlockMapJson })[];
  schedules: ScheduleRecord[];
  policies: SnapshotPolicy[];
  replications: (Omit<ReplicationRecord, 'base'> & { base: BlockMapJson | null })[];
}

interface StateFile {
  format: typeof FORMAT;
  remote: Record<string, string>;
  regions: RegionFile[];
}

export function saveState(path: string, regions: RegionState[], remote: Map<string, string>): void {
  const file: StateFile = {
    format: FORMAT,
    remote: Object.fromEntries(remote),
    regions: regions.map((r) => ({
      name: r.name,
      mount_address: r.mountAddress,
      store: r.store.toJSON(),
      volumes: [...r.volumes.values()].map((v) => ({ ...v, content: mapToJSON(v.content) })),
      snapshots: [...r.snapshots.values()].map((s) => ({ ...s, content: mapToJSON(s.content) })),
      schedules: [...r.schedules.values()],
      policies: [...r.policies.values()],
      replications: [...r.replications.values()].map((x) => ({ ...x, base: x.base && mapToJSON(x.base) })),
    })),
  };
  writeStateFile(path, file);
}

export interface LoadedState {
  regions: Map<string, RegionState>;
  remote: Map<string, string>;
}

export function loadState(path: string, now: number): LoadedState | undefined {
  return readStateFile(path, 'SCP simulator', (json) => {
    const file = json as StateFile;
    if (file.format !== FORMAT) throw new Error(`Unsupported simulator state format: ${String(file.format)}`);
    const regions = new Map<string, RegionState>();
    for (const f of file.regions) regions.set(f.name, revive(f, now));
    return { regions, remote: new Map(Object.entries(file.remote ?? {})) };
  });
}

/** A region as saved, with what was in flight brought to rest. */
function revive(f: RegionFile, now: number): RegionState {
  const r = new RegionState(f.name, f.mount_address);
  r.store = BlockStore.fromJSON(f.store);
  for (const v of f.volumes) {
    if (v.state === 'deleting') continue;
    const rules = v.access_rules
      .filter((a) => a.access_rule_state !== 'deleting')
      .map((a) => ({ ...a, access_rule_state: 'active' as const }));
    r.volumes.set(v.id, {
      ...v,
      state: 'available',
      source_snapshot_id: null,
      access_rules: rules,
      content: r.store.adopt(v.content),
    });
  }
  for (const s of f.snapshots) {
    if (s.state === 'deleting' || !r.volumes.has(s.volume_id)) continue;
    r.snapshots.set(s.id, { ...s, state: 'available', content: r.store.adopt(s.content) });
  }
  for (const s of f.schedules) if (r.volumes.has(s.volume_id)) r.schedules.set(s.id, s);
  for (const p of f.policies) if (r.volumes.has(p.volume_id)) r.policies.set(p.volume_id, p);
  for (const x of f.replications) {
    if (x.replication_status === 'deleting') continue;
    const busy = x.replication_status === 'creating' || x.replication_status === 'updating';
    const updates = x.updates.map((u) =>
      u.state === 'running'
        ? {
            ...u,
            state: 'failed' as const,
            ended_at: apiTime(now),
            message: 'The service restarted during the transfer',
          }
        : u,
    );
    r.replications.set(x.replication_id, {
      ...x,
      replication_status: busy ? 'error' : x.replication_status,
      updates,
      base: x.base && r.store.adopt(x.base),
    });
  }
  r.store.sweep();
  return r;
}
