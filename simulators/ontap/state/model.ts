// Internal records of the simulated ONTAP cluster: what state.ts holds and persistence.ts saves.
import type { BlockMap, BlockStore } from '../../shared/blocks';

/** Every record carries `seq`, its creation order: collections list in that order and page on it. */
export interface Sequenced {
  seq: number;
}

export interface ClusterRecord {
  uuid: string;
  name: string;
  version: { full: string; generation: number; major: number; minor: number };
  location: string;
  contact: string;
}

export interface NodeRecord extends Sequenced {
  uuid: string;
  name: string;
  serial_number: string;
  model: string;
  system_id: string;
}

export interface ScheduleRecord extends Sequenced {
  uuid: string;
  name: string;
  type: 'cron' | 'interval';
  /** Cron fields; absent means "every". */
  cron?: { minutes?: number[]; hours?: number[]; weekdays?: number[]; days?: number[]; months?: number[] };
  /** ISO-8601 duration of an interval schedule. */
  interval?: string;
}

export type SvmSubtype = 'default' | 'dp_destination';

export interface SvmRecord extends Sequenced {
  uuid: string;
  name: string;
  subtype: SvmSubtype;
  state: 'running' | 'stopped';
  /** Aggregates the SVM may create volumes on (uuids). */
  aggregates: string[];
  language: string;
  comment: string;
  nfs: { enabled: boolean };
  iscsi: { enabled: boolean; target_name: string; target_alias: string };
  fcp: { enabled: boolean; target_wwnn: string };
}

export type RaidType = 'raid_dp' | 'raid_tec' | 'raid4';

export interface AggregateRecord extends Sequenced {
  uuid: string;
  name: string;
  node: string;
  /** Usable bytes. */
  size: number;
  raid_type: RaidType;
  disk_count: number;
  create_time: number;
  store: BlockStore;
}

/** A volume's files: NAS files and LUN files (a LUN is a file of its volume, as in WAFL). */
export type FileSet = Map<string, BlockMap>;

export interface CloneInfo {
  parent_volume: string;
  parent_snapshot: string;
  /** Set while a split runs: epoch ms of its start and its planned length. */
  split?: { started: number; duration_ms: number };
}

export interface VolumeRecord extends Sequenced {
  uuid: string;
  name: string;
  svm: string;
  aggregate: string;
  size: number;
  type: 'rw' | 'dp';
  guarantee: 'none' | 'volume';
  snapshot_reserve_percent: number;
  is_svm_root: boolean;
  state: 'online' | 'offline';
  /** Junction path; null when unmounted. */
  nas_path: string | null;
  comment: string;
  create_time: number;
  files: FileSet;
  clone: CloneInfo | null;
  /** A FlexGroup (served as one volume; its constituents are not modelled). */
  style?: 'flexgroup';
  /** Settings kept and answered but not acted on, by dotted path (state/volume-settings.ts). */
  settings?: Record<string, unknown>;
}

/** A LUN as its volume holds it; snapshots keep copies of these records. */
export interface LunRecord extends Sequenced {
  uuid: string;
  svm: string;
  volume: string;
  /** The LUN's file in its volume (location.logical_unit). */
  file: string;
  size: number;
  os_type: string;
  serial: string;
  enabled: boolean;
  comment: string;
  create_time: number;
  /** Kept and answered, not acted on: space reservation, SCSI thin provisioning support, QoS policy name. */
  space_reserve?: boolean;
  thin_provisioning_support?: boolean;
  qos_policy?: string;
}

export interface SnapshotRecord extends Sequenced {
  uuid: string;
  name: string;
  volume: string;
  comment: string;
  snapmirror_label: string;
  create_time: number;
  /** Epoch ms after which ONTAP may delete it (kept and shown only: the simulator deletes nothing by itself). */
  expiry_time?: number;
  /** The volume size when the snapshot was taken (a restore never shrinks below it). */
  volume_size: number;
  files: FileSet;
  luns: LunRecord[];
}

export type IgroupProtocol = 'iscsi' | 'fcp' | 'mixed';

export interface IgroupRecord extends Sequenced {
  uuid: string;
  name: string;
  svm: string;
  os_type: string;
  protocol: IgroupProtocol;
  initiators: string[];
  /** Nested igroups (ONTAP 9.9+): a parent igroup maps its LUNs to every initiator of its children. */
  igroups: string[];
  comment: string;
}

export interface LunMapRecord extends Sequenced {
  lun: string;
  igroup: string;
  logical_unit_number: number;
}

export interface IpInterfaceRecord extends Sequenced {
  uuid: string;
  name: string;
  svm: string;
  address: string;
  netmask: string;
  services: string[];
  home_node: string;
  home_port: string;
  enabled: boolean;
}

export interface FcInterfaceRecord extends Sequenced {
  uuid: string;
  name: string;
  svm: string;
  wwpn: string;
  wwnn: string;
  home_node: string;
  home_port: string;
  enabled: boolean;
}

export interface ConsistencyGroupRecord extends Sequenced {
  uuid: string;
  name: string;
  svm: string;
  volumes: string[];
  create_time: number;
}

export interface CgSnapshotRecord extends Sequenced {
  uuid: string;
  name: string;
  consistency_group: string;
  comment: string;
  create_time: number;
  /** Member snapshots; a member deleted on its own drops out and the group snapshot becomes partial. */
  members: { volume: string; snapshot: string }[];
  missing: string[];
}

export type PolicyType = 'async' | 'sync' | 'continuous';
export type IdentityPreservation = 'full' | 'exclude_network_config' | 'exclude_network_and_protocol_config';

export interface RetentionRule {
  label: string;
  count: number;
  /** Schedule uuid. */
  creation_schedule?: string;
  prefix?: string;
  preserve: boolean;
  warn: number;
  period?: string;
}

export interface PolicyRecord extends Sequenced {
  uuid: string;
  name: string;
  /** Owning SVM for svm-scoped policies. */
  svm?: string;
  scope: 'cluster' | 'svm';
  type: PolicyType;
  sync_type?: 'sync' | 'strict_sync' | 'automated_failover' | 'automated_failover_duplex';
  comment: string;
  builtin: boolean;
  copy_all_source_snapshots?: true;
  copy_latest_source_snapshot?: true;
  create_snapshot_on_source: boolean;
  identity_preservation?: IdentityPreservation;
  network_compression_enabled: boolean;
  retention: RetentionRule[];
  rpo?: number;
  throttle: number;
  transfer_schedule?: string;
  sync_common_snapshot_schedule?: string;
}

/**
 * What the policy rules need to know about the relationships a policy governs: the relationships of
 * every kind count as these (state/policy-uses.ts); /sim/policy-uses attaches stand-ins directly.
 */
export interface PolicyUseRecord extends Sequenced {
  uuid: string;
  policy: string;
  endpoint: 'flexvol' | 'flexgroup' | 'svm' | 'consistency_group';
  identity_preservation?: IdentityPreservation;
  /** A relationship's own transfer schedule (uuid) or throttle, which overrides the policy's. */
  transfer_schedule?: string;
  throttle?: number;
}

/**
 * A cluster peer: the other cluster, where its management API answers, and the secret the two share for intercluster
 * calls.
 */
export interface ClusterPeerRecord extends Sequenced {
  uuid: string;
  /** The remote cluster's name and uuid (empty until a generated offer is accepted). */
  name: string;
  remote_uuid: string;
  /** The remote cluster's addresses, bare as ONTAP lists intercluster LIFs. */
  ip_addresses: string[];
  /**
   * Port of the remote simulator's API when it is not this simulator's own (simulators that share an address differ
   * by port; real clusters all answer on 443). Never shown by the API.
   */
  api_port?: number;
  /** `pending` while a generated passphrase waits for the other side. */
  authentication: 'ok' | 'pending';
  /** sha256 of the generated passphrase (the passphrase itself is shown once, when generated). */
  passphrase_hash?: string;
  expiry_time?: number;
  /** Bearer token of intercluster calls between the two simulators; never shown by the API. */
  token: string;
  create_time: number;
}

/**
 * An SVM peer: a local SVM and an SVM of a peered cluster (or of this cluster: a local peer) that may replicate to each
 * other.
 */
export interface SvmPeerRecord extends Sequenced {
  uuid: string;
  svm: string;
  /** The local alias of the peer SVM (`name` in the API): what SnapMirror paths call it. */
  name: string;
  peer_svm: string;
  /** Cluster peer uuid; empty for a local SVM peer (intra-cluster SnapMirror). */
  peer: string;
  state: 'peered';
  applications: string[];
}

export type RelationshipState = 'uninitialized' | 'snapmirrored' | 'paused' | 'broken_off';
export type TransferState = 'queued' | 'transferring' | 'success' | 'failed' | 'aborted' | 'hard_aborted';

/** One end of a relationship: `svm:volume` and the cluster it lives on. */
export interface EndpointRecord {
  path: string;
  svm: string;
  volume: string;
  cluster: string;
  cluster_uuid: string;
  /** The volume's uuid, on the cluster that holds this end only. */
  volume_uuid?: string;
}

/**
 * A SnapMirror relationship. The destination cluster owns it (policy, state); the source cluster keeps
 * a `source` copy so that `list_destinations_only=true` finds it and its transfer engine can run.
 */
export interface RelationshipRecord extends Sequenced {
  uuid: string;
  role: 'destination' | 'source';
  source: EndpointRecord;
  destination: EndpointRecord;
  /** Cluster peer uuid of the other end (undefined for an intra-cluster relationship). */
  peer?: string;
  /** Policy uuid on the destination side; its name on the source side (the policy lives on the destination). */
  policy: string;
  state: RelationshipState;
  /** The relationship's own throttle (KB/s) and transfer schedule (uuid), overriding the policy's. */
  throttle?: number;
  transfer_schedule?: string;
  /**
   * Destination side: the schedule in effect (uuid) and when it last ran, or took effect. Saved, so an
   * interval keeps counting from its last run across a restart.
   */
  schedule_run?: { schedule: string; at: number };
  /** Name of the newest snapshot both ends hold: the base of the next incremental transfer. */
  common_snapshot?: string;
  /** Counter of SnapMirror-created snapshots (`snapmirror.<uuid>_<n>.<time>`). */
  created_snapshots: number;
  create_time: number;
  /** SVM DR or consistency group (state/group-relationships.ts); a volume relationship has none. */
  endpoint?: 'svm' | 'consistency_group';
  identity_preservation?: IdentityPreservation;
  /** A consistency group's member volumes, source and destination. */
  cg_volumes?: { source: string[]; destination: string[] };
}

export interface TransferRecord extends Sequenced {
  uuid: string;
  relationship: string;
  state: TransferState;
  /** Names of the snapshots this transfer carries, in order (usually one). */
  snapshots: string[];
  /** The snapshot being (or last) sent. */
  snapshot: string;
  bytes_transferred: number;
  /** Simulator extension: the bytes the transfer has to move (ONTAP reports no total). */
  total_bytes: number;
  start_time: number;
  last_updated_time: number;
  end_time?: number;
  throttle: number;
  error?: { code: number; message: string };
  /** initialize, update or resync. */
  type: 'initialize' | 'update' | 'resync';
}

export type JobState = 'queued' | 'running' | 'paused' | 'success' | 'failure';

export interface JobRecord extends Sequenced {
  uuid: string;
  description: string;
  state: JobState;
  message: string;
  code: number;
  start_time: number;
  end_time?: number;
  error?: { code: string; message: string; target?: string };
  svm?: string;
}

export interface UserAccount {
  name: string;
  password: string;
  /** admin may do everything; readonly may only read. */
  role: 'admin' | 'readonly';
}
