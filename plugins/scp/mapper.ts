/**
 * SCP records to CDM domain objects, SCP errors to StorageError, and the CDM names of volumes and snapshots (the
 * service names them itself, so the names CDM gave are kept beside it).
 */
import type { NameStore } from '../../src/backend';
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { SINGLE_SERVER_ID } from '../shared/inventory';
import { SCP_STATUS, ScpApiError } from './errors';
import type { ScpSnapshot, ScpVolume, ScpVolumeDetail } from './types';

/** The account's file storage in the session's region is CDM's single server "0". */
export const SERVER_ID = SINGLE_SERVER_ID;

/**
 * File Storage volumes have no size: they grow as data is written, up to the service's default allocation of 100 TB
 * per volume. CDM's `size` of a volume is that allocation.
 */
export const VOLUME_ALLOCATION_BYTES = 100 * 1024 ** 4;

/** The disk types, which are CDM's pools. */
export const DISK_TYPES = ['HDD', 'SSD', 'HighPerformanceSSD'] as const;

/** API times are UTC without a zone (`2024-07-30T04:54:33.219373`). */
export function millis(t: string | null | undefined): number {
  if (!t) return 0;
  const n = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The name the API is asked for (`^[a-z]([a-z0-9_]){2,20}$`) for a CDM name: lowercase, every run of other
 * characters one `_`, a leading letter, 3 to 21 characters. The service then appends six characters of its own; the
 * CDM name itself is kept in the name store.
 */
export function scpVolumeName(cdm: string): string {
  let s = cdm
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(s)) s = `v${s}`;
  return s.slice(0, 21).padEnd(3, '_');
}

export function toVolume(v: ScpVolume | ScpVolumeDetail, name: string): T.Volume {
  return {
    id: v.id,
    name,
    creationTime: millis(v.created_at),
    serverGroupKey: SERVER_ID,
    poolId: v.type_name,
    volumeType: 'filesystem',
    stats: { size: VOLUME_ALLOCATION_BYTES, usedSize: ('usage' in v ? v.usage : 0) ?? 0 },
    supports: {
      // A replica is read-only until its replication is deleted.
      revert: v.purpose === 'NORMAL',
      // A volume made from a snapshot is a volume of its own: nothing to split.
      split: 'NOT_NEEDED',
      autoGrowVadpRep: false,
    },
    config: { thinProvisioned: true },
  };
}

export function toSnapshot(s: ScpSnapshot, name: string): T.Snapshot {
  return {
    id: s.id,
    name,
    creationTime: millis(s.created_at),
    consistencyGroupSnapshotId: null,
    config: { groundCloneRequired: false },
  };
}

/**
 * CDM names of the account's volumes (by volume id) and snapshots (by the service's snapshot name, which a replica
 * keeps, so a replicated snapshot has its CDM name in the other region too). An object without one shows the
 * service's own name.
 */
export class CdmNames {
  constructor(
    private readonly store: NameStore,
    private readonly accountId: string,
  ) {}

  private vkey = (id: string) => `scp:${this.accountId}:volume:${id}`;
  private skey = (scpName: string) => `scp:${this.accountId}:snapshot:${scpName}`;

  async volumes(vols: { id: string; name: string }[]): Promise<string[]> {
    const got = await this.store.get(vols.map((v) => this.vkey(v.id)));
    return vols.map((v, i) => got[i] ?? v.name);
  }
  async snapshots(snaps: { name: string }[]): Promise<string[]> {
    const got = await this.store.get(snaps.map((s) => this.skey(s.name)));
    return snaps.map((s, i) => got[i] ?? s.name);
  }
  setVolume = (id: string, name: string) => this.store.set(this.vkey(id), name);
  setSnapshot = (scpName: string, name: string) => this.store.set(this.skey(scpName), name);
  forgetVolume = (id: string) => this.store.remove(this.vkey(id));
  forgetSnapshot = (scpName: string) => this.store.remove(this.skey(scpName));
}

/**
 * An SCP error as the domain error CDM sees. `what` names the object the call was about, so a 404 reads "volume 'x'
 * does not exist" rather than the service's wording.
 */
export function fromScp(err: unknown, what?: { kind: string; id: string }): unknown {
  if (!(err instanceof ScpApiError)) return err;
  const said = `the service said: ${err.message}`;
  switch (err.status) {
    case SCP_STATUS.VALIDATION:
      return new StorageError('INVALID_ARGUMENT', said, {
        details: err.errors.map((e) => ({ path: (e.loc ?? []).slice(1).join('.'), message: e.msg ?? 'invalid' })),
      });
    case SCP_STATUS.UNAUTHORIZED:
      return new StorageError('UNAUTHORIZED', `the service refused the credentials (${err.message})`);
    case SCP_STATUS.FORBIDDEN:
      return new StorageError('FORBIDDEN', `the service refused the operation for this key (${err.message})`);
    case SCP_STATUS.NOT_FOUND:
      return what
        ? new StorageError('NOT_FOUND', `${what.kind} '${what.id}' does not exist`)
        : new StorageError('NOT_FOUND', said);
    case SCP_STATUS.CONFLICT:
      return new StorageError('CONFLICT', said);
    case SCP_STATUS.UNAVAILABLE:
      return new StorageError('BACKEND_UNAVAILABLE', said, { retryAfter: 5 });
    default:
      return new StorageError('BACKEND_ERROR', `the service failed (HTTP ${err.status}): ${err.message}`);
  }
}
