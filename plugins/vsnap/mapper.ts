/** vSnap records to CDM domain objects, and vSnap errors to StorageError. */
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { SINGLE_SERVER_ID } from '../shared/inventory';
import { VSNAP_ERROR, VsnapApiError } from './errors';
import type { VsnapHost, VsnapNetwork, VsnapPool, VsnapSnapshot, VsnapVolume } from './types';

/** vSnap has no virtual servers: the appliance is CDM's single server "0" (as the CDM guide prescribes). */
export const SERVER_ID = SINGLE_SERVER_ID;

export const num = (s: string | null | undefined): number => {
  const n = Number(s ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

const millis = (epochSeconds: string | null | undefined): number => num(epochSeconds) * 1000;

export const isLunType = (t: string): boolean => t === 'lun' || t === 'filebackedlun';

export function toVolume(v: VsnapVolume): T.Volume {
  const used = num(v.size_used);
  // A filesystem without a quota can grow into the pool: its size is what it holds plus what it may still take.
  const size = v.size_total !== null && v.size_total !== undefined ? num(v.size_total) : used + num(v.size_free);
  return {
    id: v.id,
    name: v.name,
    creationTime: millis(v.time_created),
    serverGroupKey: SERVER_ID,
    poolId: v.pool_id,
    volumeType: v.volume_type,
    stats: { size, usedSize: used },
    supports: {
      revert: true,
      // ZFS clones stay dependent on their origin snapshot and vSnap has no split call;
      // a volume that is not a clone has nothing to split from.
      split: v.is_clone ? 'NONE' : 'NOT_NEEDED',
      autoGrowVadpRep: false,
    },
    config: { thinProvisioned: true },
  };
}

export function toSnapshot(s: VsnapSnapshot): T.Snapshot {
  return {
    id: s.id,
    name: s.name,
    creationTime: millis(s.time_created),
    consistencyGroupSnapshotId: null,
    config: { groundCloneRequired: false },
  };
}

export function toPool(p: VsnapPool): T.Pool {
  return { id: p.id, name: p.name, freeSpace: num(p.size_free) };
}

/** LIO-style NAA id (registered extended, IEEE OUI 001405) derived from the volume's serial. */
export function naaOf(serial: string): string {
  const hex = serial
    .replace(/[^0-9a-fA-F]/g, '')
    .toLowerCase()
    .padEnd(25, '0');
  return `naa.6001405${hex.slice(0, 25)}`;
}

export function toLun(v: VsnapVolume, targetIqn: string | null): T.Lun {
  const serial = v.serial ?? v.id;
  return {
    id: v.id,
    name: v.name,
    serialNumber: serial,
    naaId: naaOf(serial),
    volumeId: v.id,
    privateIscsiTarget: targetIqn,
    volumeType: v.volume_type,
  };
}

export function toHost(h: VsnapHost): T.Host {
  const iqns = h.iqns ?? [];
  return {
    id: h.id,
    name: h.name,
    serverGroupKeys: [SERVER_ID],
    mappedLunIds: (h.mapped_luns ?? []).map((m) => m.vol_id),
    iqns,
    wwns: [],
    config: { fc: false, iscsi: iqns.length > 0 },
  };
}

export function toNetwork(n: VsnapNetwork, targetIqn: string | null): T.Network {
  const has = (s: string) => n.services.includes(s) || n.services.includes('all');
  return {
    id: n.id,
    name: n.name,
    ipAddress: n.ip4_addrs[0] ?? n.ip6_addrs[0] ?? null,
    wwpn: null,
    iqn: has('iscsi') ? targetIqn : null,
    serverGroupKey: SERVER_ID,
    config: { nfs: has('nfs'), cifs: has('smb'), iscsi: has('iscsi'), fc: false },
  };
}

/** "1.73x" -> 1.73 */
export function ratio(s: string | undefined): number {
  const n = parseFloat(s ?? '');
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/**
 * A vSnap error as the domain error CDM sees. `what` names the object the call was about, so a
 * 404 reads "volume '7' does not exist" rather than the appliance's own wording.
 */
export function fromVsnap(err: unknown, what?: { kind: string; id: string }): unknown {
  if (!(err instanceof VsnapApiError)) return err;
  const vendor = `the array said: ${err.message}`;
  switch (err.status) {
    case 400:
      return new StorageError('INVALID_ARGUMENT', vendor);
    case 401:
      return new StorageError('UNAUTHORIZED', 'the array refused the credentials');
    case 403:
      return new StorageError('FORBIDDEN', `the array refused the operation for this user (${err.message})`);
    case 404:
      return what
        ? new StorageError('NOT_FOUND', `${what.kind} '${what.id}' does not exist`)
        : new StorageError('NOT_FOUND', vendor);
    case 409:
      return new StorageError(err.type === VSNAP_ERROR.INSUFFICIENT_SPACE ? 'INSUFFICIENT_SPACE' : 'CONFLICT', vendor);
    default:
      return new StorageError('BACKEND_ERROR', `the array failed (HTTP ${err.status} ${err.type}): ${err.message}`);
  }
}
