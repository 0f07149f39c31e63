// Saves the cluster to a JSON state file (atomically: temp file + rename) and loads it back at start.
import { readStateFile, writeStateFile } from '../../shared/state-file';
import { type BlockMapJson, BlockStore, type BlockStoreJson, mapToJSON } from '../../shared/blocks';
import type { AggregateRecord, FileSet, SnapshotRecord, VolumeRecord } from './model';
import { OntapState } from './state';

const FORMAT = 'ontap-simulator-state/1';

type FilesJson = [string, BlockMapJson][];

/** The plain record collections, saved as they are. */
const PLAIN = [
  'nodes',
  'schedules',
  'svms',
  'luns',
  'igroups',
  'lunMaps',
  'ipInterfaces',
  'fcInterfaces',
  'cgs',
  'cgSnapshots',
  'policies',
  'policyUses',
  'clusterPeers',
  'svmPeers',
  'relationships',
  'transfers',
] as const;
type Plain = (typeof PLAIN)[number];

interface StateFile {
  format: typeof FORMAT;
  cluster: OntapState['cluster'];
  sequence: number;
  plain: Record<Plain, [string, unknown][]>;
  aggregates: (Omit<AggregateRecord, 'store'> & { store: BlockStoreJson })[];
  volumes: (Omit<VolumeRecord, 'files'> & { files: FilesJson })[];
  snapshots: (Omit<SnapshotRecord, 'files'> & { files: FilesJson })[];
}

const filesToJSON = (files: FileSet): FilesJson => [...files].map(([name, map]) => [name, mapToJSON(map)]);

export function serializeState(state: OntapState): StateFile {
  const plain = {} as StateFile['plain'];
  for (const key of PLAIN) plain[key] = [...(state[key] as Map<string, unknown>)];
  return {
    format: FORMAT,
    cluster: state.cluster,
    sequence: state.sequence,
    plain,
    aggregates: [...state.aggregates.values()].map((a) => ({ ...a, store: a.store.toJSON() })),
    volumes: [...state.volumes.values()].map((v) => ({ ...v, files: filesToJSON(v.files) })),
    snapshots: [...state.snapshots.values()].map((s) => ({ ...s, files: filesToJSON(s.files) })),
  };
}

export function deserializeState(file: StateFile): OntapState {
  if (file.format !== FORMAT) throw new Error(`Unsupported simulator state format: ${String(file.format)}`);
  const state = new OntapState();
  state.cluster = file.cluster;
  state.sequence = file.sequence;
  for (const key of PLAIN) {
    const map = state[key] as Map<string, unknown>;
    for (const [k, v] of file.plain[key] ?? []) map.set(k, v);
  }
  for (const a of file.aggregates) state.aggregates.set(a.uuid, { ...a, store: BlockStore.fromJSON(a.store) });
  const adopt = (aggregate: string, files: FilesJson): FileSet =>
    new Map(files.map(([name, json]) => [name, state.aggregate(aggregate).store.adopt(json)]));
  for (const v of file.volumes) state.volumes.set(v.uuid, { ...v, files: adopt(v.aggregate, v.files) });
  for (const s of file.snapshots)
    state.snapshots.set(s.uuid, { ...s, files: adopt(state.volume(s.volume).aggregate, s.files) });
  for (const a of state.aggregates.values()) a.store.sweep();
  // A transfer that was running when the simulator stopped did not finish: its engine is gone.
  for (const t of state.transfers.values()) {
    if (t.state === 'queued' || t.state === 'transferring')
      Object.assign(t, {
        state: 'failed',
        end_time: Date.now(),
        error: { code: 13303812, message: 'Transfer interrupted: the cluster restarted' },
      });
  }
  return state;
}

/** The saved state, or undefined when there is none. */
export function loadStateFile(path: string): OntapState | undefined {
  return readStateFile(path, 'ONTAP simulator', (json) => deserializeState(json as StateFile));
}

export function saveStateFile(state: OntapState, path: string): void {
  writeStateFile(path, serializeState(state));
}
