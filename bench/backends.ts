/**
 * Per-backend facts the benchmark needs: how to call the vendor API directly for one volume (the forwarded-call floor).
 */
import { keyOf, signature } from '../plugins/scp/client';
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
  // Signed once: the service accepts a signature for minutes, longer than a benchmark run takes.
  scp: (url, id, c) => {
    const full = `${url}/v1/volumes/${id}`;
    const timestamp = String(Date.now());
    const key = keyOf(c.username, c.password);
    return {
      method: 'GET',
      url: full,
      headers: {
        'scp-accesskey': key.accessKey,
        'scp-accountid': key.accountId,
        'scp-timestamp': timestamp,
        'scp-signature': signature('GET', full, timestamp, key),
        'scp-clienttype': 'Openapi',
        'scp-api-version': 'filestorage 1.1',
        accept: 'application/json',
      },
    };
  },
};
