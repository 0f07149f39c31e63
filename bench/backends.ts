/**
 * Per-backend facts the benchmark needs: how to call the vendor API directly for one volume (the forwarded-call floor).
 */
import { basicAuth } from '../plugins/shared/http';

export interface DirectCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

type DirectCallFor = (simUrl: string, volumeId: string, creds: { username: string; password: string }) => DirectCall;

/** The vendor call a plugin makes for GET /server/{id}/volume/{id}, made directly. */
export const DIRECT_VOLUME_GET: Record<string, DirectCallFor> = {
  vsnap: (url, id, c) => ({
    method: 'GET',
    url: `${url}/api/volume/${id}`,
    headers: { authorization: basicAuth(c.username, c.password), accept: 'application/json' },
  }),
  element: (url, id, c) => ({
    method: 'POST',
    url: `${url}/json-rpc/12.3`,
    headers: { authorization: basicAuth(c.username, c.password), 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'ListVolumes', params: { volumeIDs: [Number(id)] }, id: 1 }),
  }),
  ontap: (url, id, c) => ({
    method: 'GET',
    url: `${url}/api/storage/volumes/${id}?fields=name,uuid,space,svm,aggregates,create_time,clone,nas`,
    headers: { authorization: basicAuth(c.username, c.password), accept: 'application/json' },
  }),
};
