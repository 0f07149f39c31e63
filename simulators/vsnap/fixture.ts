/**
 * Test fixture hooks for vSnap: volumes, pairing and relationships through the vendor API, content through the
 * simulator's data plane.
 */
import type { ArrayFixture } from '../kit';
import { adminClient } from '../shared/admin-client';

/** The appliance's API as its administrator calls it: JSON in and out. */
function adminClientOf(url: string, username: string, password: string) {
  const client = adminClient(url, username, password);
  const json = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> =>
    (await client.json<T>(method, path, body)).body;
  return {
    call: async (...args: Parameters<typeof client.call>) => (await client.call(...args)).buf,
    json,
    close: client.close,
  };
}

type Admin = ReturnType<typeof adminClientOf>;

/** The partner record `admin`'s appliance holds for the appliance at `partnerUrl`, if they are paired. */
async function partnerAt(admin: Admin, partnerUrl: string): Promise<{ id: string } | undefined> {
  const { hostname, port } = new URL(partnerUrl);
  const { partners } = await admin.json<{ partners: { id: string; address: string; api_port: string }[] }>(
    'GET',
    '/api/partner',
  );
  return partners.find((p) => p.address === hostname && p.api_port === port);
}

/**
 * POST /api/partner on the primary naming the secondary with its admin account. Already paired is fine;
 * a partner record at that address that names another system (the secondary was replaced) is removed first.
 */
export async function pairVsnap(
  primaryUrl: string,
  secondaryUrl: string,
  username = 'admin',
  password = 'simulator',
): Promise<void> {
  const admin = adminClientOf(primaryUrl, username, password);
  const secondary = adminClientOf(secondaryUrl, username, password);
  try {
    const known = await partnerAt(admin, secondaryUrl);
    if (known) {
      const { id } = await secondary.json<{ id: string }>('GET', '/api/system');
      if (known.id === id) return;
      await admin.json('DELETE', `/api/partner/${encodeURIComponent(known.id)}`);
    }
    const { hostname, port } = new URL(secondaryUrl);
    await admin.json('POST', '/api/partner', {
      remote_addr: hostname,
      remote_api_port: port,
      remote_user: username,
      remote_pass: password,
    });
  } finally {
    await Promise.allSettled([admin.close(), secondary.close()]);
  }
}

export function vsnapFixture(url: string, username = 'admin', password = 'simulator'): ArrayFixture {
  const admin = adminClientOf(url, username, password);
  const { call, json } = admin;

  return {
    serverId: '0',
    async createVolume({ name, type, sizeBytes }) {
      const pools = await json<{ pools: { id: string }[] }>('GET', '/api/pool');
      const vol = await json<{ id: string }>('POST', '/api/volume', {
        name,
        volume_type: type,
        pool_id: pools.pools[0].id,
        size_total: String(sizeBytes),
      });
      return { id: vol.id };
    },
    async deleteVolume(id) {
      await call('DELETE', `/api/volume/${encodeURIComponent(id)}`);
    },
    async write(volumeId, data, offset = 0) {
      await call(
        'PUT',
        `/sim/volume/${encodeURIComponent(volumeId)}/data?offset=${offset}`,
        data,
        'application/octet-stream',
      );
    },
    read: (volumeId) => call('GET', `/sim/volume/${encodeURIComponent(volumeId)}/data`),
    readSnapshot: (_volumeId, snapshotId) => call('GET', `/sim/snapshot/${encodeURIComponent(snapshotId)}/data`),
    /**
     * A relationship to the partner at `partnerUrl`: the replica volume the partner made is the answer (vSnap's single
     * server "0").
     */
    async protect(volumeId, partnerUrl) {
      const partner = await partnerAt(admin, partnerUrl);
      if (!partner) throw new Error(`${url} has no partner at ${partnerUrl}: pair them first (simulator.pair)`);
      const rel = await json<{ remote_vol_id: string }>(
        'POST',
        `/api/volume/${encodeURIComponent(volumeId)}/relationship`,
        { partner_id: partner.id },
      );
      return { replicaVolumeId: rel.remote_vol_id };
    },
    close: () => admin.close(),
  };
}
