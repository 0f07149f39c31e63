/** The backend seam: the operations every array adapter implements, its capability flags, and defineBackend(). */
import type { Logger } from 'pino';
import type * as T from './domain/types';

/**
 * What an adapter can do, declared as data. The core checks these before calling an operation and
 * answers UNSUPPORTED when a flag is off; the `/server` `supports` object is derived from them.
 */
export interface Capabilities {
  clone: boolean;
  /** Mount (export) a volume, e.g. as an NFS share or a junction path. */
  mount: boolean;
  /** Split a clone from its parent, with progress through splitstatus. */
  split: boolean;
  restore: boolean;
  restoreToAlternate: boolean;
  restoreToNew: boolean;
  luns: boolean;
  /**
   * CDM creates hosts on the array (POST /host). Off where the array's hosts are made elsewhere (a cloud's virtual
   * machines), though it may still list them.
   */
  hostCreation: boolean;
  hostMapping: boolean;
  /** Fibre Channel initiators (WWNs) on hosts. */
  fibreChannel: boolean;
  hostGroups: boolean;
  consistencyGroups: boolean;
  /** Consistency groups persist on the array (rather than being built per snapshot). */
  persistentConsistencyGroups: boolean;
  singleConsistencyGroup: boolean;
  deleteFromSnapshotGroup: boolean;
  incrementalConsistencyGroups: boolean;
  replication: {
    volume: boolean;
    consistencyGroup: boolean;
    newSnapshot: boolean;
    existingSnapshot: boolean;
    toItself: boolean;
  };
  remoteArrays: boolean;
}

export type Capability =
  Exclude<keyof Capabilities, 'replication'> | `replication.${keyof Capabilities['replication']}`;

export function hasCapability(caps: Capabilities, cap: Capability): boolean {
  if (cap.startsWith('replication.')) {
    return caps.replication[cap.slice('replication.'.length) as keyof Capabilities['replication']];
  }
  return caps[cap as Exclude<keyof Capabilities, 'replication'>] as boolean;
}

/** A server as an adapter reports it; the core adds `supports` from the capabilities. */
export type ServerBase = Omit<T.Server, 'supports'>;

/**
 * One array, reached with one session's credentials. Every method that takes a `serverId`
 * answers NOT_FOUND for a server the array does not have. List methods apply the page
 * (server-side where the vendor API can, with `applyPage` otherwise).
 */
export interface ArrayConnection {
  /** The storage as CDM describes it; the core adds pluginId. */
  storage(): Promise<Omit<T.StorageInfo, 'pluginId'>>;
  listServers(): Promise<ServerBase[]>;
  getServer(serverId: T.Id): Promise<ServerBase>;
  getSystem(serverId: T.Id): Promise<T.SystemInfo>;

  listPools(serverId: T.Id, page: T.Page): Promise<T.Pool[]>;
  getPool(serverId: T.Id, poolId: T.Id): Promise<T.Pool>;

  listVolumes(serverId: T.Id, page: T.Page): Promise<T.Volume[]>;
  getVolume(serverId: T.Id, volumeId: T.Id): Promise<T.Volume>;
  deleteVolume(serverId: T.Id, volumeId: T.Id): Promise<void>;
  cloneVolume?(serverId: T.Id, volumeId: T.Id, req: T.CloneRequest): Promise<T.Volume>;
  /**
   * Makes the volume usable: a file volume is exported and answers its path; a block volume (LUNs) is brought online
   * with read-write access and answers `path: null` (hosts reach it by mapping, not by a path).
   */
  mountVolume?(serverId: T.Id, volumeId: T.Id, req: T.MountRequest): Promise<{ path: string | null }>;
  splitVolume?(serverId: T.Id, volumeId: T.Id): Promise<T.SplitStatus>;
  splitStatus?(serverId: T.Id, volumeId: T.Id): Promise<T.SplitStatus>;
  restoreVolume?(serverId: T.Id, volumeId: T.Id, req: T.RestoreRequest): Promise<T.Volume>;
  restoreToAlternate?(serverId: T.Id, volumeId: T.Id, req: T.RestoreToAlternateRequest): Promise<T.Volume>;
  restoreToNew?(serverId: T.Id, volumeId: T.Id, req: T.RestoreToNewRequest): Promise<T.Volume>;

  listLuns?(serverId: T.Id, page: T.Page): Promise<T.Lun[]>;
  getLun?(serverId: T.Id, lunId: T.Id): Promise<T.Lun>;
  onlineLun?(serverId: T.Id, lunId: T.Id): Promise<void>;

  listSnapshots(serverId: T.Id, volumeId: T.Id, page: T.Page): Promise<T.Snapshot[]>;
  getSnapshot(serverId: T.Id, volumeId: T.Id, snapshotId: T.Id): Promise<T.Snapshot>;
  createSnapshot(serverId: T.Id, volumeId: T.Id, req: T.CreateSnapshotRequest): Promise<T.Snapshot>;
  deleteSnapshot(serverId: T.Id, volumeId: T.Id, snapshotId: T.Id): Promise<void>;
  snapshotProgress?(
    serverId: T.Id,
    volumeId: T.Id,
    snapshotId: T.Id,
    req: T.SnapshotProgressRequest,
  ): Promise<T.SnapshotReplicationStatus>;

  listHosts(serverId: T.Id, page: T.Page): Promise<T.Host[]>;
  getHost(serverId: T.Id, hostId: T.Id): Promise<T.Host>;
  createHost?(serverId: T.Id, req: T.CreateHostRequest): Promise<T.Host>;
  listHostLuns?(serverId: T.Id, hostId: T.Id, page: T.Page): Promise<T.HostLunMapping[]>;
  mapToHost?(serverId: T.Id, hostId: T.Id, req: T.MapRequest): Promise<T.HostLunMapping>;
  unmapFromHost?(serverId: T.Id, hostId: T.Id, req: T.UnmapRequest): Promise<void>;

  listHostGroups?(serverId: T.Id, page: T.Page): Promise<T.HostGroup[]>;
  mapToHostGroup?(
    serverId: T.Id,
    hostGroupId: T.Id,
    req: T.MapRequest,
  ): Promise<Omit<T.HostLunMapping, 'hostId' | 'hostGroupId'>>;

  listNetworks(serverId: T.Id, page: T.Page): Promise<T.Network[]>;
  getNetwork(serverId: T.Id, networkId: T.Id): Promise<T.Network>;

  listConsistencyGroups?(serverId: T.Id, page: T.Page): Promise<T.ConsistencyGroup[]>;
  getConsistencyGroup?(serverId: T.Id, cgId: T.Id): Promise<T.ConsistencyGroup>;
  cgAddVolume?(serverId: T.Id, cgId: T.Id, req: T.CgAddVolumeRequest): Promise<T.ConsistencyGroup>;
  cgRemoveVolume?(serverId: T.Id, cgId: T.Id, req: T.CgRemoveVolumeRequest): Promise<T.ConsistencyGroup>;
  cgCondense?(serverId: T.Id, cgId: T.Id, req: T.CgCondenseRequest): Promise<void>;
  cgTakeSnapshot?(serverId: T.Id, cgId: T.Id, req: T.CgTakeSnapshotRequest): Promise<T.ConsistencyGroupSnapshot>;
  cgAddReplicationTarget?(
    serverId: T.Id,
    cgId: T.Id,
    req: T.CgAddReplicationTargetRequest,
  ): Promise<T.ReplicationTarget>;
  listCgSnapshots?(serverId: T.Id, cgId: T.Id, page: T.Page): Promise<T.ConsistencyGroupSnapshot[]>;

  listRemoteArrays?(serverId: T.Id, page: T.Page): Promise<T.RemoteArray[]>;
}

/** How an array call ended, as the cdm_plugin_array_calls_total `outcome` label says it. */
export type ArrayCallOutcome = 'ok' | 'http_4xx' | 'http_5xx' | 'timeout' | 'unreachable' | 'transport';

/** One vendor call as the array clients report it (for metrics). */
export interface ArrayCallEvent {
  /** The vendor operation: a JSON-RPC method, or a method and path template (`GET /api/storage/volumes/{id}`). */
  operation: string;
  seconds: number;
  outcome: ArrayCallOutcome;
}

/** Options every adapter receives from the plugin's configuration. */
export interface BackendOptions {
  /**
   * Scheme used to reach arrays.
   * @default 'https' ('http' while the embedded simulator runs)
   */
  scheme: 'http' | 'https';
  /** Accept self-signed array certificates. @default false */
  tlsInsecure: boolean;
  /** Time budget of one array call, in milliseconds. @default 30000 */
  timeoutMs: number;
  /** Time budget to open a TCP connection to an array, in milliseconds. @default 5000 */
  connectTimeoutMs: number;
  logger: Logger;
  /**
   * Names CDM gave objects of an array that names them itself (a cloud that generates snapshot names), shared by
   * every plugin instance (Redis when configured). Undefined: the adapter keeps them in its own process.
   */
  names?: NameStore;
  /** Where walks remember their array cursors; undefined: each adapter keeps them in its own process. */
  cursors?: CursorStore;
  /** Changes other plugin instances made on arrays; undefined: this instance is alone (or nobody says). */
  arrayChanges?: ArrayChangeFeed;
  /**
   * Credentials for a remote (paired) array the adapter must call itself, e.g. the destination
   * cluster of a SnapMirror transfer or the paired cluster a consistency group replicates to.
   * Answers what REMOTE_ARRAY_CREDENTIALS configures for `host` (or `host:port`), else undefined;
   * adapters then fall back to the session's own credentials.
   */
  remoteCredentials?: (host: string, port?: number) => T.Credentials | undefined;
  /**
   * Whether ARRAY_ALLOWLIST lets the plugin reach `host`:`port`; adapters ask it before calling a paired array whose
   * address an array gave. Undefined: every array is allowed.
   */
  allowsArray?: (host: string, port: number) => boolean;
  /** Told of every call to an array once it has ended (metrics). */
  observeCall?: (e: ArrayCallEvent) => void;
}

/** The request an array call is made for: its id (for the log lines it writes) and its deadline. */
export interface CallContext {
  requestId?: string;
  /** Epoch ms by which the request must be answered: every array call of the request draws from it. */
  deadline?: number;
}

/** A key-value store without expiry, for the little an adapter must remember that its array cannot keep. */
export interface NameStore {
  /** The value of each key, null for a key that has none. */
  get(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * Short-lived memory of where each page of a walk ends on the array (see plugins/shared/cursors.ts): a few bytes per
 * walk, kept with a short expiry and shared by every plugin instance (Redis when configured). Losing a value only
 * costs the next page a skip, so failures are the caller's to ignore.
 */
export interface CursorStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/**
 * Tells every plugin instance that one of them changed something on an array (by the array's storage id), so the
 * short-lived memories of other instances (page indexes, per-array memos) drop what they hold for it.
 */
export interface ArrayChangeFeed {
  announce(array: string): void;
  onChange(listener: (array: string) => void): void;
}

/** What logging in to an array tells the plugin about it. */
export interface ArrayIdentity {
  storageId: T.Id;
}

/** A live adapter: it logs in to arrays and opens connections for sessions. */
export interface BackendDriver {
  /** Verify the credentials against the array; UNAUTHORIZED when it refuses them. */
  login(target: T.ArrayTarget, credentials: T.Credentials, call?: CallContext): Promise<ArrayIdentity>;
  /** A connection for one session and request (cheap: pools are shared by the driver). */
  connect(
    target: T.ArrayTarget,
    credentials: T.Credentials,
    identity: ArrayIdentity,
    call?: CallContext,
  ): ArrayConnection;
  close(): Promise<void>;
}

export interface BackendDefinition {
  /** Registry name, the value of BACKEND. */
  name: string;
  /** Display name of the plugin for this storage type (GET /info). */
  displayName: string;
  vendor: string;
  /** Port of the vendor's API on a real array, used when POST /session names none. */
  defaultPort: number;
  capabilities: Capabilities;
  /** Why each capability that is off is off, in a sentence (every off capability has one: the conformance suite checks). */
  unsupported: Partial<Record<Capability, string>>;
  /** Images shipped with the backend: RFC-2397 data URLs of a 48x48 image and a 16x16 icon. */
  images: { imageUrl: string; iconUrl: string };
  create(options: BackendOptions): BackendDriver;
}

/** Each capability as a person names it (501 messages, `npm run check`). */
export const CAPABILITY_NAMES: Record<Capability, string> = {
  clone: 'volume clone',
  mount: 'volume mount',
  split: 'volume split',
  restore: 'volume restore',
  restoreToAlternate: 'restore to an alternate volume',
  restoreToNew: 'restore to a new volume',
  luns: 'LUNs',
  hostCreation: 'creating hosts',
  hostMapping: 'LUN mapping to hosts',
  fibreChannel: 'Fibre Channel hosts',
  hostGroups: 'host groups',
  consistencyGroups: 'consistency groups',
  persistentConsistencyGroups: 'persistent consistency groups',
  singleConsistencyGroup: 'single consistency groups',
  deleteFromSnapshotGroup: 'deleting from snapshot groups',
  incrementalConsistencyGroups: 'incremental consistency groups',
  'replication.volume': 'volume replication',
  'replication.consistencyGroup': 'consistency group replication',
  'replication.newSnapshot': 'snapshot replication',
  'replication.existingSnapshot': 'replication of existing snapshots',
  'replication.toItself': 'replication to itself',
  remoteArrays: 'remote arrays',
};

/** Which optional connection methods each capability requires, so a backend cannot claim what it lacks. */
const REQUIRED_METHODS: Partial<Record<Capability, (keyof ArrayConnection)[]>> = {
  clone: ['cloneVolume'],
  mount: ['mountVolume'],
  split: ['splitVolume', 'splitStatus'],
  restore: ['restoreVolume'],
  restoreToAlternate: ['restoreToAlternate'],
  restoreToNew: ['restoreToNew'],
  luns: ['listLuns', 'getLun', 'onlineLun'],
  hostCreation: ['createHost'],
  hostMapping: ['listHostLuns', 'mapToHost', 'unmapFromHost'],
  hostGroups: ['listHostGroups', 'mapToHostGroup'],
  consistencyGroups: [
    'listConsistencyGroups',
    'getConsistencyGroup',
    'cgAddVolume',
    'cgRemoveVolume',
    'cgCondense',
    'cgTakeSnapshot',
    'listCgSnapshots',
  ],
  'replication.consistencyGroup': ['cgAddReplicationTarget'],
  'replication.newSnapshot': ['snapshotProgress'],
  remoteArrays: ['listRemoteArrays'],
};

export function requiredMethods(cap: Capability): (keyof ArrayConnection)[] {
  return REQUIRED_METHODS[cap] ?? [];
}

export function capabilityList(caps: Capabilities): Capability[] {
  const flat = Object.keys(caps).filter((k) => k !== 'replication') as Capability[];
  const repl = Object.keys(caps.replication).map((k) => `replication.${k}` as Capability);
  return [...flat, ...repl];
}

/** Identity function that gives a backend definition its type; the registry lists the results. */
export function defineBackend(def: BackendDefinition): BackendDefinition {
  return def;
}

/** The `/server` supports object, derived from the capabilities. */
export function supportsFrom(caps: Capabilities): T.ServerSupports {
  const r = caps.replication;
  return {
    replication: r.volume || r.consistencyGroup,
    volumeReplication: r.volume,
    consistencyGroupReplication: r.consistencyGroup,
    newSnapshotReplication: r.newSnapshot,
    existingSnapshotReplication: r.existingSnapshot,
    replicationToItself: r.toItself,
    deleteFromSnapshotGroup: caps.deleteFromSnapshotGroup,
    persistentConsistencyGroup: caps.persistentConsistencyGroups,
    singleConsistencyGroup: caps.singleConsistencyGroup,
  };
}
