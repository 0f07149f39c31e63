// The SCP OpenAPI request signature, as the vendor's Go SDK makes it (client/signature_generator.go and
// client/configuration.go): base64(HMAC-SHA256(secret key, method + URL + timestamp + access key + account id +
// client type)). The URL is the endpoint plus the path, with `?` and the encoded query when there is one; the
// timestamp is epoch milliseconds; the body is not signed.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The client type every OpenAPI call declares (`Scp-ClientType`). */
export const CLIENT_TYPE = 'Openapi';

/** Header names (HTTP headers are case-insensitive; Express lowers them). */
export const H = {
  accessKey: 'scp-accesskey',
  accountId: 'scp-accountid',
  timestamp: 'scp-timestamp',
  signature: 'scp-signature',
  clientType: 'scp-clienttype',
  apiVersion: 'scp-api-version',
} as const;

/** A key pair of an account. */
export interface AccessKey {
  accessKey: string;
  secretKey: string;
  accountId: string;
  /** A key whose policy allows reads only: every change answers 403. @default false */
  readOnly?: boolean;
}

export function sign(
  method: string,
  url: string,
  timestamp: string,
  key: { accessKey: string; secretKey: string; accountId: string },
  clientType = CLIENT_TYPE,
): string {
  return createHmac('sha256', key.secretKey)
    .update(method + url + timestamp + key.accessKey + key.accountId + clientType)
    .digest('base64');
}

/** The headers of one signed call (what SetupRequestHeader sets), for the simulator's own calls to other regions. */
export function signedHeaders(method: string, url: string, key: AccessKey, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  return {
    'Scp-AccessKey': key.accessKey,
    'Scp-AccountId': key.accountId,
    'Scp-Timestamp': timestamp,
    'Scp-Signature': sign(method, url, timestamp, key),
    'Scp-ClientType': CLIENT_TYPE,
    'Accept-Language': 'en-US',
  };
}

/** Constant-time comparison of two base64 signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
