/**
 * SCP File Storage wire client: every call signed as the vendor SDK signs it (HMAC-SHA256 of method, URL, timestamp,
 * access key, account id and client type), `Scp-Api-Version` pinned, JSON in and out, error bodies as ScpApiError.
 */
import { createHmac } from 'node:crypto';
import { StorageError } from '../../src/domain/errors';
import { ArrayClient } from '../shared/array-client';
import type { ArrayWire, HttpAnswer } from '../shared/http';
import { ScpApiError } from './errors';
import type { ScpValidationError } from './types';

/** The version this adapter speaks; the service answers a call without the header with its current version. */
export const API_VERSION = 'filestorage 1.1';
export const CLIENT_TYPE = 'Openapi';

export type Query = Record<string, string | number | undefined>;

/** The account's key as a session carries it: user `<account id>/<access key>`, password the secret key. */
export interface ScpKey {
  accountId: string;
  accessKey: string;
  secretKey: string;
}

export function keyOf(username: string, password: string): ScpKey {
  const slash = username.indexOf('/');
  if (slash <= 0 || slash === username.length - 1 || !password)
    throw new StorageError(
      'UNAUTHORIZED',
      "SCP credentials are the account id and access key as the user name ('<account id>/<access key>') and the secret key as the password",
    );
  return { accountId: username.slice(0, slash), accessKey: username.slice(slash + 1), secretKey: password };
}

/**
 * The SDK signs the URL it calls (client/configuration.go: the endpoint and path, plus `?` and the encoded query when
 * there is one). WHATWG origins drop a default port, as the Host header does, so both sides see the same URL.
 */
export function signature(method: string, url: string, timestamp: string, key: ScpKey): string {
  const u = new URL(url);
  const signed = `${u.origin}${u.pathname}${u.search}`;
  return createHmac('sha256', key.secretKey)
    .update(method + signed + timestamp + key.accessKey + key.accountId + CLIENT_TYPE)
    .digest('base64');
}

export class ScpClient extends ArrayClient {
  readonly key: ScpKey;

  constructor(wire: ArrayWire) {
    super(wire);
    this.key = keyOf(wire.username, wire.password);
  }

  /** Fresh for every call; a read resent at once after a transport failure keeps it, well within the service's window. */
  protected override authHeaders(method: string, url: string): Record<string, string> {
    const timestamp = String(Date.now());
    return {
      'scp-accesskey': this.key.accessKey,
      'scp-accountid': this.key.accountId,
      'scp-timestamp': timestamp,
      'scp-signature': signature(method, url, timestamp, this.key),
      'scp-clienttype': CLIENT_TYPE,
      'scp-api-version': API_VERSION,
      'accept-language': 'en-US',
    };
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('GET', path, query);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, undefined, body);
  }
  put<T>(path: string, query: Query | undefined, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, query, body);
  }
  delete<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('DELETE', path, query);
  }

  private async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown) {
    const url = new URL(path, this.origin);
    // Sorted, as the SDK's url.Values.Encode() writes them.
    for (const [k, v] of Object.entries(query ?? {}).sort(([a], [b]) => a.localeCompare(b)))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const answer = await this.exchange(method, url.toString(), body, { retry: method === 'GET' });
    const parsed = this.json(method, url.pathname, answer);
    if (answer.status >= 200 && answer.status < 300) return parsed as T;
    throw failure(answer.status, parsed, answer);
  }
}

/** The error body: a ValidationErrorModel list for a 400, `{detail}` otherwise. */
function failure(status: number, body: unknown, answer: HttpAnswer): ScpApiError {
  if (Array.isArray(body)) {
    const errors = body as ScpValidationError[];
    const said = errors.map((e) => `${(e.loc ?? []).join('.')}: ${e.msg ?? e.type_ ?? '?'}`).join('; ');
    return new ScpApiError(status, said || `HTTP ${status}`, errors);
  }
  const detail = (body as { detail?: unknown })?.detail;
  return new ScpApiError(status, typeof detail === 'string' ? detail : answer.text.slice(0, 200) || `HTTP ${status}`);
}
