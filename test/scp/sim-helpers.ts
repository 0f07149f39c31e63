// Helpers for the SCP simulator tests: a simulator with two regions, and raw calls signed the way the vendor's Go SDK
// signs them (written out here on their own, so the tests check the simulator against the SDK, not against itself).
import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { type RunningScpSimulator, type ScpSimulatorOptions, startScpSimulator } from '../../simulators/scp/server';

export const KEY = {
  accountId: 'acc0123456789abcdef0123456789abcd',
  accessKey: 'AKtest0001',
  secretKey: 'sk-test-0001',
};
export const READ_ONLY = {
  accountId: KEY.accountId,
  accessKey: 'AKreadonly01',
  secretKey: 'sk-readonly',
  readOnly: true,
};
export const BASIC = `Basic ${Buffer.from(`${KEY.accountId}/${KEY.accessKey}:${KEY.secretKey}`).toString('base64')}`;

export type Key = { accountId: string; accessKey: string; secretKey: string };

/** client/signature_generator.go: strings.Join([method, url, timestamp, accessKey, accountId, clientType], ""). */
export function sdkSignature(method: string, url: string, timestamp: string, key: Key, clientType = 'Openapi'): string {
  const message = [method, url, timestamp, key.accessKey, key.accountId, clientType].join('');
  return createHmac('sha256', key.secretKey).update(message).digest('base64');
}

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  key?: Key;
  version?: string | null;
  /** Change one part of what is sent after signing (tamper tests). */
  tamper?: (h: Record<string, string>) => void;
  /** The URL that is signed (default: the URL called). */
  signedUrl?: string;
  timestamp?: number;
  clientType?: string;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** One call as SetupRequestHeader makes it (configuration.go): headers, then the signature over the called URL. */
export async function call<T = unknown>(url: string, path: string, c: Call = {}): Promise<Answer<T>> {
  const method = c.method ?? 'GET';
  const key = c.key ?? KEY;
  const full = `${url}${path}`;
  const timestamp = String(c.timestamp ?? Date.now());
  const headers: Record<string, string> = {
    'Scp-ClientType': c.clientType ?? 'Openapi',
    'Accept-Language': 'en-US',
    'Scp-AccountId': key.accountId,
    'Scp-AccessKey': key.accessKey,
    'Scp-Timestamp': timestamp,
    'Scp-Signature': sdkSignature(method, c.signedUrl ?? full, timestamp, key, c.clientType ?? 'Openapi'),
  };
  if (c.version !== null) headers['Scp-Api-Version'] = c.version ?? 'filestorage 1.1';
  if (c.body !== undefined) headers['Content-Type'] = 'application/json';
  c.tamper?.(headers);
  const res = await request(full, {
    method,
    headers,
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A call that must succeed; answers the body. */
export async function ok<T = unknown>(url: string, path: string, c: Call = {}): Promise<T> {
  const a = await call<T>(url, path, c);
  if (a.status >= 300) throw new Error(`${c.method ?? 'GET'} ${path}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}

/** Simulator-only calls (/sim), Basic with the account's key. */
export async function sim(
  url: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: Buffer | object,
) {
  const raw = Buffer.isBuffer(body);
  const res = await request(`${url}${path}`, {
    method,
    headers: {
      authorization: BASIC,
      ...(body === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }),
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  const buf = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${buf.toString()}`);
  return buf;
}

export const settle = (url: string) => sim(url, 'POST', '/sim/settle');

/** Two regions in one process; operations settle only when told (POST /sim/settle), unless `opDelayMs` says. */
export function startTwoRegions(opts: Partial<ScpSimulatorOptions> = {}): Promise<RunningScpSimulator> {
  return startScpSimulator({
    regions: [
      { name: 'kr-west1', port: 0 },
      { name: 'kr-east1', port: 0 },
    ],
    keys: [KEY, READ_ONLY],
    demo: false,
    opDelayMs: 60_000,
    ...opts,
  });
}

/** Polls until `check` answers a value. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A volume made and settled: answers its id. */
export async function volume(url: string, name = 'vol_a', extra: object = {}): Promise<string> {
  const made = await ok<{ volume_id: string }>(url, '/v1/volumes', {
    method: 'POST',
    body: { name, protocol: 'NFS', type_name: 'HDD', ...extra },
  });
  await settle(url);
  return made.volume_id;
}
