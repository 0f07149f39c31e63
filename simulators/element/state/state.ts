// The simulated cluster: every record, lookups that answer Element's "does not exist" errors, and the change hook.
import { randomUUID } from 'node:crypto';
import { BlockStore } from '../../shared/blocks';
import {
  RpcError,
  X_ACCOUNT_ID_DOES_NOT_EXIST,
  X_CLUSTER_PAIR_ID_DOES_NOT_EXIST,
  X_GROUP_SNAPSHOT_ID_DOES_NOT_EXIST,
  X_SNAPSHOT_ID_DOES_NOT_EXIST,
  X_VOLUME_ACCESS_GROUP_ID_DOES_NOT_EXIST,
  X_VOLUME_ID_DOES_NOT_EXIST,
} from '../errors';
import type {
  PartnerEvent,
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
import type { PairStatus } from './replication-engine';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export const defaultSettings = (): SimSettings => ({
  cloneMinMs: 1500,
  cloneBytesPerSecond: 256 * MiB,
  purgeDelayMs: 8 * 3600 * 1000,
});

export function newCluster(
  opts: { name?: string; capacityBytes?: number; mvip?: string; svip?: string } = {},
): ClusterRecord {
  const capacity = opts.capacityBytes ?? 200 * GiB;
  // Element's unique ids are four lowercase alphanumerics.
  const uniqueID = randomUUID().replace(/-/g, '').slice(0, 4);
  return {
    // Paired clusters are told apart by name (CDM's remote array name): each simulator gets its own.
    name: opts.name ?? `sim-element-${uniqueID}`,
    uniqueID,
    uuid: randomUUID(),
    mvip: opts.mvip ?? '127.0.0.1',
    svip: opts.svip ?? '127.0.0.1',
    version: '12.3.0.958',
    capacityBytes: capacity,
    maxProvisionedBytes: capacity * 5,
    repCount: 2,
    createTime: Date.now(),
  };
}

export class ElementState {
  cluster: ClusterRecord;
  settings: SimSettings = defaultSettings();
  /** One block store for the whole cluster: Element has no pools, every volume shares the same drives. */
  store = new BlockStore();
  counters: Counters = {
    account: 0,
    volume: 0,
    snapshot: 0,
    groupSnapshot: 0,
    volumeAccessGroup: 0,
    initiator: 0,
    asyncHandle: 0,
    clone: 0,
    clusterPair: 0,
  };
  readonly accounts = new Map<number, AccountRecord>();
  readonly volumes = new Map<number, VolumeRecord>();
  readonly snapshots = new Map<number, SnapshotRecord>();
  readonly groupSnapshots = new Map<number, GroupSnapshotRecord>();
  readonly volumeAccessGroups = new Map<number, VolumeAccessGroupRecord>();
  readonly initiators = new Map<number, InitiatorRecord>();
  readonly asyncResults = new Map<number, AsyncRecord>();
  readonly clusterPairs = new Map<number, ClusterPairRecord>();
  /** Both sides of every volume pair this cluster takes part in, by volumePairUUID (a volume has at most one). */
  readonly volumePairs = new Map<string, VolumePairRecord>();
  /** The replication engine, for what views show of running transfers (set by the server; absent in bare states). */
  replication?: {
    pairStatus(pair: VolumePairRecord): PairStatus;
    /** Tells the paired cluster what became of this side of a pair (deleted, restored, purged, removed). */
    tellPartner(pair: VolumePairRecord, event: PartnerEvent | 'restored'): Promise<void>;
  };
  /** Called after every change (the state file is saved there). */
  onChange: () => void = () => undefined;
  /** The clock; tests of time-based behaviour may replace it. */
  now: () => number = () => Date.now();

  constructor(cluster: ClusterRecord = newCluster()) {
    this.cluster = cluster;
  }

  changed(): void {
    this.onChange();
  }

  nextId(kind: keyof Counters): number {
    return ++this.counters[kind];
  }

  account(id: number): AccountRecord {
    const a = this.accounts.get(id);
    if (!a) throw new RpcError(X_ACCOUNT_ID_DOES_NOT_EXIST, `Account ${id} does not exist`);
    return a;
  }

  /** Any volume, active or deleted (not yet purged). */
  anyVolume(id: number): VolumeRecord {
    const v = this.volumes.get(id);
    if (!v) throw new RpcError(X_VOLUME_ID_DOES_NOT_EXIST, `Volume ${id} does not exist`);
    return v;
  }

  /** An active volume: a deleted one does not exist for ordinary calls. */
  volume(id: number): VolumeRecord {
    const v = this.anyVolume(id);
    if (v.status !== 'active')
      throw new RpcError(
        X_VOLUME_ID_DOES_NOT_EXIST,
        `Volume ${id} does not exist (it is deleted; RestoreDeletedVolume brings it back)`,
      );
    return v;
  }

  snapshot(id: number): SnapshotRecord {
    const s = this.snapshots.get(id);
    if (!s) throw new RpcError(X_SNAPSHOT_ID_DOES_NOT_EXIST, `Snapshot ${id} does not exist`);
    return s;
  }

  groupSnapshot(id: number): GroupSnapshotRecord {
    const g = this.groupSnapshots.get(id);
    if (!g) throw new RpcError(X_GROUP_SNAPSHOT_ID_DOES_NOT_EXIST, `Group snapshot ${id} does not exist`);
    return g;
  }

  volumeAccessGroup(id: number): VolumeAccessGroupRecord {
    const g = this.volumeAccessGroups.get(id);
    if (!g) throw new RpcError(X_VOLUME_ACCESS_GROUP_ID_DOES_NOT_EXIST, `Volume access group ${id} does not exist`);
    return g;
  }

  snapshotsOf(volumeID: number): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.volumeID === volumeID);
  }

  membersOf(groupSnapshotID: number): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.groupID === groupSnapshotID);
  }

  groupsOfVolume(volumeID: number): VolumeAccessGroupRecord[] {
    return [...this.volumeAccessGroups.values()].filter((g) => g.volumes.includes(volumeID));
  }

  initiatorByName(name: string): InitiatorRecord | undefined {
    const lower = name.toLowerCase();
    return [...this.initiators.values()].find((i) => i.initiatorName.toLowerCase() === lower);
  }

  clusterPair(id: number): ClusterPairRecord {
    const c = this.clusterPairs.get(id);
    if (!c) throw new RpcError(X_CLUSTER_PAIR_ID_DOES_NOT_EXIST, `Cluster pair ${id} does not exist`);
    return c;
  }

  /** The pair the volume takes part in, if any. */
  pairOfVolume(volumeID: number): VolumePairRecord | undefined {
    for (const p of this.volumePairs.values()) if (p.volumeID === volumeID) return p;
    return undefined;
  }

  runningJobs(): AsyncRecord[] {
    return [...this.asyncResults.values()].filter((a) => a.status === 'running');
  }
}
