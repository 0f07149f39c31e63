// Volumes: CreateVolume, the List methods (paged by start id and limit), stats, ModifyVolume, delete, restore and
// purge.
import { randomUUID } from 'node:crypto';
import { exceeded, invalid } from '../errors';
import { VOLUME_NAME } from '../state/ids';
import { abandonJobsInto, assertIdle } from '../state/jobs';
import { purgeScheduled, purgeVolume } from '../state/lifecycle';
import type { Qos, VolumeAccess, VolumeRecord } from '../state/model';
import { type Params, int, oneOf, optAttributes, optBool, optInt, optIntList, optStr, str } from '../params';
import { ensureProvisionable } from '../state/space';
import { type ElementState, MiB } from '../state/state';
import { QOS_CURVE, volumeStatsView, volumeView } from '../views';
import type { MethodTable } from './types';

const MAX_VOLUME_BYTES = 16 * 1024 ** 4;
const ACCESS: readonly VolumeAccess[] = ['readWrite', 'readOnly', 'locked', 'replicationTarget'];

export function checkVolumeName(name: string): string {
  if (!VOLUME_NAME.test(name)) throw invalid(`Invalid volume name '${name}': use 1 to 64 letters, digits and dashes`);
  return name;
}

/** Element rounds sizes up to a whole MiB and refuses volumes above 16 TiB. */
export function checkSize(bytes: number, key = 'totalSize'): number {
  if (bytes <= 0) throw invalid(`Parameter '${key}' must be positive`);
  const rounded = Math.ceil(bytes / MiB) * MiB;
  if (rounded > MAX_VOLUME_BYTES)
    throw exceeded(`Parameter '${key}' exceeds the largest volume size of ${MAX_VOLUME_BYTES} bytes`);
  return rounded;
}

export const DEFAULT_QOS: Qos = { minIOPS: 50, maxIOPS: 15000, burstIOPS: 15000, burstTime: 60 };

/** QoS limits as Element enforces them: 50 <= min <= 15000, min <= max <= burst <= 200000. */
export function qosFrom(p: Params, base: Qos): Qos {
  const raw = p.qos;
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid("Parameter 'qos' must be an object");
  const q = raw as Params;
  const next = {
    ...base,
    minIOPS: optInt(q, 'minIOPS') ?? base.minIOPS,
    maxIOPS: optInt(q, 'maxIOPS') ?? base.maxIOPS,
    burstIOPS: optInt(q, 'burstIOPS') ?? base.burstIOPS,
  };
  if (next.minIOPS < 50 || next.minIOPS > 15000) throw invalid('qos.minIOPS must be between 50 and 15000');
  if (next.maxIOPS < next.minIOPS || next.burstIOPS < next.maxIOPS || next.burstIOPS > 200000)
    throw invalid('qos must satisfy minIOPS <= maxIOPS <= burstIOPS <= 200000');
  return next;
}

export function newVolume(
  state: ElementState,
  fields: Omit<VolumeRecord, 'volumeID' | 'volumeUUID' | 'createTime' | 'status' | 'deleteTime' | 'purgeTime'>,
): VolumeRecord {
  const volume: VolumeRecord = {
    ...fields,
    volumeID: state.nextId('volume'),
    volumeUUID: randomUUID(),
    createTime: state.now(),
    status: 'active',
    deleteTime: null,
    purgeTime: null,
  };
  state.volumes.set(volume.volumeID, volume);
  return volume;
}

/** Volumes in id order from startVolumeID, at most `limit` of them. */
/**
 * The volumes matching `keep`, from startVolumeID on, at most `limit` of them, by volume id. Volumes
 * enter the map in id order, so the walk stops once the page is full: like the cluster's index, a page
 * costs what it holds, not the number of volumes. (Should the map ever be out of order, it sorts.)
 */
function page(
  volumes: Iterable<VolumeRecord>,
  p: Params,
  keep: (v: VolumeRecord) => boolean = () => true,
): VolumeRecord[] {
  const start = optInt(p, 'startVolumeID') ?? 0;
  const limit = optInt(p, 'limit');
  if (limit !== undefined && limit < 1) throw invalid("Parameter 'limit' must be at least 1");
  const out: VolumeRecord[] = [];
  let last = -Infinity;
  for (const v of volumes) {
    if (v.volumeID < last)
      return [...volumes]
        .filter((x) => x.volumeID >= start && keep(x))
        .sort((a, b) => a.volumeID - b.volumeID)
        .slice(0, limit);
    last = v.volumeID;
    if (v.volumeID < start || !keep(v)) continue;
    if (limit !== undefined && out.length === limit) break;
    out.push(v);
  }
  return out;
}

/**
 * ListActiveVolumes as a cluster serves it, from its index by id: volumes are looked up from startVolumeID on, so a
 * page costs what it holds, not how far into the list it starts. A list with many gaps (mass purges) is scanned.
 */
function pageFromIndex(state: ElementState, p: Params, keep: (v: VolumeRecord) => boolean): VolumeRecord[] {
  const start = Math.max(1, optInt(p, 'startVolumeID') ?? 0);
  const limit = optInt(p, 'limit');
  if (limit === undefined || limit < 1) return page(state.volumes.values(), p, keep);
  const out: VolumeRecord[] = [];
  for (let id = start, probes = 0; id <= state.counters.volume && out.length < limit; id++, probes++) {
    if (probes > 4 * limit + 1000) return page(state.volumes.values(), p, keep);
    const v = state.volumes.get(id);
    if (v && keep(v)) out.push(v);
  }
  return out;
}

export const volumeMethods: MethodTable = {
  CreateVolume: {
    run: ({ state }, p) => {
      const name = checkVolumeName(str(p, 'name'));
      const account = state.account(int(p, 'accountID'));
      const totalSize = checkSize(int(p, 'totalSize'));
      ensureProvisionable(state, totalSize);
      const volume = newVolume(state, {
        name,
        accountID: account.accountID,
        totalSize,
        enable512e: optBool(p, 'enable512e') ?? true,
        access: oneOf(p, 'access', ACCESS) ?? 'readWrite',
        qos: qosFrom(p, DEFAULT_QOS),
        attributes: optAttributes(p) ?? {},
        content: state.store.newMap(),
      });
      state.changed();
      return { volumeID: volume.volumeID, volume: volumeView(state, volume), curve: QOS_CURVE };
    },
  },
  ListVolumes: {
    run: ({ state }, p) => {
      const status = oneOf(p, 'volumeStatus', ['creating', 'snapshotting', 'active', 'deleted'] as const);
      const ids = optIntList(p, 'volumeIDs');
      const accounts = optIntList(p, 'accounts');
      const name = optStr(p, 'volumeName');
      // Naming a volume that does not exist is an error, not an empty answer.
      for (const id of ids ?? []) state.anyVolume(id);
      const keep = (v: VolumeRecord) =>
        (status === undefined || v.status === status) &&
        (ids === undefined || ids.includes(v.volumeID)) &&
        (accounts === undefined || accounts.includes(v.accountID)) &&
        (name === undefined || v.name === name);
      // Asked by id: look those up rather than walk every volume.
      const candidates =
        ids === undefined
          ? state.volumes.values()
          : [...new Set(ids)].sort((a, b) => a - b).map((id) => state.anyVolume(id));
      return { volumes: page(candidates, p, keep).map((v) => volumeView(state, v)) };
    },
  },
  ListActiveVolumes: {
    run: ({ state }, p) => ({
      volumes: pageFromIndex(state, p, (v) => v.status === 'active').map((v) => volumeView(state, v)),
    }),
  },
  ListDeletedVolumes: {
    run: ({ state }) => ({
      volumes: page(state.volumes.values(), {}, (v) => v.status === 'deleted').map((v) => volumeView(state, v)),
    }),
  },
  ListVolumesForAccount: {
    run: ({ state }, p) => {
      const account = state.account(int(p, 'accountID'));
      return {
        volumes: page(state.volumes.values(), p, (v) => v.accountID === account.accountID).map((v) =>
          volumeView(state, v),
        ),
      };
    },
  },
  GetVolumeStats: {
    run: ({ state }, p) => ({ volumeStats: volumeStatsView(state, state.volume(int(p, 'volumeID'))) }),
  },
  ListVolumeStats: {
    since: 11.0,
    // Without volumeIDs: every active volume, as ListVolumeStatsByVolume answers.
    run: ({ state }, p) => {
      const ids = optIntList(p, 'volumeIDs');
      const volumes = ids
        ? ids.map((id) => state.volume(id))
        : page(state.volumes.values(), {}, (v) => v.status === 'active');
      return { volumeStats: volumes.map((v) => volumeStatsView(state, v)) };
    },
  },
  ListVolumeStatsByVolume: {
    run: ({ state }) => ({
      volumeStats: page(state.volumes.values(), {}, (v) => v.status === 'active').map((v) => volumeStatsView(state, v)),
    }),
  },
  ModifyVolume: {
    run: ({ state }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      const accountID = optInt(p, 'accountID');
      if (accountID !== undefined) volume.accountID = state.account(accountID).accountID;
      volume.access = oneOf(p, 'access', ACCESS) ?? volume.access;
      volume.attributes = optAttributes(p) ?? volume.attributes;
      volume.qos = qosFrom(p, volume.qos);
      const size = optInt(p, 'totalSize');
      if (size !== undefined) {
        const rounded = checkSize(size);
        if (rounded < volume.totalSize)
          throw invalid(`Volume ${volume.volumeID} cannot shrink from ${volume.totalSize} to ${rounded} bytes`);
        ensureProvisionable(state, rounded - volume.totalSize);
        volume.totalSize = rounded;
      }
      state.changed();
      return { volume: volumeView(state, volume), curve: QOS_CURVE };
    },
  },
  DeleteVolume: {
    run: async ({ state, replication }, p) => {
      const volume = state.volume(int(p, 'volumeID'));
      assertIdle(state, { volumeID: volume.volumeID }, `delete volume ${volume.volumeID}`);
      abandonJobsInto(state, volume.volumeID);
      volume.status = 'deleted';
      volume.deleteTime = state.now();
      volume.purgeTime = volume.deleteTime + state.settings.purgeDelayMs;
      purgeScheduled(state, volume.purgeTime);
      for (const g of state.groupsOfVolume(volume.volumeID)) {
        g.volumes = g.volumes.filter((id) => id !== volume.volumeID);
        g.deletedVolumes.push(volume.volumeID);
      }
      state.changed();
      // A paired volume holds its pair: both sides show PausedMisconfigured until it is restored or purged.
      const pair = state.pairOfVolume(volume.volumeID);
      if (pair) await replication.tellPartner(pair, 'deleted');
      return { volume: volumeView(state, volume) };
    },
  },
  RestoreDeletedVolume: {
    run: async ({ state, replication }, p) => {
      const volume = state.anyVolume(int(p, 'volumeID'));
      if (volume.status !== 'deleted') throw invalid(`Volume ${volume.volumeID} is not deleted`);
      volume.status = 'active';
      volume.deleteTime = null;
      volume.purgeTime = null;
      for (const g of state.volumeAccessGroups.values()) {
        if (!g.deletedVolumes.includes(volume.volumeID)) continue;
        g.deletedVolumes = g.deletedVolumes.filter((id) => id !== volume.volumeID);
        g.volumes.push(volume.volumeID);
      }
      state.changed();
      const pair = state.pairOfVolume(volume.volumeID);
      if (pair) await replication.tellPartner(pair, 'restored');
      return {};
    },
  },
  PurgeDeletedVolume: {
    run: async ({ state }, p) => {
      const volume = state.anyVolume(int(p, 'volumeID'));
      if (volume.status !== 'deleted') throw invalid(`Volume ${volume.volumeID} is not deleted: DeleteVolume it first`);
      const told = purgeVolume(state, volume);
      state.changed();
      await told;
      return {};
    },
  },
  PurgeDeletedVolumes: {
    run: async ({ state }, p) => {
      const ids =
        optIntList(p, 'volumeIDs') ??
        [...state.volumes.values()].filter((v) => v.status === 'deleted').map((v) => v.volumeID);
      const volumes = ids.map((id) => state.anyVolume(id));
      for (const v of volumes)
        if (v.status !== 'deleted') throw invalid(`Volume ${v.volumeID} is not deleted: DeleteVolume it first`);
      const told = volumes.map((v) => purgeVolume(state, v));
      state.changed();
      await Promise.all(told);
      return {};
    },
  },
};
