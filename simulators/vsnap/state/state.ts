// The in-memory vSnap appliance: its objects, id counters, lookups and the save-after-every-change hook.
import { notFound } from '../errors';
import type { BlockStore } from '../../shared/blocks';
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

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Numeric order of the string ids: creation order, which is what "newer snapshot" means. */
export const byId = (a: { id: string }, b: { id: string }): number => Number(a.id) - Number(b.id);

export class VsnapState {
  system: SystemRecord = {
    id: '00000000000000000000000000000000',
    hostname: 'vsnap-sim',
    fqdn: 'vsnap-sim',
    init_status: 'Not Initialized',
    multipool: false,
  };
  networks: NetworkRecord[] = [];
  disks: DiskRecord[] = [];
  readonly pools = new Map<string, PoolRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly shares = new Map<string, ShareRecord>();
  readonly hosts = new Map<string, HostRecord>();
  readonly partners = new Map<string, PartnerRecord>();
  /** Accounts partners use to call /api/peer on this system. */
  replicationAccounts: ReplicationAccount[] = [];
  readonly relationships = new Map<string, RelationshipRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  counters: Counters = { pool: 0, volume: 0, snapshot: 0, share: 0, host: 0, session: 0 };

  /** Called after every mutation; server.ts points it at the state file. */
  onChange: () => void = () => undefined;

  changed(): void {
    this.onChange();
  }

  nextId(kind: keyof Counters): string {
    this.counters[kind] += 1;
    return String(this.counters[kind]);
  }

  pool(id: string): PoolRecord {
    return found(this.pools.get(id), `Pool ID ${id} not found`);
  }

  volume(id: string): VolumeRecord {
    return found(this.volumes.get(id), `Volume ID ${id} not found`);
  }

  snapshot(id: string): SnapshotRecord {
    return found(this.snapshots.get(id), `Snapshot ID ${id} not found`);
  }

  share(id: string): ShareRecord {
    return found(this.shares.get(id), `Share ID ${id} not found`);
  }

  host(id: string): HostRecord {
    return found(this.hosts.get(id), `Host ID ${id} not found`);
  }

  network(id: string): NetworkRecord {
    return found(
      this.networks.find((n) => n.id === id),
      `Network interface ID ${id} not found`,
    );
  }

  storeOf(volume: VolumeRecord): BlockStore {
    return this.pool(volume.pool_id).store;
  }

  volumesIn(poolId: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.pool_id === poolId);
  }

  snapshotsOf(volumeId: string): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.volume_id === volumeId).sort(byId);
  }

  clonesOf(snapshotId: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.snapshot_id === snapshotId);
  }

  shareOf(volumeId: string): ShareRecord | undefined {
    return [...this.shares.values()].find((s) => s.vol_id === volumeId);
  }

  hostsOf(volumeId: string): HostRecord[] {
    return [...this.hosts.values()].filter((h) => h.luns.some((m) => m.vol_id === volumeId)).sort(byId);
  }

  partner(id: string): PartnerRecord {
    return found(this.partners.get(id), `Partner ID ${id} not found`);
  }

  relationship(id: string): RelationshipRecord {
    return found(this.relationships.get(id), `Relationship ID ${id} not found`);
  }

  session(id: string): SessionRecord {
    return found(this.sessions.get(id), `Session ID ${id} not found`);
  }

  relationshipsOf(volumeId: string): RelationshipRecord[] {
    return [...this.relationships.values()].filter((r) => r.local_vol_id === volumeId).sort(byTime);
  }

  disk(uuid: string): DiskRecord | undefined {
    return this.disks.find((d) => d.uuid === uuid && d.attached);
  }
}

const byTime = (a: { time_created: number; id: string }, b: { time_created: number; id: string }): number =>
  a.time_created - b.time_created || a.id.localeCompare(b.id);

function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw notFound(message);
  return value;
}
