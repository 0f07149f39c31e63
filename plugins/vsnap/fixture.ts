/** Test fixture hook for vSnap: creates volumes through the vendor API and reads/writes content through the simulator's data plane. */
import { Agent, request } from 'undici';
import type { ArrayFixture } from '../../src/backend';
import { basicAuth } from '../shared/http';

export function vsnapFixture(url: string, username = 'admin', password = 'simulator'): ArrayFixture {
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  const headers = { authorization: basicAuth(username, password) };
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Buffer | string, type = 'application/json') => {
    const res = await request(`${url}${path}`, { method, body, dispatcher, headers: body === undefined ? headers : { ...headers, 'content-type': type } });
    const buf = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${buf.toString()}`);
    return buf;
  };
  const json = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    JSON.parse((await call(method, path, body === undefined ? undefined : JSON.stringify(body))).toString() || '{}') as T;

  return {
    serverId: '0',
    async createVolume({ name, type, sizeBytes }) {
      const pools = await json<{ pools: { id: string }[] }>('GET', '/api/pool');
      const vol = await json<{ id: string }>('POST', '/api/volume', { name, volume_type: type, pool_id: pools.pools[0].id, size_total: String(sizeBytes) });
      return { id: vol.id };
    },
    async deleteVolume(id) {
      await call('DELETE', `/api/volume/${encodeURIComponent(id)}`);
    },
    async write(volumeId, data, offset = 0) {
      await call('PUT', `/sim/volume/${encodeURIComponent(volumeId)}/data?offset=${offset}`, data, 'application/octet-stream');
    },
    read: (volumeId) => call('GET', `/sim/volume/${encodeURIComponent(volumeId)}/data`),
    readSnapshot: (_volumeId, snapshotId) => call('GET', `/sim/snapshot/${encodeURIComponent(snapshotId)}/data`),
    close: () => dispatcher.close(),
  };
}
