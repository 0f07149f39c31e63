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
