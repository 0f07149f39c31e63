// HTTP plumbing of the simulator: Basic auth (401 with an HTML page, like the cluster's web server) and raw body
// reading.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { readBody } from '../shared/body';
import type { ClusterAdmin } from './state/model';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Element answers a failed login with HTTP 401 and an HTML page, not JSON: clients must check the status first. */
export function sendUnauthorized(res: Response): void {
  res.status(401).setHeader('WWW-Authenticate', 'Basic realm="SolidFire"');
  res
    .type('text/html')
    .send('<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>');
}

/**
 * Checks Basic credentials against the accounts `find` knows (cluster admins, pairing accounts) and puts the account in
 * res.locals.admin.
 */
export function basicAuth(find: (username: string) => ClusterAdmin | undefined): RequestHandler {
  return (req, res, next) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const name = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const admin = find(name);
    // Compare digests so the time taken does not tell how much of the password matched.
    if (!admin || !timingSafeEqual(digest(admin.password), digest(password))) {
      sendUnauthorized(res);
      return;
    }
    res.locals.admin = admin;
    next();
  };
}

export class BodyTooLarge extends Error {}

/** The whole body, whatever its Content-Type (clients may send none); past `limit` the rest is drained and refused. */
export const readRaw = (req: Request, limit: number): Promise<Buffer> =>
  readBody(req, limit, (message) => new BodyTooLarge(message));
