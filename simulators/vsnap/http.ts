// HTTP plumbing shared by the API and the data plane: Basic auth, raw and JSON body reading, 404 and error handlers.
import { readBody as readSharedBody } from '../shared/body';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import {
  AUTHENTICATION_ERROR,
  INTERNAL_ERROR,
  NOT_FOUND_ERROR,
  PERMISSION_DENIED_ERROR,
  VsnapError,
  invalid,
  sendError,
  sendVsnapError,
} from './errors';
import type { UserAccount } from './state/model';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Seed section 1: every request carries Basic credentials; only vsnap-group members (admins) may call the API. */
export function basicAuth(users: readonly UserAccount[]): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const name = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const user = users.find((u) => u.name === name);
    // Compare digests so the time taken does not tell how much of the password matched.
    if (!user || !timingSafeEqual(digest(user.password), digest(password))) {
      res.setHeader('WWW-Authenticate', 'Basic realm="vSnap"');
      sendError(res, 401, AUTHENTICATION_ERROR, 'Invalid username or password');
      return;
    }
    if (!user.admin) {
      sendError(res, 403, PERMISSION_DENIED_ERROR, `User ${user.name} does not have the vsnap_admin role`);
      return;
    }
    next();
  };
}

/** Read the whole body, refusing one over `limit` with the vendor's invalid-parameter error. */
export const readBody = (req: Request, limit: number): Promise<Buffer> => readSharedBody(req, limit, (m) => invalid(m));

/** JSON whatever the Content-Type says (clients may send none); an empty body is `{}`. */
export function jsonBody(limit = 1024 * 1024): RequestHandler {
  return async (req, _res, next) => {
    const text = (await readBody(req, limit)).toString('utf8').trim();
    if (text === '') {
      req.body = {};
    } else {
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        throw invalid('Request body is not valid JSON');
      }
    }
    next();
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, NOT_FOUND_ERROR, `No such endpoint: ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof VsnapError) {
    sendVsnapError(res, err);
    return;
  }
  console.error('vsnap simulator: unexpected error', err);
  sendError(res, 500, INTERNAL_ERROR, err instanceof Error ? err.message : String(err));
};
