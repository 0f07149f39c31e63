// Wire shapes of seed sections 2-11: ids, sizes and times as strings, list summaries vs detail objects.
import { shareName } from './state/access';
import type {
  DiskRecord,
  HostRecord,
  NetworkRecord,
  PoolRecord,
  ShareRecord,
  SnapshotRecord,
  UserAccount,
  VolumeRecord,
} from './state/model';
import { DISKGROUP_SIZE, poolCapacity, poolFree } from './state/pools';
import type { VsnapState } from './state/state';

const str = (n: number): string => String(n);
const strOrNull = (n: number | null): string | null => (n === null ? null : String(n));

export function systemView(state: VsnapState): Record<string, unknown> {
  const s = state.system;
  return {
    fqdn: s.fqdn,
    hostname: s.hostname,
    id: s.id,
    init_status: s.init_status,
    multipool: s.multipool,
    api_version: '1.0',
    nfs_version: '1.3.0-0.33.el7_3',
    nginx_version: '1.10.2-1.el7',
    os_name: 'CentOS Linux',
    os_version: '7.3.1611',
    samba_version: '4.4.4-13.el7_3',
    uwsgi_version: '2.0.14-6.el7',
    vsnap_version: '10.1.3-1',
    zfs_version: '0.6.5.10-1.el7.centos',
  };
}

/** Seed 3.1: uid/gid of the OS accounts in the vsnap group. */
export function userView(user: UserAccount, index: number): Record<string, unknown> {
  return { gid: str(1000 + index), name: user.name, role: 'vsnap_admin', uid: str(1000 + index) };
}

export function networkView(n: NetworkRecord): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    hw_addr: n.hw_addr,
    ip4_addrs: [...n.ip4_addrs],
    ip6_addrs: [...n.ip6_addrs],
    services: [...n.services],
  };
}

export function diskView(d: DiskRecord): Record<string, unknown> {
  return {
    model: d.model,
    name: d.name,
    size: str(d.size),
    type: d.type,
    uuid: d.uuid,
    vendor: d.vendor,
    used_as: d.used_as,
  };
}

export function poolSummary(state: VsnapState, pool: PoolRecord): Record<string, unknown> {
  return {
    id: pool.id,
    name: pool.name,
    pool_type: pool.pool_type,
    size_total: str(poolCapacity(state, pool)),
    size_free: str(poolFree(state, pool)),
    size_used: str(pool.store.usedBytes),
    status: 'ONLINE',
    health: '100',
    time_created: str(pool.time_created),
    time_updated: str(pool.time_updated),
  };
}

const diskPath = (uuid: string): string => `/dev/disk/by-id/scsi-${uuid}`;

export function poolDetail(state: VsnapState, pool: PoolRecord): Record<string, unknown> {
  // zpool status lists data groups, then logs, cache and spares: so do we.
  const disks: Record<string, string[]> = {};
  pool.groups.forEach((group, i) => (disks[`${pool.pool_type}_group${i + 1}`] = group.map(diskPath)));
  if (pool.logs.length > 0) disks.logs = pool.logs.map(diskPath);
  if (pool.cache.length > 0) disks.cache = pool.cache.map(diskPath);
  if (pool.spares.length > 0) disks.spares = pool.spares.map(diskPath);
  const used = str(pool.store.usedBytes);
  return {
    compression: pool.compression,
    compression_ratio: '1.00x', // blocks are stored as written: no compression or dedup savings are simulated
    deduplication: pool.deduplication,
    deduplication_ratio: '1.00x',
    diskgroup_size: str(DISKGROUP_SIZE),
    disks,
    ...poolSummary(state, pool),
    size_before_compression: used,
    size_before_deduplication: used,
    syncwrite: pool.syncwrite,
  };
}

/** Thin volumes: size_free is what the limit leaves, or the pool's free space when there is none. */
function volumeSizes(
  state: VsnapState,
  v: VolumeRecord,
): { size_total: string | null; size_free: string | null; size_used: string | null } {
  if (!v.content) return { size_total: null, size_free: null, size_used: null };
  const used = state.storeOf(v).referencedBytes(v.content);
  const free = v.size_total === null ? poolFree(state, state.pool(v.pool_id)) : Math.max(0, v.size_total - used);
  return { size_total: strOrNull(v.size_total), size_free: str(free), size_used: str(used) };
}

export function volumeSummary(state: VsnapState, v: VolumeRecord): Record<string, unknown> {
  return {
    id: v.id,
    volume_type: v.volume_type,
    is_clone: v.snapshot_id !== null,
    name: v.name,
    pool_id: v.pool_id,
    ...volumeSizes(state, v),
    time_created: str(v.time_created),
    time_updated: str(v.time_updated),
  };
}

export function volumeDetail(state: VsnapState, v: VolumeRecord): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    volume_type: v.volume_type,
    is_clone: v.snapshot_id !== null,
    serial: v.serial,
    pool_id: v.pool_id,
    pool_name: state.pool(v.pool_id).name,
    ...volumeSizes(state, v),
    parent_id: v.parent_id,
    parent_path: v.parent_path,
    snapshot_id: v.snapshot_id,
    share_id: state.shareOf(v.id)?.id ?? null,
    host_ids: state.hostsOf(v.id).map((h) => h.id),
    time_created: str(v.time_created),
    time_updated: str(v.time_updated),
  };
}

export function snapshotSummary(s: SnapshotRecord): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    parent_id: s.volume_id,
    time_created: str(s.time_created),
    time_updated: str(s.time_updated),
  };
}

export function snapshotDetail(state: VsnapState, s: SnapshotRecord): Record<string, unknown> {
  const volume = state.volume(s.volume_id);
  const pool = state.pool(volume.pool_id);
  return {
    id: s.id,
    name: s.name,
    parent_id: volume.id,
    parent_name: volume.name,
    pool_id: pool.id,
    pool_name: pool.name,
    has_clones: state.clonesOf(s.id).length > 0,
    size_used: str(pool.store.uniqueBytes(s.content)),
    version_id: s.version_id,
    time_created: str(s.time_created),
    time_updated: str(s.time_updated),
  };
}

export function shareSummary(state: VsnapState, s: ShareRecord): Record<string, unknown> {
  return {
    id: s.id,
    name: shareName(state, s),
    vol_id: s.vol_id,
    share_type: s.share_type,
    time_created: str(s.time_created),
    time_updated: str(s.time_updated),
  };
}

export function shareDetail(state: VsnapState, s: ShareRecord): Record<string, unknown> {
  const options =
    'allowed_hosts' in s.share_options
      ? { read_only: s.share_options.read_only, allowed_hosts: [...s.share_options.allowed_hosts] }
      : {};
  return { ...shareSummary(state, s), share_options: options };
}

export function hostSummary(h: HostRecord): Record<string, unknown> {
  return {
    id: h.id,
    name: h.name,
    iqns: [...h.iqns],
    time_created: str(h.time_created),
    time_updated: str(h.time_updated),
  };
}

export function hostDetail(h: HostRecord): Record<string, unknown> {
  return {
    id: h.id,
    name: h.name,
    iqns: [...h.iqns],
    mapped_luns: h.luns.map((m) => ({ lun: str(m.lun), vol_id: m.vol_id })),
    time_created: str(h.time_created),
    time_updated: str(h.time_updated),
  };
}
