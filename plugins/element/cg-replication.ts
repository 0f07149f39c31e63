/**
 * add-replication-target on Element: every member of the group gets a replica volume on the paired
 * cluster (same CDM name and size, access replicationTarget) and a SnapshotsOnly volume pair to it,
 * as an administrator would set it up; the target is then recorded in the group's tag.
 */
import { StorageError, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { group, tagVolumes } from './cgroups';
import { cdmVolumeName, elementVolumeName, nameAttributes } from './names';
import { hostAddressOf, pairedClusters, splitHostAddress } from './replication';
import type { ElementClusterPair, ElementVolume } from './types';

/**
 * CDM replicates snapshots (take-snapshot with replicate), so the pairs carry snapshots only; the
 * replica volume's live content is left alone between snapshots.
 */
export const CDM_PAIR_MODE = 'SnapshotsOnly';

/** An Element API on a paired cluster, reached at `host:port` (with REMOTE_ARRAY_CREDENTIALS, or the session's own). */
export type RemoteApi = (host: string, port: number) => ElementApi;

/** The replica of `v` on the paired cluster: made, or found from an earlier attempt that stopped halfway. */
async function replicaFor(api: ElementApi, remote: ElementApi, cp: ElementClusterPair, v: ElementVolume): Promise<{ replica: ElementVolume; made: boolean }> {
  const name = cdmVolumeName(v);
  const found = (await remote.volumesNamed(elementVolumeName(name))).find((r) => cdmVolumeName(r) === name);
  if (found) {
    if (found.access !== 'replicationTarget' || (found.volumePairs?.length ?? 0) > 0) {
      throw new StorageError('CONFLICT', `cluster ${cp.clusterName} already has a volume named '${name}' (${found.volumeID}) that is not a free replication target: rename or remove it there`);
    }
    return { replica: found, made: false };
  }
  // The replica belongs to a tenant account of the same name as the source's, as a mirror setup does.
  const accountID = await remote.ensureAccount((await api.accountByID(v.accountID)).username);
  const res = await remote.createVolume({ name: elementVolumeName(name), accountID, totalSize: v.totalSize, enable512e: v.enable512e ?? true, access: 'replicationTarget', attributes: nameAttributes(name) });
  return { replica: res.volume, made: true };
}

/** StartVolumePairing here, CompleteVolumePairing there; a failure takes back what it made. */
async function pairVolume(api: ElementApi, remote: ElementApi, cp: ElementClusterPair, v: ElementVolume): Promise<void> {
  const { replica, made } = await replicaFor(api, remote, cp, v);
  try {
    const key = await api.startVolumePairing(v.volumeID, CDM_PAIR_MODE);
    await remote.completeVolumePairing(replica.volumeID, key);
  } catch (err) {
    await api.removeVolumePair(v.volumeID).catch(() => undefined);
    if (made) await remote.deleteVolume(replica.volumeID).then(() => remote.purgeVolume(replica.volumeID)).catch(() => undefined);
    throw err;
  }
}

export async function cgAddReplicationTarget(api: ElementApi, remoteApi: RemoteApi, cgId: string, req: T.CgAddReplicationTargetRequest): Promise<T.ReplicationTarget> {
  const g = await group(api, cgId);
  const cp = (await pairedClusters(api)).find((p) => p.clusterName === req.targetName);
  if (!cp) throw notFound('remote array', req.targetName);
  const hostAddress = hostAddressOf(cp.mvip);
  const { host, port } = splitHostAddress(hostAddress);
  const remote = remoteApi(host, port);
  for (const v of g.volumes) {
    const pair = v.volumePairs?.find((p) => p.clusterPairID > 0);
    if (pair?.clusterPairID === cp.clusterPairID && v.access !== 'replicationTarget') continue; // paired on an earlier call
    if (pair) throw new StorageError('CONFLICT', `volume '${v.volumeID}' of the group is already paired with another cluster (volume pair ${pair.volumePairUUID}); Element pairs a volume once`);
    if (v.access === 'replicationTarget') throw new StorageError('CONFLICT', `volume '${v.volumeID}' of the group is itself a replication target`);
    await pairVolume(api, remote, cp, v);
  }
  const target = { id: cp.clusterPairUUID, name: cp.clusterName, hostAddress };
  const targets = [...(g.tag.targets ?? []).filter((t) => t.id !== target.id), target];
  await tagVolumes(api, { ...g.tag, targets }, g.volumes);
  return target;
}
