/**
 * ONTAP records to CDM domain objects (SVMs as servers, aggregates as pools, FlexVol volumes, LUNs, igroups as hosts
 * and host groups, LIFs), and ONTAP errors to StorageError.
 */
import type { ServerBase } from '../../src/backend';
import { StorageError } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { ONTAP_ERROR, OntapApiError } from './errors';
import type {
  OntapAggregate,
  OntapCgSnapshot,
  OntapConsistencyGroup,
  OntapFcInterface,
  OntapIgroup,
  OntapIpInterface,
  OntapLun,
  OntapService,
  OntapSnapshot,
  OntapSvm,
  OntapVolume,
} from './types';

const num = (n: number | undefined): number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
/** ISO-8601 times to epoch ms (0 when the cluster did not say). */
export const millis = (iso: string | undefined): number => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? t : 0;
};

/** "9.14.1" from the cluster's version record. */
export function versionOf(
  v: { full?: string; generation?: number; major?: number; minor?: number } | undefined,
): string {
  if (v?.generation !== undefined) return `${v.generation}.${v.major ?? 0}.${v.minor ?? 0}`;
  return v?.full ?? 'unknown';
}

export function toServer(svm: OntapSvm, nfs: OntapService | undefined, iscsi: OntapService | undefined): ServerBase {
  return {
    id: svm.uuid,
    name: svm.name,
    config: {
      isDpDestination: svm.subtype === 'dp_destination' || svm.subtype === 'sync_destination',
      isNfsServiceEnabled: Boolean(nfs?.enabled) && nfs?.state !== 'offline',
      isIscsiServiceEnabled: Boolean(iscsi?.enabled),
      isIncrementalConsistencyGroup: false,
    },
  };
}

export function toPool(a: OntapAggregate): T.Pool {
  return { id: a.uuid, name: a.name, freeSpace: num(a.space?.block_storage?.available) };
}

/**
 * A FlexVol volume. It is a 'lun' volume when it holds LUNs (SAN), a 'filesystem' otherwise (NAS).
 * A FlexClone can be split at any time; any other volume has nothing to split from.
 */
export function toVolume(v: OntapVolume, holdsLuns: boolean): T.Volume {
  return {
    id: v.uuid,
    name: v.name,
    creationTime: millis(v.create_time),
    serverGroupKey: v.svm?.uuid ?? '',
    poolId: v.aggregates?.[0]?.uuid ?? '',
    volumeType: holdsLuns ? 'lun' : 'filesystem',
    stats: { size: num(v.space?.size ?? v.size), usedSize: num(v.space?.used) },
    supports: {
      // A data-protection volume takes its content from SnapMirror: it cannot be reverted locally.
      revert: v.type !== 'dp',
      split: v.clone?.is_flexclone ? 'ANY_TIME' : 'NOT_NEEDED',
      autoGrowVadpRep: false,
    },
    config: { thinProvisioned: v.guarantee?.type === 'none' },
  };
}

export function toSnapshot(s: OntapSnapshot, cgSnapshotId: string | null = null): T.Snapshot {
  return {
    id: s.uuid,
    name: s.name,
    creationTime: millis(s.create_time),
    consistencyGroupSnapshotId: cgSnapshotId,
    config: { groundCloneRequired: false },
  };
}

/** NetApp's NAA id: registered extended (6), IEEE OUI 00a098, then the LUN serial number in hex. */
export function naaOf(serial: string): string {
  return `naa.600a0980${Buffer.from(serial, 'ascii').toString('hex')}`.slice(0, 36);
}

export function toLun(l: OntapLun, iscsiTarget: string | null): T.Lun {
  const serial = l.serial_number ?? '';
  return {
    id: l.uuid,
    name: l.name,
    serialNumber: serial,
    naaId: naaOf(serial),
    volumeId: l.location?.volume?.uuid ?? '',
    privateIscsiTarget: iscsiTarget,
    volumeType: 'lun',
  };
}

const WWPN = /^([0-9a-f]{2}:){7}[0-9a-f]{2}$/i;

export function toHost(g: OntapIgroup): T.Host {
  const names = (g.initiators ?? []).map((i) => i.name);
  const wwns = names.filter((n) => WWPN.test(n));
  const iqns = names.filter((n) => !WWPN.test(n));
  return {
    id: g.uuid,
    name: g.name,
    serverGroupKeys: g.svm ? [g.svm.uuid] : [],
    mappedLunIds: (g.lun_maps ?? []).map((m) => m.lun.uuid),
    iqns,
    wwns,
    config: { fc: wwns.length > 0, iscsi: iqns.length > 0 },
  };
}

/** An igroup that nests other igroups (ONTAP 9.9+) is a host group; its children are its hosts. */
export const isHostGroup = (g: OntapIgroup): boolean => (g.igroups ?? []).length > 0;

export function toHostGroup(g: OntapIgroup): T.HostGroup {
  return { id: g.uuid, name: g.name, hostIds: (g.igroups ?? []).map((c) => c.uuid) };
}

export function toIpNetwork(i: OntapIpInterface, iscsiTarget: string | null): T.Network {
  const has = (s: string) => (i.services ?? []).includes(s);
  return {
    id: i.uuid,
    name: i.name,
    ipAddress: i.ip?.address ?? null,
    wwpn: null,
    iqn: has('data_iscsi') ? iscsiTarget : null,
    serverGroupKey: i.svm?.uuid ?? '',
    config: { nfs: has('data_nfs'), cifs: has('data_cifs'), iscsi: has('data_iscsi'), fc: false },
  };
}

export function toFcNetwork(i: OntapFcInterface): T.Network {
  return {
    id: i.uuid,
    name: i.name,
    ipAddress: null,
    wwpn: i.wwpn ?? null,
    iqn: null,
    serverGroupKey: i.svm?.uuid ?? '',
    config: { nfs: false, cifs: false, iscsi: false, fc: true },
  };
}

export function toConsistencyGroup(cg: OntapConsistencyGroup): T.ConsistencyGroup {
  return {
    id: cg.uuid,
    name: cg.name,
    creationTime: millis(cg.create_time),
    volumeIds: (cg.volumes ?? []).map((v) => v.uuid),
    // No group is incremental; replicationTarget says a group is itself a destination, which CDM groups never are
    // (targets are added by getConsistencyGroup).
    config: { incremental: false, replicationTarget: false },
  };
}

export const toCgSnapshot = (s: OntapCgSnapshot): T.ConsistencyGroupSnapshot => ({ id: s.uuid, name: s.name });

/** Codes that mean "the state of the object forbids it" (HTTP 409 in the contract). */
const CONFLICT_CODES: ReadonlySet<string> = new Set([
  ONTAP_ERROR.DUPLICATE_ENTRY,
  ONTAP_ERROR.SNAPSHOT_BUSY,
  ONTAP_ERROR.VOLUME_BUSY,
  ONTAP_ERROR.LUN_ALREADY_EXISTS,
  ONTAP_ERROR.LUN_MAP_EXISTS,
  ONTAP_ERROR.LUN_NUMBER_IN_USE,
  ONTAP_ERROR.LUN_MAPPED,
  ONTAP_ERROR.VOLUME_HAS_CLONES,
  ONTAP_ERROR.NOT_A_FLEXCLONE,
  ONTAP_ERROR.SPLIT_IN_PROGRESS,
  ONTAP_ERROR.VOLUME_IN_CONSISTENCY_GROUP,
  ONTAP_ERROR.CONSISTENCY_GROUP_SNAPSHOT_EXISTS,
  ONTAP_ERROR.POLICY_IN_USE,
  ONTAP_ERROR.POLICY_RELATIONSHIP_CONFLICT,
]);

/** Codes that mean "a value in the request is not acceptable". */
const INVALID_CODES: ReadonlySet<string> = new Set([
  ONTAP_ERROR.UNEXPECTED_ARGUMENT,
  ONTAP_ERROR.FIELD_REQUIRED,
  ONTAP_ERROR.INVALID_FIELD_VALUE,
  ONTAP_ERROR.INVALID_ENTRY,
  ONTAP_ERROR.VOLUME_TOO_SMALL,
  ONTAP_ERROR.POLICY_INVALID_INPUT,
]);

export interface What {
  kind: string;
  id: string;
}

/**
 * An ONTAP error as the domain error CDM sees. `what` names the object the call was about, so
 * "entry doesn't exist" reads "volume 'x' does not exist".
 */
export function fromOntap(err: unknown, what?: What): unknown {
  if (!(err instanceof OntapApiError)) return err;
  const vendor = `the array said: ${err.message}${err.code ? ` (code ${err.code})` : ''}`;
  if (err.status === 401) return new StorageError('UNAUTHORIZED', 'the array refused the credentials');
  if (err.status === 403)
    return new StorageError('FORBIDDEN', `the array refused the operation for this user (${err.message})`);
  if (err.code === ONTAP_ERROR.ENTRY_DOESNT_EXIST || err.status === 404) {
    return what
      ? new StorageError('NOT_FOUND', `${what.kind} '${what.id}' does not exist`)
      : new StorageError('NOT_FOUND', vendor);
  }
  if (err.code === ONTAP_ERROR.NO_SPACE) return new StorageError('INSUFFICIENT_SPACE', vendor);
  if (CONFLICT_CODES.has(err.code) || err.status === 409) return new StorageError('CONFLICT', vendor);
  if (INVALID_CODES.has(err.code) || err.status === 400) return new StorageError('INVALID_ARGUMENT', vendor);
  if (err.jobUuid)
    return new StorageError(
      'BACKEND_ERROR',
      `the array's job ${err.jobUuid} failed: ${err.message} (code ${err.code})`,
    );
  return new StorageError(
    'BACKEND_ERROR',
    `the array failed (HTTP ${err.status}, code ${err.code || 'none'}): ${err.message}`,
  );
}
