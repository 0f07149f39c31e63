/** ONTAP records to CDM domain objects: SVMs as servers, aggregates as pools, FlexVol volumes, LUNs, igroups as hosts and host groups, LIFs. */
import type { ServerBase } from '../../src/backend';
import type * as T from '../../src/domain/types';
import type { OntapAggregate, OntapCgSnapshot, OntapConsistencyGroup, OntapFcInterface, OntapIgroup, OntapIpInterface, OntapLun, OntapService, OntapSnapshot, OntapSvm, OntapVolume } from './types';

const num = (n: number | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
/** ISO-8601 times to epoch ms (0 when the cluster did not say). */
export const millis = (iso: string | undefined): number => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? t : 0;
};

/** "9.14.1" from the cluster's version record. */
export function versionOf(v: { full?: string; generation?: number; major?: number; minor?: number } | undefined): string {
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
  return { id: s.uuid, name: s.name, creationTime: millis(s.create_time), consistencyGroupSnapshotId: cgSnapshotId, config: { groundCloneRequired: false } };
}

/** NetApp's NAA id: registered extended (6), IEEE OUI 00a098, then the LUN serial number in hex. */
export function naaOf(serial: string): string {
  return `naa.600a0980${Buffer.from(serial, 'ascii').toString('hex')}`.slice(0, 36);
}

export function toLun(l: OntapLun, iscsiTarget: string | null): T.Lun {
  const serial = l.serial_number ?? '';
  return { id: l.uuid, name: l.name, serialNumber: serial, naaId: naaOf(serial), volumeId: l.location?.volume?.uuid ?? '', privateIscsiTarget: iscsiTarget, volumeType: 'lun' };
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
  return { id: i.uuid, name: i.name, ipAddress: null, wwpn: i.wwpn ?? null, iqn: null, serverGroupKey: i.svm?.uuid ?? '', config: { nfs: false, cifs: false, iscsi: false, fc: true } };
}

export function toConsistencyGroup(cg: OntapConsistencyGroup): T.ConsistencyGroup {
  return {
    id: cg.uuid,
    name: cg.name,
    creationTime: millis(cg.create_time),
    volumeIds: (cg.volumes ?? []).map((v) => v.uuid),
    // No group is incremental; replicationTarget says a group is itself a destination, which CDM groups never are (targets are added by getConsistencyGroup).
    config: { incremental: false, replicationTarget: false },
  };
}

export const toCgSnapshot = (s: OntapCgSnapshot): T.ConsistencyGroupSnapshot => ({ id: s.uuid, name: s.name });
