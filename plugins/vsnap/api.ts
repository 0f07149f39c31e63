/**
 * Typed vSnap calls with vSnap errors translated to domain errors: the vocabulary the vSnap operations are written in.
 */
import { StorageError } from '../../src/domain/errors';
import type { VsnapClient } from './client';
import { reuse } from '../shared/list-index';
import { fromVsnap } from './mapper';
import type {
  VsnapHost,
  VsnapMapping,
  VsnapNetwork,
  VsnapPartner,
  VsnapPool,
  VsnapRelationship,
  VsnapSession,
  VsnapShare,
  VsnapSnapshot,
  VsnapSystem,
  VsnapTarget,
  VsnapVolume,
  VsnapVolumeType,
} from './types';

/** Values many volumes share (pools, types), kept once. */
const shared = new Map<string, string>();
const once = <S extends string>(value: S): S => {
  const hit = shared.get(value);
  if (hit !== undefined) return hit as S;
  if (shared.size < 1000) shared.set(value, value);
  return value;
};

/** What a CDM volume listing needs of a vSnap volume (all the index keeps). */
export function compactVolume(element: unknown): VsnapVolume {
  const v = element as VsnapVolume;
  return {
    id: v.id,
    name: v.name,
    time_created: v.time_created,
    pool_id: once(v.pool_id),
    volume_type: once(v.volume_type),
    size_total: v.size_total,
    size_used: v.size_used,
    size_free: v.size_free,
    is_clone: v.is_clone,
  };
}

/** Two compact volumes that say the same. */
const sameVolume = (a: VsnapVolume, b: VsnapVolume) =>
  a.name === b.name &&
  a.size_used === b.size_used &&
  a.size_total === b.size_total &&
  a.size_free === b.size_free &&
  a.time_created === b.time_created &&
  a.pool_id === b.pool_id &&
  a.volume_type === b.volume_type &&
  a.is_clone === b.is_clone;

const seg = encodeURIComponent;

export class VsnapApi {
  constructor(readonly client: VsnapClient) {}

  private async run<T>(fn: () => Promise<T>, what?: { kind: string; id: string }): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromVsnap(err, what);
    }
  }

  system = () => this.run(() => this.client.get<VsnapSystem>('/system'));
  pools = async () => (await this.run(() => this.client.get<{ pools: VsnapPool[] }>('/pool'))).pools;
  pool = (id: string) => this.run(() => this.client.get<VsnapPool>(`/pool/${seg(id)}`), { kind: 'pool', id });
  networks = async () => (await this.run(() => this.client.get<{ networks: VsnapNetwork[] }>('/network'))).networks;

  /** The appliance's iSCSI target name (null when it has none). */
  async targetIqn(): Promise<string | null> {
    const { targets } = await this.run(() => this.client.get<{ targets: VsnapTarget[] }>('/target'));
    return targets.find((t) => t.type === 'iqn')?.wwn ?? null;
  }

  volumes = async () => (await this.run(() => this.client.get<{ volumes: VsnapVolume[] }>('/volume'))).volumes;
  /** Volumes `[start, end)` in the array's order, without holding the whole list. */
  volumePage = async (start: number, end: number) =>
    (await this.run(() => this.client.getPage<VsnapVolume>('/volume', 'volumes', start, end))).items;
  /**
   * Every volume, each cut down to the fields CDM lists (compactVolume) as the list streams in; a volume unchanged
   * since `previous` was read is that same object.
   */
  volumeIndex = async (previous?: readonly VsnapVolume[]) =>
    (
      await this.run(() =>
        this.client.getPage<VsnapVolume>('/volume', 'volumes', 0, Number.POSITIVE_INFINITY, (e) =>
          reuse(previous, e as VsnapVolume, sameVolume, compactVolume),
        ),
      )
    ).items;
  volume = (id: string) => this.run(() => this.client.get<VsnapVolume>(`/volume/${seg(id)}`), { kind: 'volume', id });
  createVolume = (body: { name: string; volume_type: VsnapVolumeType; pool_id: string; size_total?: string | null }) =>
    this.run(() => this.client.post<VsnapVolume>('/volume', body));
  cloneSnapshot = (snapshotId: string, name: string) =>
    this.run(() => this.client.post<VsnapVolume>('/volume', { name, snapshot_id: snapshotId }), {
      kind: 'snapshot',
      id: snapshotId,
    });
  deleteVolume = (id: string) =>
    this.run(() => this.client.delete<unknown>(`/volume/${seg(id)}`), { kind: 'volume', id });
  /** Simulator-documented extension following the guide's action convention: rollback to or copy from a snapshot. */
  volumeAction = (id: string, body: { action: 'rollback' | 'restore'; snapshot_id: string; destroy_newer?: boolean }) =>
    this.run(() => this.client.post<VsnapVolume>(`/volume/${seg(id)}`, body), { kind: 'volume', id });

  snapshotsOf = async (volumeId: string) =>
    (
      await this.run(() => this.client.get<{ snapshots: VsnapSnapshot[] }>(`/volume/${seg(volumeId)}/snapshot`), {
        kind: 'volume',
        id: volumeId,
      })
    ).snapshots;
  allSnapshots = async () =>
    (await this.run(() => this.client.get<{ snapshots: VsnapSnapshot[] }>('/snapshot'))).snapshots;
  snapshot = (id: string) =>
    this.run(() => this.client.get<VsnapSnapshot>(`/snapshot/${seg(id)}`), { kind: 'snapshot', id });
  createSnapshot = (volumeId: string, name: string) =>
    this.run(() => this.client.post<VsnapSnapshot>(`/volume/${seg(volumeId)}/snapshot`, { name }), {
      kind: 'volume',
      id: volumeId,
    });
  deleteSnapshot = (id: string) =>
    this.run(() => this.client.delete<unknown>(`/snapshot/${seg(id)}`), { kind: 'snapshot', id });

  share = (id: string) => this.run(() => this.client.get<VsnapShare>(`/share/${seg(id)}`), { kind: 'share', id });
  createShare = (volumeId: string, allowedHosts: string[]) =>
    this.run(
      () =>
        this.client.post<VsnapShare>(`/volume/${seg(volumeId)}/share`, {
          share_type: 'nfs',
          share_options: { read_only: false, allowed_hosts: allowedHosts },
        }),
      { kind: 'volume', id: volumeId },
    );

  hosts = async () => (await this.run(() => this.client.get<{ hosts: VsnapHost[] }>('/host'))).hosts;
  host = (id: string) => this.run(() => this.client.get<VsnapHost>(`/host/${seg(id)}`), { kind: 'host', id });
  createHost = (name: string, iqns: string[]) => this.run(() => this.client.post<VsnapHost>('/host', { name, iqns }));
  map = (hostId: string, volId: string) =>
    this.run(() => this.client.post<VsnapMapping>(`/host/${seg(hostId)}`, { action: 'map', vol_id: volId }), {
      kind: 'host',
      id: hostId,
    });
  async unmap(hostId: string, volId: string): Promise<void> {
    try {
      await this.client.post<unknown>(`/host/${seg(hostId)}`, { action: 'unmap', vol_id: volId });
    } catch (err) {
      const e = fromVsnap(err);
      if (e instanceof StorageError && e.code === 'NOT_FOUND') {
        throw new StorageError(
          'NOT_FOUND',
          `LUN '${volId}' is not mapped to host '${hostId}', or the host does not exist`,
        );
      }
      throw e;
    }
  }

  partners = async () => (await this.run(() => this.client.get<{ partners: VsnapPartner[] }>('/partner'))).partners;
  relationshipsOf = async (volumeId: string) =>
    (
      await this.run(
        () => this.client.get<{ relationships: VsnapRelationship[] }>(`/volume/${seg(volumeId)}/relationship`),
        { kind: 'volume', id: volumeId },
      )
    ).relationships;
  sessions = async () => (await this.run(() => this.client.get<{ sessions: VsnapSession[] }>('/session'))).sessions;
  startSession = (relId: string, body: { snap_id: string; remote_snap_name: string }) =>
    this.run(() => this.client.post<VsnapSession>(`/relationship/${seg(relId)}/session`, body), {
      kind: 'relationship',
      id: relId,
    });
}
