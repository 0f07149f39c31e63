/** ONTAP REST records as the adapter reads them (only the fields it asks for; every field may be absent). */

export interface Ref {
  uuid: string;
  name: string;
}

export interface OntapCollection<T> {
  records?: T[];
  num_records?: number;
  _links?: { self?: { href: string }; next?: { href: string } };
}

export interface OntapJob {
  uuid: string;
  state?: 'queued' | 'running' | 'paused' | 'success' | 'failure';
  message?: string;
  code?: number;
  error?: { code?: string; message?: string; target?: string };
}

/** What a POST/PATCH/DELETE answers: the job, and with `return_records=true` the record(s) a POST made. */
export interface OntapMutation<T = unknown> {
  job?: { uuid: string; _links?: unknown };
  num_records?: number;
  records?: T[];
}

export interface OntapCluster {
  uuid: string;
  name: string;
  version?: { full?: string; generation?: number; major?: number; minor?: number };
}

export interface OntapNode {
  uuid: string;
  name: string;
  serial_number?: string;
  model?: string;
}

export interface OntapSvm {
  uuid: string;
  name: string;
  subtype?: 'default' | 'dp_destination' | 'sync_source' | 'sync_destination';
  state?: string;
  aggregates?: Ref[];
}

export interface OntapService {
  svm: Ref;
  enabled?: boolean;
  state?: 'online' | 'offline';
  target?: { name?: string; alias?: string };
}

export interface OntapAggregate {
  uuid: string;
  name: string;
  space?: {
    block_storage?: { size?: number; available?: number; used?: number };
    efficiency?: { ratio?: number };
  };
  block_storage?: { primary?: { raid_type?: string } };
}

export interface OntapVolume {
  uuid: string;
  name: string;
  svm?: Ref;
  aggregates?: Ref[];
  size?: number;
  type?: 'rw' | 'dp' | 'ls';
  is_svm_root?: boolean;
  create_time?: string;
  guarantee?: { type?: 'none' | 'volume' };
  space?: { size?: number; available?: number; used?: number; snapshot?: { used?: number; reserve_percent?: number } };
  nas?: { path?: string };
  clone?: {
    is_flexclone?: boolean;
    parent_volume?: Ref;
    parent_snapshot?: Ref;
    split_initiated?: boolean;
    split_complete_percent?: number;
  };
}

export interface OntapSnapshot {
  uuid: string;
  name: string;
  create_time?: string;
  volume?: Ref;
}

export interface OntapLun {
  uuid: string;
  name: string;
  svm?: Ref;
  location?: { volume?: Ref; logical_unit?: string };
  os_type?: string;
  serial_number?: string;
  enabled?: boolean;
  space?: { size?: number };
  status?: { state?: string; mapped?: boolean };
}

export interface OntapIgroup {
  uuid: string;
  name: string;
  svm?: Ref;
  os_type?: string;
  protocol?: 'iscsi' | 'fcp' | 'mixed';
  initiators?: { name: string }[];
  igroups?: Ref[];
  parent_igroups?: Ref[];
  lun_maps?: { lun: Ref; logical_unit_number: number }[];
}

export interface OntapLunMap {
  svm?: Ref;
  lun: Ref;
  igroup: Ref;
  logical_unit_number: number;
}

export interface OntapIpInterface {
  uuid: string;
  name: string;
  ip?: { address?: string };
  svm?: Ref;
  services?: string[];
  enabled?: boolean;
}

export interface OntapFcInterface {
  uuid: string;
  name: string;
  wwpn?: string;
  svm?: Ref;
}

export interface OntapConsistencyGroup {
  uuid: string;
  name: string;
  svm?: Ref;
  create_time?: string;
  volumes?: Ref[];
}

export interface OntapCgSnapshot {
  uuid: string;
  name: string;
  create_time?: string;
  snapshot_volumes?: { volume: Ref; snapshot: Ref }[];
}

export interface OntapFile {
  name: string;
  path?: string;
  type?: 'file' | 'directory' | 'lun' | 'symlink';
  size?: number;
}

export interface OntapClusterPeer {
  uuid: string;
  name: string;
  remote?: { name?: string; ip_addresses?: string[] };
  status?: { state?: string };
  authentication?: { state?: string };
}

export interface OntapSvmPeer {
  uuid: string;
  name?: string;
  svm?: Ref;
  peer?: { svm?: { name?: string }; cluster?: { name?: string; uuid?: string } };
  state?: string;
  applications?: string[];
}

export interface OntapEndpoint {
  path: string;
  svm?: { name?: string };
  cluster?: { name?: string; uuid?: string };
}

export interface OntapRelationship {
  uuid: string;
  source: OntapEndpoint;
  destination: OntapEndpoint;
  state?: 'uninitialized' | 'snapmirrored' | 'paused' | 'broken_off' | string;
  healthy?: boolean;
  transfer?: { uuid?: string; state?: string; bytes_transferred?: number };
}

export interface OntapTransfer {
  uuid: string;
  state?: 'queued' | 'transferring' | 'success' | 'failed' | 'aborted' | 'hard_aborted' | string;
  snapshot?: string;
  bytes_transferred?: number;
  /** Simulator extension: bytes the transfer has to move (ONTAP reports none). */
  total_bytes?: number;
  /** ISO-8601 duration, e.g. PT1M2.5S. */
  total_duration?: string;
  end_time?: string;
  last_updated_time?: string;
  error_info?: { code?: number | string; message?: string };
}
