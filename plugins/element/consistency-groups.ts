/**
 * CDM consistency groups on Element, which has group snapshots but no group object: membership is a
 * tag in each member volume's attributes (and on every group snapshot taken of the group), so it lives
 * on the array, survives plugin restarts and is the same for every plugin instance. A group exists
 * while a volume or a group snapshot carries its tag. add-replication-target gives every member a
 * replica volume on the paired cluster (same CDM name and size, access replicationTarget) and a
 * SnapshotsOnly volume pair to it, as an administrator would set it up, and records the target in the tag.
 */
import { randomBytes } from 'node:crypto';
import { StorageError, notFound, unsupported } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import {
  type CgTag,
  POOL_ID,
  cdmOf,
  cdmVolumeName,
  elementId,
  elementVolumeName,
  millis,
  nameAttributes,
  withCdm,
} from './mapper';
import { hostAddressOf, pairedClusters, sourcePairOf, splitHostAddress } from './replication';
import type { ElementClusterPair, ElementGroupSnapshot, ElementVolume } from './types';

export interface Group {
  tag: CgTag;
  volumes: ElementVolume[];
  snapshots: ElementGroupSnapshot[];
}

/** A fresh group id: random, so two plugin instances never make the same one. */
export const newGroupId = (): string => `cg-${randomBytes(6).toString('hex')}`;

function toGroup(g: Group): T.ConsistencyGroup {
  return {
    id: g.tag.id,
    name: g.tag.name,
    creationTime: g.tag.created,
    volumeIds: g.volumes.map((v) => String(v.volumeID)),
    config: { incremental: false, replicationTarget: false },
    targets: g.tag.targets ?? [],
  };
}

/** Every group on the array, from one volume listing and one group snapshot listing. */
async function allGroups(api: ElementApi): Promise<Map<string, Group>> {
  const [volumes, snapshots] = await Promise.all([api.allActiveVolumes(), api.groupSnapshots()]);
  const groups = new Map<string, Group>();
  const groupOf = (tag: CgTag) => {
    let g = groups.get(tag.id);
    if (!g) groups.set(tag.id, (g = { tag, volumes: [], snapshots: [] }));
    return g;
  };
  for (const v of volumes) {
    const tag = cdmOf(v.attributes).consistencyGroup;
    if (tag?.id) groupOf(tag).volumes.push(v);
  }
  for (const s of snapshots) {
    const tag = cdmOf(s.attributes).consistencyGroup;
    if (tag?.id) groupOf(tag).snapshots.push(s);
  }
  return groups;
}

export async function group(api: ElementApi, cgId: string): Promise<Group> {
  const g = (await allGroups(api)).get(cgId);
  if (!g) throw notFound('consistency group', cgId);
  return g;
}

/** Oldest first by creation time, then by id (ids grow with creation). */
const byAge = (a: ElementGroupSnapshot, b: ElementGroupSnapshot) =>
  millis(a.createTime) - millis(b.createTime) || a.groupSnapshotID - b.groupSnapshotID;

export async function listConsistencyGroups(api: ElementApi, page: T.Page): Promise<T.ConsistencyGroup[]> {
  const groups = [...(await allGroups(api)).values()].sort(
    (a, b) => a.tag.created - b.tag.created || a.tag.id.localeCompare(b.tag.id),
  );
  return applyPage(groups, page).map(toGroup);
}

export const getConsistencyGroup = async (api: ElementApi, cgId: string) => toGroup(await group(api, cgId));

/**
 * Tags the volumes as members (what the fixture, or an administrator through the Element API, does to make a group).
 */
export async function tagVolumes(api: ElementApi, tag: CgTag, volumes: ElementVolume[]): Promise<void> {
  for (const v of volumes)
    await api.modifyVolume(v.volumeID, { attributes: withCdm(v.attributes, { consistencyGroup: tag }) });
}

export async function cgAddVolume(
  api: ElementApi,
  cgId: string,
  req: T.CgAddVolumeRequest,
): Promise<T.ConsistencyGroup> {
  const g = await group(api, cgId);
  if (req.isIncremental) throw unsupported('NetApp Element does not support incremental consistency groups');
  if (req.poolId !== undefined && req.poolId !== POOL_ID) throw notFound('pool', req.poolId);
  const volume = await api.volume(elementId(req.volumeId, 'volume'));
  const current = cdmOf(volume.attributes).consistencyGroup;
  if (current?.id === cgId) return toGroup(g);
  if (current?.id)
    throw new StorageError(
      'CONFLICT',
      `volume '${req.volumeId}' is already in consistency group '${current.name}' (${current.id})`,
    );
  await tagVolumes(api, g.tag, [volume]);
  return toGroup({ ...g, volumes: [...g.volumes, volume] });
}

export async function cgRemoveVolume(
  api: ElementApi,
  cgId: string,
  req: T.CgRemoveVolumeRequest,
): Promise<T.ConsistencyGroup> {
  const g = await group(api, cgId);
  const leaving = req.volumeIds.map((id) => {
    const v = g.volumes.find((m) => String(m.volumeID) === id);
    if (!v) throw notFound(`volume of consistency group '${cgId}'`, id);
    return v;
  });
  for (const v of leaving)
    await api.modifyVolume(v.volumeID, { attributes: withCdm(v.attributes, { consistencyGroup: undefined }) });
  return toGroup({ ...g, volumes: g.volumes.filter((v) => !leaving.includes(v)) });
}

/**
 * A replicated group snapshot needs a target, and every member paired as a source (members added since need the target
 * added again).
 */
function assertGroupReplicates(g: Group, cgId: string): void {
  if (!g.tag.targets?.length)
    throw new StorageError(
      'CONFLICT',
      `consistency group '${cgId}' has no replication target: add one with add-replication-target (a /remotearray name)`,
    );
  const unpaired = g.volumes.filter((v) => !sourcePairOf(v)).map((v) => String(v.volumeID));
  if (unpaired.length > 0) {
    throw new StorageError(
      'CONFLICT',
      `volume(s) ${unpaired.join(', ')} of consistency group '${cgId}' have no replication target: run add-replication-target again to pair them`,
    );
  }
}

/** `prefix-20261123T110703123Z`: the prefix first, so condense can select by it. */
const stamp = () => new Date().toISOString().replace(/[-:.]/g, '');

/** One CreateGroupSnapshot: every member at the same instant; each member snapshot points back to it. */
export async function cgTakeSnapshot(
  api: ElementApi,
  cgId: string,
  req: T.CgTakeSnapshotRequest,
): Promise<T.ConsistencyGroupSnapshot> {
  const g = await group(api, cgId);
  if (req.isIncremental) throw unsupported('NetApp Element does not support incremental consistency groups');
  if (g.volumes.length === 0)
    throw new StorageError('CONFLICT', `consistency group '${cgId}' has no volumes to snapshot`);
  if (req.replicate) assertGroupReplicates(g, cgId);
  const name = `${req.prefix ?? g.tag.name}-${stamp()}`;
  const res = await api.createGroupSnapshot(
    g.volumes.map((v) => v.volumeID),
    name,
    withCdm({}, { consistencyGroup: g.tag }),
    req.replicate ?? false,
  );
  return { id: String(res.groupSnapshotID), name: res.groupSnapshot.name };
}

export async function listCgSnapshots(
  api: ElementApi,
  cgId: string,
  page: T.Page,
): Promise<T.ConsistencyGroupSnapshot[]> {
  const g = await group(api, cgId);
  return applyPage([...g.snapshots].sort(byAge), page).map((s) => ({ id: String(s.groupSnapshotID), name: s.name }));
}

/**
 * Among the group's snapshots whose names start with one of the prefixes (all when none is given),
 * keeps the newest `numberOfInstances` and deletes the others older than `ageInDays`. A condense
 * with neither limit deletes nothing. Every candidate is tried; the first failure is reported.
 */
export async function cgCondense(api: ElementApi, cgId: string, req: T.CgCondenseRequest): Promise<void> {
  const g = await group(api, cgId);
  if (req.numberOfInstances === undefined && req.ageInDays === undefined) return;
  const prefixes = req.snapshotPrefixes ?? [];
  const matching = g.snapshots
    .filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)))
    .sort(byAge)
    .reverse();
  const beyondCount = req.numberOfInstances === undefined ? matching : matching.slice(req.numberOfInstances);
  const cutoff = req.ageInDays === undefined ? Infinity : Date.now() - req.ageInDays * 86_400_000;
  const doomed = beyondCount.filter((s) => millis(s.createTime) < cutoff);
  let first: unknown;
  for (const s of doomed) {
    await api.deleteGroupSnapshot(s.groupSnapshotID, false).catch((err: unknown) => {
      first ??= err;
    });
  }
  if (first) throw first;
}

// Group replication.

/**
 * CDM replicates snapshots (take-snapshot with replicate), so the pairs carry snapshots only; the
 * replica volume's live content is left alone between snapshots.
 */
export const CDM_PAIR_MODE = 'SnapshotsOnly';

/** An Element API on a paired cluster, reached at `host:port` (with REMOTE_ARRAY_CREDENTIALS, or the session's own). */
export type RemoteApi = (host: string, port: number) => ElementApi;

/** The replica of `v` on the paired cluster: made, or found from an earlier attempt that stopped halfway. */
async function replicaFor(
  api: ElementApi,
  remote: ElementApi,
  cp: ElementClusterPair,
  v: ElementVolume,
): Promise<{ replica: ElementVolume; made: boolean }> {
  const name = cdmVolumeName(v);
  const found = (await remote.volumesNamed(elementVolumeName(name))).find((r) => cdmVolumeName(r) === name);
  if (found) {
    if (found.access !== 'replicationTarget' || (found.volumePairs?.length ?? 0) > 0) {
      throw new StorageError(
        'CONFLICT',
        `cluster ${cp.clusterName} already has a volume named '${name}' (${found.volumeID}) that is not a free replication target: rename or remove it there`,
      );
    }
    return { replica: found, made: false };
  }
  // The replica belongs to a tenant account of the same name as the source's, as a mirror setup does.
  const accountID = await remote.ensureAccount((await api.accountByID(v.accountID)).username);
  const res = await remote.createVolume({
    name: elementVolumeName(name),
    accountID,
    totalSize: v.totalSize,
    enable512e: v.enable512e ?? true,
    access: 'replicationTarget',
    attributes: nameAttributes(name),
  });
  return { replica: res.volume, made: true };
}

/** StartVolumePairing here, CompleteVolumePairing there; a failure takes back what it made. */
async function pairVolume(
  api: ElementApi,
  remote: ElementApi,
  cp: ElementClusterPair,
  v: ElementVolume,
): Promise<void> {
  const { replica, made } = await replicaFor(api, remote, cp, v);
  try {
    const key = await api.startVolumePairing(v.volumeID, CDM_PAIR_MODE);
    await remote.completeVolumePairing(replica.volumeID, key);
  } catch (err) {
    await api.removeVolumePair(v.volumeID).catch(() => undefined);
    if (made)
      await remote
        .deleteVolume(replica.volumeID)
        .then(() => remote.purgeVolume(replica.volumeID))
        .catch(() => undefined);
    throw err;
  }
}

export async function cgAddReplicationTarget(
  api: ElementApi,
  remoteApi: RemoteApi,
  cgId: string,
  req: T.CgAddReplicationTargetRequest,
): Promise<T.ReplicationTarget> {
  const g = await group(api, cgId);
  const cp = (await pairedClusters(api)).find((p) => p.clusterName === req.targetName);
  if (!cp) throw notFound('remote array', req.targetName);
  const hostAddress = hostAddressOf(cp.mvip);
  const { host, port } = splitHostAddress(hostAddress);
  const remote = remoteApi(host, port);
  for (const v of g.volumes) {
    const pair = v.volumePairs?.find((p) => p.clusterPairID > 0);
    if (pair?.clusterPairID === cp.clusterPairID && v.access !== 'replicationTarget') continue; // paired on an earlier call
    if (pair)
      throw new StorageError(
        'CONFLICT',
        `volume '${v.volumeID}' of the group is already paired with another cluster (volume pair ${pair.volumePairUUID}); Element pairs a volume once`,
      );
    if (v.access === 'replicationTarget')
      throw new StorageError('CONFLICT', `volume '${v.volumeID}' of the group is itself a replication target`);
    await pairVolume(api, remote, cp, v);
  }
  const target = { id: cp.clusterPairUUID, name: cp.clusterName, hostAddress };
  const targets = [...(g.tag.targets ?? []).filter((t) => t.id !== target.id), target];
  await tagVolumes(api, { ...g.tag, targets }, g.volumes);
  return target;
}
