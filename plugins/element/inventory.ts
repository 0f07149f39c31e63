/**
 * The cluster as CDM describes it: storage, the single server "0", system figures, the cluster's one pool, networks
 * (MVIP and SVIP).
 */
import type { ServerBase } from '../../src/backend';
import { notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { type Storage, storageInfo } from '../shared/inventory';
import type { ElementApi } from './api';
import { BLOCK_SIZE, POOL_ID, SERVER_ID, toNetworks } from './mapper';

export async function storage(api: ElementApi, target: T.ArrayTarget): Promise<Storage> {
  const [info, version] = await Promise.all([api.clusterInfo(), api.versionInfo()]);
  return storageInfo(target, {
    name: info.name,
    id: info.uuid,
    ownAddress: info.mvip,
    vendor: 'NetApp',
    version: version.clusterVersion,
    serverIds: [SERVER_ID],
  });
}

export async function getServer(api: ElementApi): Promise<ServerBase> {
  const info = await api.clusterInfo();
  return {
    id: SERVER_ID,
    name: info.name,
    config: {
      isDpDestination: false,
      isNfsServiceEnabled: false,
      isIscsiServiceEnabled: Boolean(info.svip),
      isIncrementalConsistencyGroup: false,
    },
  };
}

/**
 * Space in logical bytes (one copy of the data): Element's raw figures count both Double Helix
 * copies, so they are divided by repCount. Snapshot space is the blocks only snapshots hold,
 * estimated as the distinct blocks beyond those the live volumes reference.
 */
export async function getSystem(api: ElementApi): Promise<T.SystemInfo> {
  const [cap, info, version] = await Promise.all([api.capacity(), api.clusterInfo(), api.versionInfo()]);
  const rep = Math.max(1, info.repCount || 1);
  const used = Math.round(cap.usedSpace / rep);
  const snapshots = Math.min(used, Math.max(0, cap.uniqueBlocks - cap.nonZeroBlocks) * BLOCK_SIZE);
  const written = cap.nonZeroBlocks * BLOCK_SIZE;
  const dataReduction =
    cap.uniqueBlocks > 0
      ? Math.max(1, cap.nonZeroBlocks / cap.uniqueBlocks) *
        Math.max(1, (cap.uniqueBlocks * BLOCK_SIZE) / Math.max(1, cap.uniqueBlocksUsedSpace))
      : 1;
  return {
    capacityInBytes: Math.round(cap.maxUsedSpace / rep),
    systemSizeInBytes: 0,
    snapshotsSizeInBytes: snapshots,
    volumesSizeInBytes: used - snapshots,
    dataReduction,
    totalSizeInBytes: used,
    sharedSpaceInBytes: 0,
    thinProvisioning: cap.provisionedSpace > 0 ? Math.max(0, 1 - written / cap.provisionedSpace) : 0,
    totalReduction: used > 0 ? Math.max(dataReduction, cap.provisionedSpace / used) : dataReduction,
    provisionedSizeInBytes: cap.provisionedSpace,
    parity: info.defaultProtectionScheme ?? 'doubleHelix',
    serialNumber: info.uniqueID,
    model: 'NetApp Element',
    version: version.clusterVersion,
  };
}

/** The cluster's drives are one pool; its free space is logical (raw free divided by the Helix copies). */
export async function pool(api: ElementApi): Promise<T.Pool> {
  const [cap, info] = await Promise.all([api.capacity(), api.clusterInfo()]);
  const rep = Math.max(1, info.repCount || 1);
  return { id: POOL_ID, name: info.name, freeSpace: Math.max(0, Math.floor((cap.maxUsedSpace - cap.usedSpace) / rep)) };
}

export async function getPool(api: ElementApi, poolId: string): Promise<T.Pool> {
  if (poolId !== POOL_ID) throw notFound('pool', poolId);
  return pool(api);
}

export const listNetworks = async (api: ElementApi, page: T.Page): Promise<T.Network[]> =>
  applyPage(toNetworks(await api.clusterInfo()), page);

export async function getNetwork(api: ElementApi, networkId: string): Promise<T.Network> {
  const n = toNetworks(await api.clusterInfo()).find((x) => x.id === networkId);
  if (!n) throw notFound('network', networkId);
  return n;
}
