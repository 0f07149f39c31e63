// HTTP plumbing of a region: the OpenAPI's request signature and API version checks, the data plane's Basic auth,
// JSON bodies, and the error and 404 answers.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { readBody as readSharedBody } from '../shared/body';
import type { RegionContext } from './context';
import { ScpError, forbidden, invalidAt, notFound, sendScpError, unauthorized } from './errors';
import { type AccessKey, CLIENT_TYPE, H, sameSignature, sign } from './signing';
import { selectVersion } from './versions';

/** How far a request's Scp-Timestamp may be from the service's clock, either way. */
export const TIMESTAMP_WINDOW_MS = 5 * 60_000;

const NAMES: Record<keyof typeof H, string> = {
  accessKey: 'Scp-AccessKey',
  accountId: 'Scp-AccountId',
  timestamp: 'Scp-Timestamp',
  signature: 'Scp-Signature',
  clientType: 'Scp-ClientType',
  apiVersion: 'Scp-Api-Version',
};

/**
 * Every OpenAPI call is signed (see signing.ts). The URL checked is the one the client called: this region's
 * scheme, the Host header it sent, and the path and query exactly as sent.
 */
export function signedAuth(ctx: RegionContext): RequestHandler {
  return (req, res, next) => {
    const value = (name: keyof typeof H) => {
      const v = req.get(H[name]);
      if (v === undefined || v === '') throw unauthorized(`Missing header ${NAMES[name]}`);
      return v;
    };
    const [accessKey, accountId, timestamp, signature, clientType] = (
      ['accessKey', 'accountId', 'timestamp', 'signature', 'clientType'] as const
    ).map(value);
    if (clientType !== CLIENT_TYPE)
      throw unauthorized(`Scp-ClientType '${clientType}' is not accepted: OpenAPI calls declare '${CLIENT_TYPE}'`);
    const key = ctx.cloud.key(accessKey);
    if (!key) throw unauthorized('The access key is not valid');
    if (accountId !== key.accountId) throw unauthorized(`The access key does not belong to account ${accountId}`);
    const ts = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (!Number.isFinite(ts)) throw unauthorized('Scp-Timestamp must be epoch milliseconds');
    const skew = Math.abs(ctx.now() - ts);
    if (skew > TIMESTAMP_WINDOW_MS)
      throw unauthorized(
        `Scp-Timestamp is ${Math.round(skew / 1000)} s away from the service's clock; requests are accepted within ${TIMESTAMP_WINDOW_MS / 1000} s`,
      );
    const url = `${ctx.scheme}://${req.get('host') ?? ''}${req.originalUrl}`;
    if (!sameSignature(sign(req.method, url, timestamp, key, clientType), signature))
      throw unauthorized('The signature does not match the request');
    if (key.readOnly && req.method !== 'GET')
      throw forbidden(`The access key's policy allows reads only: ${req.method} ${req.path} is refused`);
    res.locals.key = key;
    next();
  };
}

/** `Scp-Api-Version` picks the version per request (none: the current one). */
export function apiVersion(ctx: RegionContext): RequestHandler {
  return (req, res, next) => {
    res.locals.version = selectVersion(req.get(H.apiVersion), ctx.now());
    next();
  };
}

/** The data plane (/sim) takes the account's key as Basic credentials: `<account id>/<access key>` : secret key. */
export function basicKeyAuth(ctx: RegionContext): RequestHandler {
  return (req, _res, next) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.get('authorization') ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : '';
    const slash = user.indexOf('/');
    const key: AccessKey | undefined = ctx.cloud.key(user.slice(slash + 1));
    if (
      slash <= 0 ||
      !key ||
      key.accountId !== user.slice(0, slash) ||
      !sameSignature(key.secretKey, decoded.slice(colon + 1))
    )
      throw unauthorized('Basic credentials <account id>/<access key>:<secret key> are required');
    next();
  };
}

export const readBody = (req: Request, limit: number): Promise<Buffer> =>
  readSharedBody(req, limit, (m) => invalidAt(['body'], m, 'too_long'));

/** JSON whatever the Content-Type; an empty body is undefined (a required body then answers 400). */
export function jsonBody(limit = 1024 * 1024): RequestHandler {
  return async (req, _res, next) => {
    const text = (await readBody(req, limit)).toString('utf8').trim();
    if (text === '') req.body = undefined;
    else {
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (err) {
        throw invalidAt(['body'], `JSON decode error: ${(err as Error).message}`, 'json_invalid');
      }
    }
    next();
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw notFound(`No such endpoint: ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ScpError) return sendScpError(res, err);
  console.error('scp simulator: unexpected error', err);
  res.status(500).json({ detail: err instanceof Error ? err.message : String(err) });
};
