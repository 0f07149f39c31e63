// Saves the cluster to a JSON state file (atomically: temp file + rename) and loads it back at start.
import { readStateFile, writeStateFile } from '../../shared/state-file';
import { BlockStore, type BlockMapJson, type BlockStoreJson, mapToJSON } from '../../shared/blocks';
import type {
  AccountRecord,
  AsyncRecord,
  ClusterPairRecord,
  ClusterRecord,
  Counters,
  GroupSnapshotRecord,
  InitiatorRecord,
  SimSettings,
  SnapshotRecord,
  VolumeAccessGroupRecord,
  VolumePairRecord,
  VolumeRecord,
} from './model';
import { ElementState, defaultSettings } from './state';

const FORMAT = 'element-simulator-state/1';

interface StateFile {
  format: typeof FORMAT;
  cluster: ClusterRecord;
  settings: SimSettings;
  counters: Counters;
  store: BlockStoreJson;
  accounts: AccountRecord[];
  volumes: (Omit<VolumeRecord, 'content'> & { content: BlockMapJson })[];
  snapshots: (Omit<SnapshotRecord, 'content'> & { content: BlockMapJson })[];
  groupSnapshots: GroupSnapshotRecord[];
  volumeAccessGroups: VolumeAccessGroupRecord[];
  initiators: InitiatorRecord[];
  asyncResults: AsyncRecord[];
  /** Absent from files written before replication. */
  clusterPairs?: ClusterPairRecord[];
  volumePairs?: VolumePairRecord[];
}

export function serializeState(state: ElementState): StateFile {
  return {
    format: FORMAT,
    cluster: state.cluster,
    settings: state.settings,
    counters: state.counters,
    store: state.store.toJSON(),
    accounts: [...state.accounts.values()],
    volumes: [...state.volumes.values()].map((v) => ({ ...v, content: mapToJSON(v.content) })),
    snapshots: [...state.snapshots.values()].map((s) => ({ ...s, content: mapToJSON(s.content) })),
    groupSnapshots: [...state.groupSnapshots.values()],
    volumeAccessGroups: [...state.volumeAccessGroups.values()],
    initiators: [...state.initiators.values()],
    asyncResults: [...state.asyncResults.values()],
    clusterPairs: [...state.clusterPairs.values()],
    volumePairs: [...state.volumePairs.values()],
  };
}

export function deserializeState(file: StateFile): ElementState {
  if (file.format !== FORMAT) throw new Error(`Unsupported simulator state format: ${String(file.format)}`);
  const state = new ElementState(file.cluster);
  state.settings = { ...defaultSettings(), ...file.settings };
  state.counters = { ...state.counters, ...file.counters };
  state.store = BlockStore.fromJSON(file.store);
  for (const a of file.accounts) state.accounts.set(a.accountID, a);
  for (const v of file.volumes) state.volumes.set(v.volumeID, { ...v, content: state.store.adopt(v.content) });
  for (const s of file.snapshots) state.snapshots.set(s.snapshotID, { ...s, content: state.store.adopt(s.content) });
  // Blocks nobody adopted (a crash between a release and the save) are dropped.
  state.store.sweep();
  for (const g of file.groupSnapshots) state.groupSnapshots.set(g.groupSnapshotID, g);
  for (const g of file.volumeAccessGroups) state.volumeAccessGroups.set(g.volumeAccessGroupID, g);
  for (const i of file.initiators) state.initiators.set(i.initiatorID, i);
  // Jobs keep their start time: a clone that was copying when the simulator stopped has gone on "copying" since.
  for (const j of file.asyncResults) state.asyncResults.set(j.asyncHandle, j);
  // Pairs and snapshot transfer states persist; transfers that were running are resumed by the engine at start.
  for (const c of file.clusterPairs ?? []) state.clusterPairs.set(c.clusterPairID, c);
  for (const v of file.volumePairs ?? []) state.volumePairs.set(v.volumePairUUID, v);
  return state;
}

/** The saved state, or undefined when there is none. */
export function loadStateFile(path: string): ElementState | undefined {
  return readStateFile(path, 'Element simulator', (json) => deserializeState(json as StateFile));
}

export function saveStateFile(state: ElementState, path: string): void {
  writeStateFile(path, serializeState(state));
}
