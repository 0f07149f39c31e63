/**
 * Test fixture hook for Element: volumes and consistency groups through the JSON-RPC API, content through the
 * simulator's data plane.
 */
import { Agent, type Dispatcher, request } from 'undici';
import type { ArrayFixture } from '../kit';
import { basicAuth } from '../shared/basic-auth';
import { CDM_PAIR_MODE, cdmName, namedVolume, newGroupId, withCdm } from './cdm-attributes';

/** The tenant account the fixture's volumes belong to (made on first use). */
export const FIXTURE_ACCOUNT = 'cdm-fixture';

type Rpc = <T>(method: string, params?: Record<string, unknown>) => Promise<T>;

/**
 * JSON-RPC calls to the cluster at `url` as its administrator; an error answer throws with Element's name and message.
 */
export function adminRpc(url: string, dispatcher: Dispatcher, username = 'admin', password = 'simulator'): Rpc {
  const authorization = basicAuth(username, password);
  return async <T>(method: string, params: Record<string, unknown> = {}): Promise<T> => {
    const res = await request(`${url}/json-rpc/12.3`, {
      method: 'POST',
      dispatcher,
      headers: { authorization },
      body: JSON.stringify({ method, params, id: 1 }),
    });
    const body = (await res.body.json()) as { result?: T; error?: { name: string; message: string } };
    if (res.statusCode !== 200 || body.error)
      throw new Error(
        `${method}: ${body.error ? `${body.error.name}: ${body.error.message}` : `HTTP ${res.statusCode}`}`,
      );
    return body.result as T;
  };
}

/** The fixture's tenant account on a cluster, made on first use. */
const fixtureAccount = (rpc: Rpc) =>
  rpc<{ account: { accountID: number } }>('GetAccountByName', { username: FIXTURE_ACCOUNT }).then(
    (r) => r.account.accountID,
    () => rpc<{ accountID: number }>('AddAccount', { username: FIXTURE_ACCOUNT }).then((r) => r.accountID),
  );

/**
 * Pairs two clusters as an administrator does: StartClusterPairing on one, CompleteClusterPairing with its key on the
 * other.
 */
export async function pairClusters(primaryUrl: string, secondaryUrl: string): Promise<void> {
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  try {
    const { clusterPairingKey } = await adminRpc(
      primaryUrl,
      dispatcher,
    )<{ clusterPairingKey: string }>('StartClusterPairing');
    await adminRpc(secondaryUrl, dispatcher)('CompleteClusterPairing', { clusterPairingKey });
  } finally {
    await dispatcher.close();
  }
}

export function elementFixture(url: string, username = 'admin', password = 'simulator'): ArrayFixture {
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  const authorization = basicAuth(username, password);
  const raw = async (method: 'GET' | 'PUT', path: string, body?: Buffer) => {
    const res = await request(`${url}${path}`, {
      method,
      body,
      dispatcher,
      headers: body ? { authorization, 'content-type': 'application/octet-stream' } : { authorization },
    });
    const buf = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${buf.toString()}`);
    return buf;
  };
  const rpc = adminRpc(url, dispatcher, username, password);
  let account: Promise<number> | undefined;
  const accountID = () => (account ??= fixtureAccount(rpc));

  return {
    serverId: '0',
    /** Element volumes are all block volumes: `type` is ignored. The CDM name is kept as the adapter keeps it. */
    async createVolume({ name, sizeBytes }) {
      const r = await rpc<{ volumeID: number }>('CreateVolume', {
        ...namedVolume(name),
        accountID: await accountID(),
        totalSize: sizeBytes,
        enable512e: true,
      });
      return { id: String(r.volumeID) };
    },
    async deleteVolume(id) {
      await rpc('DeleteVolume', { volumeID: Number(id) });
      await rpc('PurgeDeletedVolume', { volumeID: Number(id) });
    },
    async write(volumeId, data, offset = 0) {
      await raw('PUT', `/sim/volume/${encodeURIComponent(volumeId)}/data?offset=${offset}`, data);
    },
    read: (volumeId) => raw('GET', `/sim/volume/${encodeURIComponent(volumeId)}/data`),
    readSnapshot: (_volumeId, snapshotId) => raw('GET', `/sim/snapshot/${encodeURIComponent(snapshotId)}/data`),
    /**
     * Tags each volume as a member, as an administrator would through ModifyVolume (the plugin's documented
     * `cdm.consistencyGroup` tag).
     */
    async createConsistencyGroup(name, volumeIds) {
      const tag = { id: newGroupId(), name, created: Date.now() };
      for (const id of volumeIds) {
        const [v] = (
          await rpc<{ volumes: { attributes: Record<string, unknown> }[] }>('ListVolumes', { volumeIDs: [Number(id)] })
        ).volumes;
        await rpc('ModifyVolume', {
          volumeID: Number(id),
          attributes: withCdm(v.attributes, { consistencyGroup: tag }),
        });
      }
      return { id: tag.id };
    },
    /**
     * A volume pair as an administrator sets one up: a same-size replica with the same CDM name and
     * access replicationTarget on the partner, StartVolumePairing here (SnapshotsOnly, as the adapter
     * pairs for CDM), CompleteVolumePairing there.
     */
    async protect(volumeId, partnerUrl) {
      const partner = adminRpc(partnerUrl, dispatcher, username, password);
      const [v] = (
        await rpc<{
          volumes: { name: string; totalSize: number; enable512e: boolean; attributes: Record<string, unknown> }[];
        }>('ListVolumes', { volumeIDs: [Number(volumeId)] })
      ).volumes;
      const replica = await partner<{ volumeID: number }>('CreateVolume', {
        ...namedVolume(cdmName(v)),
        accountID: await fixtureAccount(partner),
        totalSize: v.totalSize,
        enable512e: v.enable512e,
        access: 'replicationTarget',
      });
      const { volumePairingKey } = await rpc<{ volumePairingKey: string }>('StartVolumePairing', {
        volumeID: Number(volumeId),
        mode: CDM_PAIR_MODE,
      });
      await partner('CompleteVolumePairing', { volumeID: replica.volumeID, volumePairingKey });
      return { replicaVolumeId: String(replica.volumeID) };
    },
    close: () => dispatcher.close(),
  };
}
