/** The appliance as CDM describes it: storage, the single server "0", system figures, pools, networks. */
import type { ServerBase } from '../../src/backend';
import { notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import { type Storage, storageInfo } from '../shared/inventory';
import type { VsnapApi } from './api';
import { SERVER_ID, num, ratio, toNetwork, toPool } from './mapper';

export async function storage(api: VsnapApi, target: T.ArrayTarget): Promise<Storage> {
  const sys = await api.system();
  return storageInfo(target, {
    name: sys.hostname,
    id: sys.id,
    ownAddress: sys.fqdn ?? sys.hostname,
    vendor: 'IBM',
    version: sys.vsnap_version,
    serverIds: [SERVER_ID],
  });
}

export async function getServer(api: VsnapApi): Promise<ServerBase> {
  const [sys, nets] = await Promise.all([api.system(), api.networks()]);
  const has = (svc: string) => nets.some((n) => n.services.includes(svc) || n.services.includes('all'));
  return {
    id: SERVER_ID,
    name: sys.hostname,
    config: {
      isDpDestination: false,
      isNfsServiceEnabled: has('nfs'),
      isIscsiServiceEnabled: has('iscsi'),
      isIncrementalConsistencyGroup: false,
    },
  };
}

/**
 * Space figures in the FlashArray sense the CDM fields follow: `totalSizeInBytes` is the space
 * used, split into volumes, snapshots, shared and system; thin provisioning is the unwritten
 * share of what volumes were promised.
 */
export async function getSystem(api: VsnapApi): Promise<T.SystemInfo> {
  const [sys, poolList, vols, snaps] = await Promise.all([
    api.system(),
    api.pools(),
    api.volumes(),
    api.allSnapshots(),
  ]);
  const pools = await mapLimit(poolList, DETAIL_CONCURRENCY, (p) => api.pool(p.id));
  const snapDetails = await mapLimit(snaps, DETAIL_CONCURRENCY, (s) => api.snapshot(s.id).catch(() => s));
  const capacity = pools.reduce((a, p) => a + num(p.size_total), 0);
  const used = pools.reduce((a, p) => a + num(p.size_used), 0);
  const snapshots = Math.min(
    used,
    snapDetails.reduce((a, s) => a + num(s.size_used), 0),
  );
  const written = vols.reduce((a, v) => a + num(v.size_used), 0);
  const provisioned = vols.reduce((a, v) => a + (v.size_total ? num(v.size_total) : num(v.size_used)), 0);
  const weighted = (f: (p: (typeof pools)[number]) => number) =>
    used > 0 ? pools.reduce((a, p) => a + f(p) * num(p.size_used), 0) / used : 1;
  const dataReduction = weighted((p) => ratio(p.compression_ratio) * ratio(p.deduplication_ratio));
  return {
    capacityInBytes: capacity,
    systemSizeInBytes: 0,
    snapshotsSizeInBytes: snapshots,
    volumesSizeInBytes: used - snapshots,
    dataReduction,
    totalSizeInBytes: used,
    sharedSpaceInBytes: 0,
    thinProvisioning: provisioned > 0 ? Math.max(0, 1 - written / provisioned) : 0,
    totalReduction: used > 0 ? Math.max(dataReduction, provisioned / used) : dataReduction,
    provisionedSizeInBytes: provisioned,
    parity: [...new Set(pools.map((p) => p.pool_type))].join(',') || 'none',
    serialNumber: sys.id,
    model: 'vSnap',
    version: sys.vsnap_version,
  };
}

export const listPools = async (api: VsnapApi, page: T.Page): Promise<T.Pool[]> =>
  applyPage(await api.pools(), page).map(toPool);

export const getPool = async (api: VsnapApi, poolId: string): Promise<T.Pool> => toPool(await api.pool(poolId));

export async function listNetworks(api: VsnapApi, page: T.Page): Promise<T.Network[]> {
  const [nets, iqn] = await Promise.all([api.networks(), api.targetIqn()]);
  return applyPage(nets, page).map((n) => toNetwork(n, iqn));
}

export async function getNetwork(api: VsnapApi, networkId: string): Promise<T.Network> {
  const [nets, iqn] = await Promise.all([api.networks(), api.targetIqn()]);
  const n = nets.find((x) => x.id === networkId);
  if (!n) throw notFound('network', networkId);
  return toNetwork(n, iqn);
}
