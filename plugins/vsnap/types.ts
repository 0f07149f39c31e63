/** vSnap REST API records as the vSnap API developer guide shows them (ids, sizes and times are strings). */

export interface VsnapSystem {
  id: string;
  hostname: string;
  fqdn: string;
  init_status: string;
  vsnap_version: string;
  api_version?: string;
}

export interface VsnapPool {
  id: string;
  name: string;
  pool_type: string;
  size_total: string;
  size_free: string;
  size_used: string;
  status: string;
  compression?: boolean;
  compression_ratio?: string;
  deduplication?: boolean;
  deduplication_ratio?: string;
  time_created: string;
}

export type VsnapVolumeType = 'filesystem' | 'lun' | 'filebackedlun';

export interface VsnapVolume {
  id: string;
  name: string;
  volume_type: VsnapVolumeType;
  is_clone: boolean;
  pool_id: string;
  size_total: string | null;
  size_free: string | null;
  size_used: string | null;
  time_created: string;
  /** Detail fields (GET /api/volume/<id>). */
  serial?: string;
  snapshot_id?: string | null;
  share_id?: string | null;
  host_ids?: string[];
}

export interface VsnapSnapshot {
  id: string;
  name: string;
  parent_id: string;
  time_created: string;
  /** Detail fields. */
  size_used?: string;
  has_clones?: boolean;
  pool_id?: string;
}

export interface VsnapShare {
  id: string;
  name: string;
  vol_id: string;
  share_type: 'nfs' | 'smb';
}

export interface VsnapHost {
  id: string;
  name: string;
  iqns: string[];
  mapped_luns?: { lun: string; vol_id: string }[];
}

export interface VsnapNetwork {
  id: string;
  name: string;
  hw_addr: string;
  ip4_addrs: string[];
  ip6_addrs: string[];
  services: string[];
}

export interface VsnapTarget {
  type: string;
  wwn: string;
}

export interface VsnapMapping {
  vol_id: string;
  lun: string;
}

/** Seed 12: a partner system. */
export interface VsnapPartner {
  id: string;
  address: string;
  api_port: string;
  ssh_port: string;
  time_created: string;
  time_updated: string;
}

/** Seed 13: a replication relationship as the side asked sees it. */
export interface VsnapRelationship {
  id: string;
  local_pool_id: string | null;
  local_role: 'primary' | 'replica';
  local_vol_id: string;
  local_vol_name: string | null;
  partner_id: string;
  remote_pool_id: string;
  remote_vol_id: string;
  remote_vol_name: string;
  last_sync_status: 'COMPLETED' | 'FAILED' | null;
  last_attempt_snap_id: string | null;
  last_success_snap_id: string | null;
  time_created: string;
  time_updated: string;
}

export type VsnapSessionStatus = 'PENDING' | 'ACTIVE' | 'COMPLETED' | 'FAILED';

/** Seed 14: a replication session (times in epoch seconds, sizes in bytes, as strings or null). */
export interface VsnapSession {
  id: string;
  rel_id: string;
  local_snap_id: string;
  remote_snap_id: string | null;
  local_snap_name: string;
  remote_snap_name: string;
  repl_address: string | null;
  size_sent: string | null;
  /** Simulator extension (absent on a real appliance): the bytes the session has to send. */
  size_total?: string | null;
  status: VsnapSessionStatus;
  time_queued: string | null;
  time_started: string | null;
  time_ended: string | null;
  message: string | null;
}
