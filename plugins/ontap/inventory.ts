/**
 * The cluster as CDM describes it: storage, servers (SVMs with their services), system figures, pools (aggregates),
 * networks (LIFs).
 */
import type { ServerBase } from '../../src/backend';
import { notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import { type Storage, storageInfo } from '../shared/inventory';
import type { Ctx } from './connection';
import { toFcNetwork, toIpNetwork, toPool, toServer, versionOf } from './mapper';
import type { OntapSvm } from './types';

export async function storage(ctx: Ctx): Promise<Storage> {
  const [cluster, svms] = await Promise.all([ctx.api.cluster(), ctx.api.svms()]);
  const serverIds = svms.map((s) => s.uuid);
  return storageInfo(ctx.target, {
    name: cluster.name,
    id: cluster.uuid,
    ownAddress: cluster.name,
    vendor: 'NetApp',
    version: versionOf(cluster.version),
    serverIds,
  });
}

async function serverOf(ctx: Ctx, svm: OntapSvm): Promise<ServerBase> {
  const [nfs, iscsi] = await Promise.all([ctx.api.service('nfs', svm.uuid), ctx.api.service('san/iscsi', svm.uuid)]);
  return toServer(svm, nfs, iscsi);
}

export async function listServers(ctx: Ctx): Promise<ServerBase[]> {
  return mapLimit(await ctx.api.svms(), DETAIL_CONCURRENCY, (svm) => serverOf(ctx, svm));
}

export const getServer = async (ctx: Ctx, id: string): Promise<ServerBase> => serverOf(ctx, await ctx.api.svm(id));

/** The SVM's iSCSI target name, when its iSCSI service is on. */
export async function iscsiTarget(ctx: Ctx, svm: string): Promise<string | null> {
  const service = await ctx.api.service('san/iscsi', svm);
  return service?.enabled ? (service.target?.name ?? null) : null;
}

/** The aggregates an SVM may use (all of them when none is assigned, as ONTAP lets a cluster admin do). */
const poolIds = (svm: OntapSvm): string[] | undefined =>
  svm.aggregates?.length ? svm.aggregates.map((a) => a.uuid) : undefined;

export async function listPools(ctx: Ctx, svmId: string, page: T.Page): Promise<T.Pool[]> {
  const svm = await ctx.api.svm(svmId);
  return (await ctx.api.aggregatesPage(poolIds(svm), page)).map(toPool);
}

export async function getPool(ctx: Ctx, svmId: string, poolId: string): Promise<T.Pool> {
  const ids = poolIds(await ctx.api.svm(svmId));
  if (ids && !ids.includes(poolId)) throw notFound('pool', poolId);
  return toPool(await ctx.api.aggregate(poolId));
}

/**
 * Space in the FlashArray sense the CDM fields follow, over the SVM's volumes: used space split into
 * the volumes' live data and the data only their snapshots hold; capacity from the SVM's aggregates.
 */
export async function getSystem(ctx: Ctx, svmId: string): Promise<T.SystemInfo> {
  const svm = await ctx.api.svm(svmId);
  const [cluster, nodes, aggregates, volumes] = await Promise.all([
    ctx.api.cluster(),
    ctx.api.nodes(),
    ctx.api.aggregatesPage(poolIds(svm), { start: 0 }),
    ctx.api.volumesAll(svm.uuid, 'uuid,size,space.used,space.snapshot.used'),
  ]);
  const snapshots = volumes.reduce((a, v) => a + (v.space?.snapshot?.used ?? 0), 0);
  const used = volumes.reduce((a, v) => a + (v.space?.used ?? 0), 0);
  const provisioned = volumes.reduce((a, v) => a + (v.size ?? 0), 0);
  const live = Math.max(0, used - snapshots);
  const aggrUsed = aggregates.reduce((a, g) => a + (g.space?.block_storage?.used ?? 0), 0);
  const dataReduction =
    aggrUsed > 0
      ? aggregates.reduce((a, g) => a + (g.space?.efficiency?.ratio ?? 1) * (g.space?.block_storage?.used ?? 0), 0) /
        aggrUsed
      : 1;
  return {
    capacityInBytes: aggregates.reduce((a, g) => a + (g.space?.block_storage?.size ?? 0), 0),
    systemSizeInBytes: 0,
    snapshotsSizeInBytes: snapshots,
    volumesSizeInBytes: live,
    dataReduction,
    totalSizeInBytes: live + snapshots,
    sharedSpaceInBytes: 0,
    thinProvisioning: provisioned > 0 ? Math.max(0, 1 - live / provisioned) : 0,
    totalReduction: used > 0 ? Math.max(dataReduction, provisioned / used) : dataReduction,
    provisionedSizeInBytes: provisioned,
    parity: [...new Set(aggregates.map((g) => g.block_storage?.primary?.raid_type ?? 'unknown'))].join(',') || 'none',
    serialNumber: nodes
      .map((n) => n.serial_number ?? '')
      .filter(Boolean)
      .join(','),
    model: [...new Set(nodes.map((n) => n.model ?? ''))].filter(Boolean).join(',') || 'ONTAP',
    version: versionOf(cluster.version),
  };
}

/**
 * The SVM's IP interfaces, then its FC interfaces, paged server-side across the two collections:
 * the IP count (`return_records=false`) tells where the FC part of the page starts.
 */
export async function listNetworks(ctx: Ctx, svmId: string, page: T.Page): Promise<T.Network[]> {
  const svm = await ctx.api.svm(svmId);
  const [ipCount, iqn] = await Promise.all([ctx.api.ipInterfaceCount(svm.uuid), iscsiTarget(ctx, svm.uuid)]);
  const ips = page.start < ipCount ? await ctx.api.ipInterfacesPage(svm.uuid, page) : [];
  const left = page.limit === undefined ? undefined : page.limit - ips.length;
  const fcs =
    left === undefined || left > 0
      ? await ctx.api.fcInterfacesPage(svm.uuid, { start: Math.max(0, page.start - ipCount), limit: left })
      : [];
  return [...ips.map((i) => toIpNetwork(i, iqn)), ...fcs.map(toFcNetwork)];
}

export async function getNetwork(ctx: Ctx, svmId: string, id: string): Promise<T.Network> {
  const svm = await ctx.api.svm(svmId);
  const [ip, fc, iqn] = await Promise.all([
    ctx.api.ipInterface(svm.uuid, id),
    ctx.api.fcInterface(svm.uuid, id),
    iscsiTarget(ctx, svm.uuid),
  ]);
  if (ip) return toIpNetwork(ip, iqn);
  if (fc) return toFcNetwork(fc);
  throw notFound('network', id);
}
