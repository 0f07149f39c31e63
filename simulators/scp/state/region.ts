// One region of the service: its volumes, snapshots, schedules and replications, one block store for their content,
// lookups that answer the API's 404s, and the space figures the API reports.
import { BLOCK_SIZE, BlockStore } from '../../shared/blocks';
import { notFound } from '../errors';
import type { ReplicationRecord, ScheduleRecord, SnapshotPolicy, SnapshotRecord, VolumeRecord } from './model';

/** An API time: ISO 8601 in UTC with microseconds and no zone, as the OpenAPI's examples write it. */
export const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');

export class RegionState {
  store = new BlockStore();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly schedules = new Map<string, ScheduleRecord>();
  readonly policies = new Map<string, SnapshotPolicy>();
  readonly replications = new Map<string, ReplicationRecord>();
  /** Called after every change (saves the state file). */
  onChange: () => void = () => undefined;

  constructor(
    readonly name: string,
    /** The address volumes of this region are mounted from (their `path`). */
    readonly mountAddress: string,
  ) {}

  changed(): void {
    this.onChange();
  }

  volume(id: string): VolumeRecord {
    const v = this.volumes.get(id);
    if (!v) throw notFound(`Volume ${id} not found`);
    return v;
  }

  /** A volume's snapshots, oldest first. */
  snapshotsOf(volumeId: string): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.volume_id === volumeId);
  }

  /** The snapshot, which must be one of the volume's (the API names both). */
  snapshotOf(volumeId: string, snapshotId: string): SnapshotRecord {
    const s = this.snapshots.get(snapshotId);
    if (!s || s.volume_id !== volumeId) throw notFound(`Snapshot ${snapshotId} of volume ${volumeId} not found`);
    return s;
  }

  /** Replications with this volume at either end. */
  replicationsOf(volumeId: string): ReplicationRecord[] {
    return [...this.replications.values()].filter(
      (r) => (r.role === 'source' ? r.source.volume_id : r.replica.volume_id) === volumeId,
    );
  }

  /** The replication, which must have the volume at this region's end. */
  replicationOf(volumeId: string, replicationId: string): ReplicationRecord {
    const r = this.replications.get(replicationId);
    if (!r || !this.replicationsOf(volumeId).includes(r))
      throw notFound(`Replication ${replicationId} of volume ${volumeId} not found`);
    return r;
  }

  /** Bytes the volume's live content takes (the API's `usage`). */
  usage(volume: VolumeRecord): number {
    return this.store.referencedBytes(volume.content);
  }

  /** Bytes held only by the volume's snapshots (the snapshot list's `snapshot_size_total_byte`). */
  snapshotBytes(volumeId: string): number {
    const live = new Set(this.volume(volumeId).content.blocks.values());
    const pinned = new Set<number>();
    for (const s of this.snapshotsOf(volumeId))
      for (const b of s.content.blocks.values()) if (!live.has(b)) pinned.add(b);
    return pinned.size * BLOCK_SIZE;
  }

  /** Bytes a snapshot alone holds (its `size`): blocks neither the volume nor another snapshot references. */
  snapshotSize(snapshot: SnapshotRecord): number {
    return this.store.uniqueBytes(snapshot.content);
  }
}
