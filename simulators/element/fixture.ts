/**
 * Test fixture hook for Element: volumes and consistency groups through the JSON-RPC API, content through the
 * simulator's data plane.
 */
import type { ArrayFixture } from '../kit';
import { type AdminClient, adminClient } from '../shared/admin-client';
import { CDM_PAIR_MODE, cdmName, namedVolume, newGroupId, withCdm } from './cdm-attributes';

/** The tenant account the fixture's volumes belong to (made on first use). */
export const FIXTURE_ACCOUNT = 'cdm-fixture';

type Rpc = <T>(method: string, params?: Record<string, unknown>) => Promise<T>;

/**
 * JSON-RPC calls to the cluster at `url` as its administrator; an error answer throws with Element's name and message.
 */
export function adminRpc(url: string, username = 'admin', password = 'simulator'): Rpc & { client: AdminClient } {
  const client = adminClient(url, username, password);
  const rpc = async <T>(method: string, params: Record<string, unknown> = {}): Promise<T> => {
    const { buf } = await client.call('POST', '/json-rpc/12.3', JSON.stringify({ method, params, id: 1 }));
    const body = JSON.parse(buf.toString()) as { result?: T; error?: { name: string; message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.name}: ${body.error.message}`);
    return body.result as T;
  };
  return Object.assign(rpc, { client });
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
  const [primary, secondary] = [adminRpc(primaryUrl), adminRpc(secondaryUrl)];
  try {
    const { clusterPairingKey } = await primary<{ clusterPairingKey: string }>('StartClusterPairing');
    await secondary('CompleteClusterPairing', { clusterPairingKey });
  } finally {
    await Promise.allSettled([primary.client.close(), secondary.client.close()]);
  }
}

export function elementFixture(url: string, username = 'admin', password = 'simulator'): ArrayFixture {
  const rpc = adminRpc(url, username, password);
  const raw = async (method: 'GET' | 'PUT', path: string, body?: Buffer) =>
    (await rpc.client.call(method, path, body, 'application/octet-stream')).buf;
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
      const partner = adminRpc(partnerUrl, username, password);
      try {
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
      } finally {
        await partner.client.close();
      }
    },
    close: () => rpc.client.close(),
  };
}
