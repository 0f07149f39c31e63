/**
 * Element records to CDM domain objects, Element errors to StorageError, and where the plugin keeps its
 * own facts on Element objects (one `cdm` key of their attributes) with CDM <-> Element volume names.
 */
import { StorageError, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { SINGLE_SERVER_ID } from '../shared/inventory';
import { ELEMENT_ERROR, ElementApiError, isNotFoundName } from './errors';
import type {
  ElementClusterInfo,
  ElementSnapshot,
  ElementVolume,
  ElementVolumeAccessGroup,
  ElementVolumeStats,
} from './types';

/**
 * Element attributes are free JSON, but a ModifyVolume with `attributes` replaces them all: the
 * plugin keeps everything under this one key and preserves every other key it finds.
 */
export const CDM_KEY = 'cdm';

/** Consistency group membership, as kept on each member volume and on each group snapshot taken of the group. */
export interface CgTag {
  id: string;
  name: string;
  /** Epoch ms when the group was made. */
  created: number;
  /** Paired clusters the members replicate to (add-replication-target); each member has a volume pair there. */
  targets?: { id: string; name: string; hostAddress: string }[];
}

export interface CdmAttributes {
  /** The name CDM asked for, when Element could not take it as is. */
  name?: string;
  consistencyGroup?: CgTag;
  /** Set on the volume access group the plugin made for a CDM host. */
  host?: boolean;
}

type Attributes = Record<string, unknown> | null | undefined;

export function cdmOf(attributes: Attributes): CdmAttributes {
  const value = attributes?.[CDM_KEY];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as CdmAttributes) : {};
}

/** The attributes with the `cdm` key patched (undefined fields removed); other keys untouched. */
export function withCdm(
  attributes: Attributes,
  patch: Partial<Record<keyof CdmAttributes, unknown>>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...cdmOf(attributes) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  const out: Record<string, unknown> = { ...(attributes ?? {}) };
  if (Object.keys(next).length === 0) delete out[CDM_KEY];
  else out[CDM_KEY] = next;
  return out;
}

/** Element volume names take only letters, digits and dashes, up to 64 (an underscore is refused). */
export function elementVolumeName(cdmName: string): string {
  const name = cdmName.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
  return name === '' ? 'volume' : name;
}

/** The name CDM knows a volume by: the one it asked for when kept, else Element's own. */
export function cdmVolumeName(v: { name: string; attributes?: Attributes }): string {
  return cdmOf(v.attributes).name ?? v.name;
}

/** Attributes for a new volume named `cdmName` (the CDM name is kept only when Element had to change it). */
export function nameAttributes(cdmName: string, base: Attributes = {}): Record<string, unknown> {
  return withCdm(base, { name: elementVolumeName(cdmName) === cdmName ? undefined : cdmName });
}

/** The cluster is CDM's single server "0" (Element has no virtual servers). */
export const SERVER_ID = SINGLE_SERVER_ID;
/** Element has no pools: all volumes share the cluster's drives, shown to CDM as this one pool. */
export const POOL_ID = 'cluster';
export const BLOCK_SIZE = 4096;
/** Every Element volume is block storage. */
export const VOLUME_TYPE = 'lun';

export const millis = (iso: string | null | undefined): number => {
  const ms = Date.parse(iso ?? '');
  return Number.isFinite(ms) ? ms : 0;
};

/** A CDM id as an Element integer id; anything else names nothing on this array. */
export function elementId(id: string, what: string): number {
  if (!/^[1-9]\d{0,14}$/.test(id)) throw notFound(what, id);
  return Number(id);
}

/**
 * `cloning`: a clone or copy is still writing this volume. It depends on its source snapshot until
 * then (split may be called and reports progress); afterwards it is a full, independent copy.
 */
export function toVolume(v: ElementVolume, stats: ElementVolumeStats | undefined, cloning: boolean): T.Volume {
  return {
    id: String(v.volumeID),
    name: cdmVolumeName(v),
    creationTime: millis(v.createTime),
    serverGroupKey: SERVER_ID,
    poolId: POOL_ID,
    volumeType: VOLUME_TYPE,
    stats: { size: v.totalSize, usedSize: (stats?.nonZeroBlocks ?? 0) * BLOCK_SIZE },
    supports: { revert: true, split: cloning ? 'ANY_TIME' : 'NOT_NEEDED', autoGrowVadpRep: false },
    config: { thinProvisioned: true },
  };
}

export function toSnapshot(s: ElementSnapshot): T.Snapshot {
  return {
    id: String(s.snapshotID),
    name: s.name,
    creationTime: millis(s.createTime),
    consistencyGroupSnapshotId: s.groupID ? String(s.groupID) : null,
    config: { groundCloneRequired: false },
  };
}

/** Each Element volume is its own iSCSI target (its IQN) carrying LUN 0; the LUN and the volume share an id. */
export function toLun(v: ElementVolume): T.Lun {
  return {
    id: String(v.volumeID),
    name: cdmVolumeName(v),
    serialNumber: v.scsiEUIDeviceID,
    naaId: `naa.${v.scsiNAADeviceID.toLowerCase()}`,
    volumeId: String(v.volumeID),
    privateIscsiTarget: v.iqn,
    volumeType: VOLUME_TYPE,
  };
}

/** The access group the plugin made for a CDM host (tagged in its attributes); any other group is a host group. */
export const isHostGroup = (g: ElementVolumeAccessGroup): boolean => cdmOf(g.attributes).host !== true;

export function toHost(g: ElementVolumeAccessGroup, mappedVolumeIds: number[]): T.Host {
  const iqns = g.initiators.filter((i) => !/^([0-9a-f]{2}:){7}[0-9a-f]{2}$|^[0-9a-f]{16}$/i.test(i));
  const wwns = g.initiators.filter((i) => !iqns.includes(i));
  return {
    id: String(g.volumeAccessGroupID),
    name: g.name,
    serverGroupKeys: [SERVER_ID],
    mappedLunIds: mappedVolumeIds.map(String),
    iqns,
    wwns,
    config: { fc: wwns.length > 0, iscsi: iqns.length > 0 },
  };
}

export function toNetworks(c: ElementClusterInfo): T.Network[] {
  const net = (id: string, name: string, ip: string, iscsi: boolean): T.Network => ({
    id,
    name,
    ipAddress: ip || null,
    wwpn: null,
    // Hosts discover one target per volume at the SVIP; they share this prefix.
    iqn: iscsi ? `iqn.2010-01.com.solidfire:${c.uniqueID}` : null,
    serverGroupKey: SERVER_ID,
    config: { nfs: false, cifs: false, iscsi, fc: false },
  });
  return [
    net('mvip', `management VIP (${c.mvipInterface ?? 'team1G'})`, c.mvip, false),
    net('svip', `storage VIP (${c.svipInterface ?? 'team10G'})`, c.svip, true),
  ];
}

/**
 * An Element error as the domain error CDM sees. `what` names the object the call was about, so
 * "does not exist" reads "volume '7' does not exist" rather than the cluster's wording.
 */
export function fromElement(err: unknown, what?: { kind: string; id: string }): unknown {
  if (!(err instanceof ElementApiError)) return err;
  const said = `the array said: ${err.message} (${err.errorName})`;
  const name = err.errorName;
  if (isNotFoundName(name)) return what ? notFound(what.kind, what.id) : new StorageError('NOT_FOUND', said);
  switch (name) {
    case ELEMENT_ERROR.MISSING_PARAMETER:
    case ELEMENT_ERROR.INVALID_PARAMETER:
    case ELEMENT_ERROR.INVALID_API_PARAMETER:
    case ELEMENT_ERROR.INVALID_PARAMETER_TYPE:
    case ELEMENT_ERROR.UNRECOGNIZED_ENUM_STRING:
    case ELEMENT_ERROR.EXCEEDED_LIMIT:
      return new StorageError('INVALID_ARGUMENT', said);
    case ELEMENT_ERROR.PERMISSION_DENIED:
      return new StorageError('FORBIDDEN', `the array refused the operation for this user: ${err.message}`);
    case ELEMENT_ERROR.CLONE_IN_PROGRESS:
      return new StorageError('CONFLICT', `${said}; wait until the clone or copy completes (see splitstatus)`, {
        retryAfter: 5,
      });
    case ELEMENT_ERROR.INITIATOR_EXISTS:
    case ELEMENT_ERROR.DUPLICATE_USERNAME:
    case ELEMENT_ERROR.VOLUME_ALREADY_PAIRED:
    case ELEMENT_ERROR.CLUSTER_PAIR_IN_USE:
      return new StorageError('CONFLICT', said);
    case ELEMENT_ERROR.REMOTE_CLUSTER_UNREACHABLE:
      return new StorageError('BACKEND_UNAVAILABLE', `the paired cluster cannot be reached: ${err.message}`, {
        retryAfter: 5,
      });
    case ELEMENT_ERROR.CLUSTER_FULL:
      return new StorageError('INSUFFICIENT_SPACE', said);
    case ELEMENT_ERROR.DB_VERSION_MISMATCH:
    case ELEMENT_ERROR.NOT_READY_FOR_IO:
    case ELEMENT_ERROR.SLICE_NOT_REGISTERED:
      return new StorageError('BACKEND_UNAVAILABLE', `the array is busy and asked to try again: ${err.message}`, {
        retryAfter: 5,
      });
    default:
      return new StorageError('BACKEND_ERROR', `the array failed (${name}): ${err.message}`);
  }
}
