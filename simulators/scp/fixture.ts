// Test fixture hooks for SCP File Storage: volumes and replications through the signed vendor API as an account's
// script makes them, content through the simulator's data plane, and pairing of two simulator processes.
import { request } from 'undici';
import type { ArrayFixture } from '../kit';
import { adminClient } from '../shared/admin-client';
import { signedHeaders } from './signing';

/** `<account id>/<access key>` and the secret key, the kit's credential format. */
export function keyOf(username: string, password: string) {
  const slash = username.indexOf('/');
  if (slash <= 0) throw new Error(`SCP credentials are '<account id>/<access key>', got '${username}'`);
  return { accountId: username.slice(0, slash), accessKey: username.slice(slash + 1), secretKey: password };
}

/** A name the API accepts (`^[a-z]([a-z0-9_]){2,20}$`) made from any test name. */
export function volumeNameFor(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return (/^[a-z]/.test(clean) ? clean : `v${clean}`).padEnd(3, '_').slice(0, 21);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signed OpenAPI calls on one region, as the SDK makes them. */
export function scpApi(url: string, username: string, password: string) {
  const key = keyOf(username, password);
  return async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const full = `${url}${path}`;
    const headers: Record<string, string> = {
      ...signedHeaders(method, full, key),
      'Scp-Api-Version': 'filestorage 1.1',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(full, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

/** Polls until `check` answers a value (an operation of the service settled). */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (let pause = 10; ; pause = Math.min(200, pause * 2)) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not done within ${ms} ms`);
    await sleep(pause);
  }
}

/** Each simulator learns the other's region (POST /sim/regions), so replications between them can be made. */
export async function pairScp(primaryUrl: string, secondaryUrl: string, username: string, password: string) {
  const [a, b] = [adminClient(primaryUrl, username, password), adminClient(secondaryUrl, username, password)];
  try {
    const [ra, rb] = await Promise.all([
      a.json<{ name: string }>('GET', '/sim/region'),
      b.json<{ name: string }>('GET', '/sim/region'),
    ]);
    await a.json('POST', '/sim/regions', { name: rb.body.name, url: secondaryUrl });
    await b.json('POST', '/sim/regions', { name: ra.body.name, url: primaryUrl });
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
  }
}

export function scpFixture(url: string, username: string, password: string): ArrayFixture {
  const api = scpApi(url, username, password);
  const admin = adminClient(url, username, password);
  const enc = encodeURIComponent;
  const volumeState = async (id: string) =>
    api<{ state: string }>('GET', `/v1/volumes/${enc(id)}`).then(
      (v) => v.state,
      (err: Error) => (/HTTP 404/.test(err.message) ? 'gone' : Promise.reject(err)),
    );

  return {
    serverId: '0',
    /** An NFS volume on HDD (the service has no sizes: volumes grow as they are written). */
    async createVolume({ name }) {
      const made = await api<{ volume_id: string }>('POST', '/v1/volumes', {
        name: volumeNameFor(name),
        protocol: 'NFS',
        type_name: 'HDD',
      });
      await until(`volume ${made.volume_id}`, async () =>
        (await volumeState(made.volume_id)) === 'available' ? true : undefined,
      );
      return { id: made.volume_id };
    },
    async deleteVolume(id) {
      await api('DELETE', `/v1/volumes/${enc(id)}`);
      await until(`deleting volume ${id}`, async () => ((await volumeState(id)) === 'gone' ? true : undefined));
    },
    async write(volumeId, data, offset = 0) {
      await admin.call('PUT', `/sim/volume/${enc(volumeId)}/data?offset=${offset}`, data, 'application/octet-stream');
    },
    read: async (volumeId) => (await admin.call('GET', `/sim/volume/${enc(volumeId)}/data`)).buf,
    readSnapshot: async (_volumeId, snapshotId) =>
      (await admin.call('GET', `/sim/snapshot/${enc(snapshotId)}/data`)).buf,
    /**
     * A replication of the volume to the region at `partnerUrl` (paired first), daily, waited for until its first
     * transfer is done. Answers the replica volume.
     */
    async protect(volumeId, partnerUrl) {
      const partner = adminClient(partnerUrl, username, password);
      try {
        const region = (await partner.json<{ name: string }>('GET', '/sim/region')).body.name;
        const rep = await api<{ replication_id: string; replication_volume_id: string }>('POST', '/v1/replications', {
          name: volumeNameFor(`r${volumeId.replace(/-/g, '').slice(0, 12)}`),
          region,
          replication_frequency: 'daily',
          replication_type: 'replication',
          volume_id: volumeId,
        });
        await until(`replication ${rep.replication_id}`, async () => {
          const r = await api<{ replication_status: string }>(
            'GET',
            `/v1/replications/${enc(rep.replication_id)}?volume_id=${enc(volumeId)}`,
          );
          if (r.replication_status === 'error') throw new Error(`replication ${rep.replication_id} failed`);
          return r.replication_status === 'available' ? true : undefined;
        });
        return { replicaVolumeId: rep.replication_volume_id };
      } finally {
        await partner.close();
      }
    },
    close: () => admin.close(),
  };
}
