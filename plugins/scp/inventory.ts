/**
 * The account's file storage in one region as CDM describes it: where it stands in the cloud (its region, the other
 * regions' endpoints), storage, the single server "0", system figures, pools (the disk types), networks (the mount
 * addresses).
 */
import type { ServerBase } from '../../src/backend';
import { notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import { type Storage, storageInfo } from '../shared/inventory';
import type { ScpApi } from './api';
import { API_VERSION } from './client';
import { DISK_TYPES, SERVER_ID, VOLUME_ALLOCATION_BYTES } from './mapper';
import type { ScpVolumeDetail } from './types';
import { allVolumes, details } from './volumes';

/** Where the session's endpoint stands: its region, and how to reach the others. */
export interface Placement {
  /** Undefined when neither the endpoint's name nor a catalog tells. */
  region?: string;
  /** A region's endpoint origin, when known. */
  endpointOf(region: string): string | undefined;
}

/** SCP names its endpoints `<service>.<region>.<environment>.samsungsdscloud.com`. */
const SCP_HOST = /^([a-z0-9-]+)\.([a-z]{2}-[a-z]+\d+)\.(.+)$/;

/**
 * From the session's hostname when it is an SCP endpoint name (the other regions: the same name with their region);
 * else from the account's endpoint catalog, where the endpoint serves one (the simulator does, as IAM's).
 */
export async function placement(api: ScpApi, target: T.ArrayTarget): Promise<Placement> {
  const origin = new URL(api.client.origin);
  const m = target.hostname ? SCP_HOST.exec(target.hostname) : null;
  if (m) {
    const port = origin.port ? `:${origin.port}` : '';
    return { region: m[2], endpointOf: (r) => `${origin.protocol}//${m[1]}.${r}.${m[3]}${port}` };
  }
  const catalog = ((await api.endpoints()) ?? []).filter((e) => e.service_type === 'filestorage');
  const byRegion = new Map(catalog.map((e) => [e.region, new URL(e.url).origin]));
  const own = catalog.find((e) => new URL(e.url).host === origin.host);
  return { region: own?.region, endpointOf: (r) => byRegion.get(r) };
}

const hostOf = (api: ScpApi) => new URL(api.client.origin).host;

export async function storage(
  api: ScpApi,
  target: T.ArrayTarget,
  storageId: string,
  place: () => Promise<Placement>,
): Promise<Storage> {
  const { region } = await place();
  return storageInfo(target, {
    name: `SCP File Storage ${region ?? hostOf(api)}`,
    id: storageId,
    ownAddress: new URL(api.client.origin).hostname,
    vendor: 'Samsung SDS',
    version: API_VERSION,
    serverIds: [SERVER_ID],
  });
}

export async function getServer(api: ScpApi, place: () => Promise<Placement>): Promise<ServerBase> {
  const { region } = await place();
  return {
    id: SERVER_ID,
    name: `filestorage ${region ?? hostOf(api)}`,
    config: {
      isDpDestination: false,
      isNfsServiceEnabled: true,
      isIscsiServiceEnabled: false,
      isIncrementalConsistencyGroup: false,
    },
  };
}

/** Every volume's details and the bytes its snapshots alone hold. */
async function space(api: ScpApi, typeName?: string): Promise<{ v: ScpVolumeDetail; snapshots: number }[]> {
  const vols = await details(api, await allVolumes(api, typeName));
  return mapLimit(vols, DETAIL_CONCURRENCY, async (v) => ({
    v,
    snapshots: (await api.snapshots(v.id)).snapshot_size_total_byte ?? 0,
  }));
}

/**
 * The service sets no capacity: each volume may grow to its allocation. The capacity is one allocation per disk type
 * (the pools), the provisioned size one per volume (so thin provisioning shows), the space used what volumes and
 * their snapshots hold.
 */
export async function getSystem(api: ScpApi): Promise<T.SystemInfo> {
  const all = await space(api);
  const volumes = all.reduce((n, x) => n + (x.v.usage ?? 0), 0);
  const snapshots = all.reduce((n, x) => n + x.snapshots, 0);
  const provisioned = all.length * VOLUME_ALLOCATION_BYTES;
  const used = volumes + snapshots;
  return {
    capacityInBytes: DISK_TYPES.length * VOLUME_ALLOCATION_BYTES,
    systemSizeInBytes: 0,
    snapshotsSizeInBytes: snapshots,
    volumesSizeInBytes: volumes,
    dataReduction: 1,
    totalSizeInBytes: used,
    sharedSpaceInBytes: 0,
    thinProvisioning: provisioned > 0 ? Math.max(0, 1 - used / provisioned) : 0,
    totalReduction: used > 0 ? provisioned / used : 1,
    provisionedSizeInBytes: provisioned,
    parity: 'none',
    serialNumber: api.client.key.accountId,
    model: 'SCP File Storage',
    version: API_VERSION,
  };
}

/**
 * A pool is a disk type. Its free space is the allocation one volume may grow to, less what the type's volumes and
 * their snapshots already hold: a snapshot that pins overwritten data takes free space.
 */
async function pool(api: ScpApi, typeName: string): Promise<T.Pool> {
  const used = (await space(api, typeName)).reduce((n, x) => n + (x.v.usage ?? 0) + x.snapshots, 0);
  return { id: typeName, name: typeName, freeSpace: Math.max(0, VOLUME_ALLOCATION_BYTES - used) };
}

export const listPools = async (api: ScpApi, page: T.Page): Promise<T.Pool[]> =>
  Promise.all(applyPage(DISK_TYPES, page).map((t) => pool(api, t)));

export async function getPool(api: ScpApi, poolId: string): Promise<T.Pool> {
  if (!(DISK_TYPES as readonly string[]).includes(poolId)) throw notFound('pool', poolId);
  return pool(api, poolId);
}

/** The addresses volumes are mounted from (the host part of their `path`), one network each. */
async function networks(api: ScpApi): Promise<T.Network[]> {
  const vols = await details(api, await allVolumes(api));
  const byAddress = new Map<string, { nfs: boolean; cifs: boolean }>();
  for (const v of vols) {
    const address = /^\\\\([^\\]+)\\/.exec(v.path ?? '')?.[1] ?? /^([^:/\\]+):\//.exec(v.path ?? '')?.[1];
    if (!address) continue;
    const n = byAddress.get(address) ?? { nfs: false, cifs: false };
    if (v.protocol === 'NFS') n.nfs = true;
    else n.cifs = true;
    byAddress.set(address, n);
  }
  return [...byAddress].map(([address, n]) => ({
    id: address,
    name: `filestorage ${address}`,
    ipAddress: address,
    wwpn: null,
    iqn: null,
    serverGroupKey: SERVER_ID,
    config: { nfs: n.nfs, cifs: n.cifs, iscsi: false, fc: false },
  }));
}

export const listNetworks = async (api: ScpApi, page: T.Page): Promise<T.Network[]> =>
  applyPage(await networks(api), page);

export async function getNetwork(api: ScpApi, networkId: string): Promise<T.Network> {
  const n = (await networks(api)).find((x) => x.id === networkId);
  if (!n) throw notFound('network', networkId);
  return n;
}
