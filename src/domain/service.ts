/** The core between routes and adapters: checks capabilities, then calls the session's array connection. */
import {
  type ArrayConnection,
  type BackendDefinition,
  CAPABILITY_NAMES,
  type Capability,
  hasCapability,
  supportsFrom,
} from '../backend';
import type { Coordinator } from '../coordination/coordinator';
import { StorageError } from './errors';
import { createOnce } from './idempotency';
import { withLocks } from './locks';
import { TtlCache } from './ttl-cache';
import { applyPage } from './page';
import type * as T from './types';

type Method<K extends keyof ArrayConnection> = NonNullable<ArrayConnection[K]>;

/** One plugin id per storage type: CDM registers each type once. */
export function pluginIdOf(backend: BackendDefinition): string {
  return `cdm-storage-plugin.${backend.name}`;
}

/**
 * What /storage describes (names, ids, versions, servers) changes rarely, and CDM reads it often:
 * each plugin process keeps it a few seconds per array.
 */
const STORAGE_CACHE = new TtlCache<Omit<T.StorageInfo, 'pluginId'>>(5000);

/** How the core coordinates mutations across plugin instances. */
export interface CoordinationPolicy {
  coordinator: Coordinator;
  /**
   * The array the session is on: the id it reports and its address as the session names it. Locks, create records
   * and what is cached are per array.
   */
  arrayKey: string;
  /** Lease of an operation lock (and of a create under way), renewed by a live holder. @default 15000 */
  lockTtlMs: number;
  /** Epoch ms by which the request must be answered: a repeated create waits for an identical one no longer. */
  deadline?: number;
  /** How long identical creates are folded into one. @default 600000 */
  createWindowMs: number;
  /** How long a repeated create waits for an identical one still running. @default 30000 */
  createWaitMs: number;
  /** Told of lock conflicts and of creates that wait for an identical one (metrics). */
  events?: { lockConflict(): void; createWaited(): void };
}

/**
 * The shared lock of one object. Locks (and create records) are per backend and per array as the session names it,
 * with the id the array reports: the id alone is not enough, two arrays cloned from one image report the same one.
 */
export const lockKey = (backend: string, arrayKey: string, serverId: T.Id, kind: string, id: T.Id): string =>
  `lock:${backend}:${arrayKey}:${serverId}:${kind}:${id}`;

export class StorageService {
  private connection?: ArrayConnection;

  constructor(
    private readonly backend: BackendDefinition,
    /** The session's array connection, or how to open it (only when a call needs the array). */
    private readonly open: ArrayConnection | (() => ArrayConnection),
    private readonly policy: CoordinationPolicy,
  ) {}

  private get conn(): ArrayConnection {
    this.connection ??= typeof this.open === 'function' ? this.open() : this.open;
    return this.connection;
  }

  /** Throws UNSUPPORTED unless the backend declares the capability. */
  require(cap: Capability): void {
    if (!hasCapability(this.backend.capabilities, cap)) {
      const why = this.backend.unsupported[cap];
      throw new StorageError(
        'UNSUPPORTED',
        `${this.backend.displayName} does not support ${CAPABILITY_NAMES[cap]}${why ? `: ${why}` : ''}`,
      );
    }
  }

  /** The optional connection method behind a capability, after checking the capability. */
  private op<K extends keyof ArrayConnection>(cap: Capability, name: K): Method<K> {
    try {
      this.require(cap);
    } catch (err) {
      // Callers always get a rejected promise, never a synchronous throw.
      return (() => Promise.reject(err)) as unknown as Method<K>;
    }
    const fn = this.conn[name];
    if (typeof fn !== 'function') {
      // The conformance suite prevents this; keep a clear message if it ever happens.
      const err = new StorageError(
        'INTERNAL',
        `backend ${this.backend.name} declares ${cap} but lacks ${String(name)}`,
      );
      return (() => Promise.reject(err)) as unknown as Method<K>;
    }
    return (fn as (...a: unknown[]) => unknown).bind(this.conn) as Method<K>;
  }

  /**
   * A collection the array does not have is an empty one, not an unsupported one: a CDM inventory walk lists every
   * collection. The server (and `parent`, when the collection belongs to one) must still exist; the actions on the
   * collection stay UNSUPPORTED (see op).
   */
  private collection<R>(cap: Capability, sid: T.Id, list: () => Promise<R[]>, parent?: () => Promise<unknown>) {
    if (hasCapability(this.backend.capabilities, cap)) return list();
    return Promise.resolve(parent ? parent() : this.conn.getServer(sid)).then(() => [] as R[]);
  }

  /** A member of a collection the array does not have: it does not exist (404), once the server is known. */
  private member<R>(cap: Capability, sid: T.Id, kind: string, id: T.Id, get: () => Promise<R>): Promise<R> {
    if (hasCapability(this.backend.capabilities, cap)) return get();
    return Promise.resolve(this.conn.getServer(sid)).then(() => {
      const why = this.backend.unsupported[cap];
      throw new StorageError(
        'NOT_FOUND',
        `${kind} '${id}' does not exist: ${this.backend.displayName} has no ${CAPABILITY_NAMES[cap]}${why ? ` (${why})` : ''}`,
      );
    });
  }

  /** Runs fn holding the locks of the named objects (per array), answering CONFLICT if one is busy. */
  private locked<R>(objects: [kind: string, serverId: T.Id, id: T.Id][], fn: () => Promise<R>): Promise<R> {
    const keys = objects.map(([kind, sid, id]) => ({
      key: lockKey(this.backend.name, this.policy.arrayKey, sid, kind, id),
      what: `${kind} '${id}'`,
    }));
    return withLocks(
      this.policy.coordinator,
      keys,
      { ttlMs: this.policy.lockTtlMs, onConflict: this.policy.events?.lockConflict },
      fn,
    );
  }

  /**
   * Folds identical creates of one named object into one (see createOnce). A repeat is answered with the object the
   * first create made only if that object still is what was asked for (same name, under the same parent: `fetch`
   * reads it under the requested parent); otherwise it is created anew.
   */
  private once<R extends { id: string; name: string }>(
    kind: string,
    scope: string,
    name: string,
    params: unknown,
    create: () => Promise<R>,
    fetch: (id: string) => Promise<R>,
  ) {
    return createOnce(
      this.policy.coordinator,
      {
        key: `create:${this.backend.name}:${this.policy.arrayKey}:${kind}:${scope}:${name}`,
        what: `${kind} '${name}'`,
        params,
        windowMs: this.policy.createWindowMs,
        waitMs: Math.min(this.policy.createWaitMs, (this.policy.deadline ?? Infinity) - Date.now()),
        leaseMs: this.policy.lockTtlMs,
        onWait: this.policy.events?.createWaited,
      },
      create,
      async (id) => {
        const made = await fetch(id);
        if (made.name !== name) throw new StorageError('NOT_FOUND', `${kind} '${id}' is no longer '${name}'`);
        return made;
      },
    );
  }

  async storage(): Promise<T.StorageInfo> {
    const s = await STORAGE_CACHE.get(`${this.backend.name}:${this.policy.arrayKey}`, () => this.conn.storage());
    return { ...s, pluginId: pluginIdOf(this.backend) };
  }

  async listServers(page: T.Page): Promise<T.Server[]> {
    return applyPage(await this.conn.listServers(), page).map((s) => this.withSupports(s));
  }
  getServer = async (id: T.Id): Promise<T.Server> => this.withSupports(await this.conn.getServer(id));
  getSystem = (id: T.Id) => this.conn.getSystem(id);

  private withSupports(s: Omit<T.Server, 'supports'>): T.Server {
    return { id: s.id, name: s.name, supports: supportsFrom(this.backend.capabilities), config: s.config };
  }

  listPools = (sid: T.Id, page: T.Page) => this.conn.listPools(sid, page);
  getPool = (sid: T.Id, id: T.Id) => this.conn.getPool(sid, id);

  listVolumes = (sid: T.Id, page: T.Page) => this.conn.listVolumes(sid, page);
  getVolume = (sid: T.Id, id: T.Id) => this.conn.getVolume(sid, id);
  deleteVolume = async (sid: T.Id, id: T.Id) =>
    this.locked([['volume', sid, id]], () => this.conn.deleteVolume(sid, id));

  async cloneVolume(sid: T.Id, id: T.Id, req: T.CloneRequest): Promise<T.Volume> {
    const clone = this.op('clone', 'cloneVolume');
    const params = {
      id,
      snapshot: req.snapshot,
      instantSplit: req.instantSplit ?? false,
      keys: req.serverGroupKeys ?? [],
    };
    return this.once(
      'volume',
      sid,
      req.name,
      params,
      () => this.locked([['volume', sid, id]], () => clone(sid, id, req)),
      (vid) => this.getVolume(sid, vid),
    );
  }
  mountVolume = (sid: T.Id, id: T.Id, req: T.MountRequest) => this.op('mount', 'mountVolume')(sid, id, req);
  async splitVolume(sid: T.Id, id: T.Id): Promise<T.SplitStatus> {
    const split = this.op('split', 'splitVolume');
    return this.locked([['volume', sid, id]], () => split(sid, id));
  }
  splitStatus = (sid: T.Id, id: T.Id) => this.op('split', 'splitStatus')(sid, id);
  async restoreVolume(sid: T.Id, id: T.Id, req: T.RestoreRequest): Promise<T.Volume> {
    const restore = this.op('restore', 'restoreVolume');
    return this.locked([['volume', sid, id]], () => restore(sid, id, req));
  }
  async restoreToAlternate(sid: T.Id, id: T.Id, req: T.RestoreToAlternateRequest): Promise<T.Volume> {
    const restore = this.op('restoreToAlternate', 'restoreToAlternate');
    return this.locked(
      [
        ['volume', sid, id],
        ['volume', sid, req.targetVolumeId],
      ],
      () => restore(sid, id, req),
    );
  }
  async restoreToNew(sid: T.Id, id: T.Id, req: T.RestoreToNewRequest): Promise<T.Volume> {
    const restore = this.op('restoreToNew', 'restoreToNew');
    const params = { id, snapshot: req.sourceSnapshotId, pools: req.targetPoolIds ?? [] };
    return this.once(
      'volume',
      sid,
      req.targetVolumeName,
      params,
      () => this.locked([['volume', sid, id]], () => restore(sid, id, req)),
      (vid) => this.getVolume(sid, vid),
    );
  }

  listLuns = (sid: T.Id, page: T.Page) => this.collection('luns', sid, () => this.op('luns', 'listLuns')(sid, page));
  getLun = (sid: T.Id, id: T.Id) => this.member('luns', sid, 'LUN', id, () => this.op('luns', 'getLun')(sid, id));
  onlineLun = (sid: T.Id, id: T.Id) => this.op('luns', 'onlineLun')(sid, id);

  listSnapshots = (sid: T.Id, vid: T.Id, page: T.Page) => this.conn.listSnapshots(sid, vid, page);
  getSnapshot = (sid: T.Id, vid: T.Id, id: T.Id) => this.conn.getSnapshot(sid, vid, id);
  async createSnapshot(sid: T.Id, vid: T.Id, req: T.CreateSnapshotRequest): Promise<T.Snapshot> {
    if (req.replicate) this.require('replication.newSnapshot');
    const params = {
      poolId: req.poolId ?? null,
      replicate: req.replicate ?? false,
      isAutoDelete: req.isAutoDelete ?? false,
    };
    return this.once(
      'snapshot',
      `${sid}/${vid}`,
      req.name,
      params,
      () => this.conn.createSnapshot(sid, vid, req),
      (id) => this.getSnapshot(sid, vid, id),
    );
  }
  deleteSnapshot = async (sid: T.Id, vid: T.Id, id: T.Id) =>
    this.locked([['volume', sid, vid]], () => this.conn.deleteSnapshot(sid, vid, id));
  snapshotProgress = (sid: T.Id, vid: T.Id, id: T.Id, req: T.SnapshotProgressRequest) =>
    this.op('replication.newSnapshot', 'snapshotProgress')(sid, vid, id, req);

  listHosts = (sid: T.Id, page: T.Page) => this.conn.listHosts(sid, page);
  getHost = (sid: T.Id, id: T.Id) => this.conn.getHost(sid, id);
  async createHost(sid: T.Id, req: T.CreateHostRequest): Promise<T.Host> {
    if (req.wwns && req.wwns.length > 0) this.require('fibreChannel');
    const create = this.op('hostCreation', 'createHost');
    const params = { iqns: [...(req.iqns ?? [])].sort(), wwns: [...(req.wwns ?? [])].sort() };
    return this.once(
      'host',
      sid,
      req.name,
      params,
      () => create(sid, req),
      (id) => this.getHost(sid, id),
    );
  }
  listHostLuns = (sid: T.Id, id: T.Id, page: T.Page) =>
    this.collection(
      'hostMapping',
      sid,
      () => this.op('hostMapping', 'listHostLuns')(sid, id, page),
      () => this.conn.getHost(sid, id),
    );
  // Concurrent map calls on one host race for LUN numbers: one at a time per host.
  async mapToHost(sid: T.Id, id: T.Id, req: T.MapRequest): Promise<T.HostLunMapping> {
    const map = this.op('hostMapping', 'mapToHost');
    return this.locked([['host', sid, id]], () => map(sid, id, req));
  }
  async unmapFromHost(sid: T.Id, id: T.Id, req: T.UnmapRequest): Promise<void> {
    const unmap = this.op('hostMapping', 'unmapFromHost');
    return this.locked([['host', sid, id]], () => unmap(sid, id, req));
  }

  listHostGroups = (sid: T.Id, page: T.Page) =>
    this.collection('hostGroups', sid, () => this.op('hostGroups', 'listHostGroups')(sid, page));
  async mapToHostGroup(sid: T.Id, id: T.Id, req: T.MapRequest) {
    const map = this.op('hostGroups', 'mapToHostGroup');
    return this.locked([['hostgroup', sid, id]], () => map(sid, id, req));
  }

  listNetworks = (sid: T.Id, page: T.Page) => this.conn.listNetworks(sid, page);
  getNetwork = (sid: T.Id, id: T.Id) => this.conn.getNetwork(sid, id);

  listConsistencyGroups = (sid: T.Id, page: T.Page) =>
    this.collection('consistencyGroups', sid, () => this.op('consistencyGroups', 'listConsistencyGroups')(sid, page));
  getConsistencyGroup = (sid: T.Id, id: T.Id) =>
    this.member('consistencyGroups', sid, 'consistency group', id, () =>
      this.op('consistencyGroups', 'getConsistencyGroup')(sid, id),
    );
  async cgAddVolume(sid: T.Id, id: T.Id, req: T.CgAddVolumeRequest): Promise<T.ConsistencyGroup> {
    const add = this.op('consistencyGroups', 'cgAddVolume');
    return this.locked([['consistency group', sid, id]], () => add(sid, id, req));
  }
  async cgRemoveVolume(sid: T.Id, id: T.Id, req: T.CgRemoveVolumeRequest): Promise<T.ConsistencyGroup> {
    const remove = this.op('consistencyGroups', 'cgRemoveVolume');
    return this.locked([['consistency group', sid, id]], () => remove(sid, id, req));
  }
  async cgCondense(sid: T.Id, id: T.Id, req: T.CgCondenseRequest): Promise<void> {
    const condense = this.op('consistencyGroups', 'cgCondense');
    return this.locked([['consistency group', sid, id]], () => condense(sid, id, req));
  }
  async cgTakeSnapshot(sid: T.Id, id: T.Id, req: T.CgTakeSnapshotRequest): Promise<T.ConsistencyGroupSnapshot> {
    const take = this.op('consistencyGroups', 'cgTakeSnapshot');
    if (req.replicate) this.require('replication.consistencyGroup');
    return this.locked([['consistency group', sid, id]], () => take(sid, id, req));
  }
  async cgAddReplicationTarget(
    sid: T.Id,
    id: T.Id,
    req: T.CgAddReplicationTargetRequest,
  ): Promise<T.ReplicationTarget> {
    this.require('consistencyGroups');
    return this.op('replication.consistencyGroup', 'cgAddReplicationTarget')(sid, id, req);
  }
  listCgSnapshots = (sid: T.Id, id: T.Id, page: T.Page) =>
    this.member('consistencyGroups', sid, 'consistency group', id, () =>
      this.op('consistencyGroups', 'listCgSnapshots')(sid, id, page),
    );

  listRemoteArrays = (sid: T.Id, page: T.Page) =>
    this.collection('remoteArrays', sid, () => this.op('remoteArrays', 'listRemoteArrays')(sid, page));
}
