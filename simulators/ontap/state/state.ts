// The in-memory ONTAP cluster: its objects by uuid, the creation sequence, lookups and the save-after-every-change
// hook.
import { randomUUID } from 'node:crypto';
import type { BlockStore } from '../../shared/blocks';
import { notFound } from '../errors';
import type {
  AggregateRecord,
  CgSnapshotRecord,
  ClusterRecord,
  ConsistencyGroupRecord,
  FcInterfaceRecord,
  IgroupRecord,
  IpInterfaceRecord,
  JobRecord,
  LunMapRecord,
  LunRecord,
  NodeRecord,
  PolicyRecord,
  PolicyUseRecord,
  ClusterPeerRecord,
  RelationshipRecord,
  SvmPeerRecord,
  TransferRecord,
  ScheduleRecord,
  SnapshotRecord,
  SvmRecord,
  VolumeRecord,
} from './model';

const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;

export class OntapState {
  cluster: ClusterRecord = {
    uuid: '00000000-0000-0000-0000-000000000000',
    name: 'cluster1',
    version: { full: 'NetApp Release 9.14.1: Mon Jan 01 00:00:00 UTC 2024', generation: 9, major: 14, minor: 1 },
    location: '',
    contact: '',
  };
  readonly nodes = new Map<string, NodeRecord>();
  readonly schedules = new Map<string, ScheduleRecord>();
  readonly svms = new Map<string, SvmRecord>();
  readonly aggregates = new Map<string, AggregateRecord>();
  readonly volumes = new SeqMap<string, VolumeRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly luns = new SeqMap<string, LunRecord>();
  readonly igroups = new Map<string, IgroupRecord>();
  /** Keyed `${lun}/${igroup}` as the lun-maps API addresses them. */
  readonly lunMaps = new Map<string, LunMapRecord>();
  readonly ipInterfaces = new Map<string, IpInterfaceRecord>();
  readonly fcInterfaces = new Map<string, FcInterfaceRecord>();
  readonly cgs = new Map<string, ConsistencyGroupRecord>();
  readonly cgSnapshots = new Map<string, CgSnapshotRecord>();
  readonly policies = new Map<string, PolicyRecord>();
  readonly policyUses = new Map<string, PolicyUseRecord>();
  readonly clusterPeers = new Map<string, ClusterPeerRecord>();
  readonly svmPeers = new Map<string, SvmPeerRecord>();
  readonly relationships = new Map<string, RelationshipRecord>();
  readonly transfers = new Map<string, TransferRecord>();
  /** Jobs are not saved: a restarted cluster has none in flight. */
  readonly jobs = new Map<string, JobRecord>();
  sequence = 0;

  /** Called after every mutation; server.ts points it at the state file. */
  onChange: () => void = () => undefined;

  changed(): void {
    this.onChange();
  }

  nextSeq(): number {
    return ++this.sequence;
  }

  newUuid(): string {
    return randomUUID();
  }

  svm(uuid: string): SvmRecord {
    return found(this.svms.get(uuid), `SVM "${uuid}" not found`, 'svm.uuid');
  }

  aggregate(uuid: string): AggregateRecord {
    return found(this.aggregates.get(uuid), `Aggregate "${uuid}" not found`, 'aggregate.uuid');
  }

  volume(uuid: string): VolumeRecord {
    return found(this.volumes.get(uuid), `Volume "${uuid}" not found`, 'uuid');
  }

  snapshot(uuid: string): SnapshotRecord {
    return found(this.snapshots.get(uuid), `Snapshot "${uuid}" not found`, 'uuid');
  }

  lun(uuid: string): LunRecord {
    return found(this.luns.get(uuid), `LUN "${uuid}" not found`, 'uuid');
  }

  igroup(uuid: string): IgroupRecord {
    return found(this.igroups.get(uuid), `Igroup "${uuid}" not found`, 'uuid');
  }

  cg(uuid: string): ConsistencyGroupRecord {
    return found(this.cgs.get(uuid), `Consistency group "${uuid}" not found`, 'uuid');
  }

  policy(uuid: string): PolicyRecord {
    return found(this.policies.get(uuid), `SnapMirror policy "${uuid}" not found`, 'uuid');
  }

  storeOf(volume: VolumeRecord): BlockStore {
    return this.aggregate(volume.aggregate).store;
  }

  volumesOf(svm: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.svm === svm).sort(bySeq);
  }

  volumesIn(aggregate: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.aggregate === aggregate);
  }

  snapshotsOf(volume: string): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.volume === volume).sort(bySeq);
  }

  lunsOf(volume: string): LunRecord[] {
    return [...this.luns.values()].filter((l) => l.volume === volume).sort(bySeq);
  }

  /** FlexClone volumes made from any snapshot of this volume (and not yet split off). */
  clonesOf(volume: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.clone?.parent_volume === volume);
  }

  clonesOfSnapshot(snapshot: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.clone?.parent_snapshot === snapshot);
  }

  mapsOfLun(lun: string): LunMapRecord[] {
    return [...this.lunMaps.values()].filter((m) => m.lun === lun).sort(bySeq);
  }

  mapsOfIgroup(igroup: string): LunMapRecord[] {
    return [...this.lunMaps.values()].filter((m) => m.igroup === igroup).sort(bySeq);
  }

  cgOfVolume(volume: string): ConsistencyGroupRecord | undefined {
    return [...this.cgs.values()].find((c) => c.volumes.includes(volume));
  }

  relationship(uuid: string): RelationshipRecord {
    return found(this.relationships.get(uuid), `SnapMirror relationship "${uuid}" not found`, 'uuid');
  }

  transfersOf(relationship: string): TransferRecord[] {
    return [...this.transfers.values()].filter((t) => t.relationship === relationship).sort(bySeq);
  }

  scheduleNamed(name: string): ScheduleRecord | undefined {
    return [...this.schedules.values()].find((s) => s.name === name);
  }
}

export function sorted<T extends { seq: number }>(values: Iterable<T>): T[] {
  // Records enter their maps with a fresh seq, so insertion order is almost always seq order already:
  // sort only when it is not (a copy is O(n); a sort of 100,000 records per request is not cheap).
  const list = [...values];
  for (let i = 1; i < list.length; i++) if (list[i].seq < list[i - 1].seq) return list.sort((a, b) => a.seq - b.seq);
  return list;
}

/**
 * A Map that knows whether its insertion order is still seq order, so the large collections
 * (volumes, LUNs) can be paged straight from it: a page then costs what it holds, as on an
 * indexed array, instead of a pass over 100,000 records.
 */
export class SeqMap<K, V extends { seq: number }> extends Map<K, V> {
  private maxSeq = Number.NEGATIVE_INFINITY;
  /** False once a record arrived out of seq order (then pages fall back to sorting). */
  ordered = true;

  override set(key: K, value: V): this {
    const old = this.get(key);
    if (old ? old.seq !== value.seq : value.seq < this.maxSeq) this.ordered = false;
    if (value.seq > this.maxSeq) this.maxSeq = value.seq;
    return super.set(key, value);
  }
}

/** A collection's records in seq order: the map itself when it is known to be in order, else a sorted copy. */
export function inSeqOrder<T extends { seq: number }>(map: Map<unknown, T>): Iterable<T> {
  return map instanceof SeqMap && map.ordered ? map.values() : sorted(map.values());
}

function found<T>(value: T | undefined, message: string, target: string): T {
  if (value === undefined) throw notFound(message, target);
  return value;
}
