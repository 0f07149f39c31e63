// HTTP plumbing of the ONTAP simulator: Basic auth with roles, path clean-up, JSON bodies with dotted keys, 404 and
// error handlers.
import { readBody as readSharedBody } from '../shared/body';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ONTAP_ERROR, OntapError, invalid, sendError, sendOntapError } from './errors';
import type { UserAccount } from './state/model';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Every /api call carries Basic credentials; a readonly account may only GET. */
export function basicAuth(users: readonly UserAccount[]): RequestHandler {
  return (req, res, next) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const name = colon >= 0 ? decoded.slice(0, colon) : '';
    const user = users.find((u) => u.name === name);
    // Compare digests so the time taken does not tell how much of the password matched.
    if (!user || !timingSafeEqual(digest(user.password), digest(colon >= 0 ? decoded.slice(colon + 1) : ''))) {
      res.setHeader('WWW-Authenticate', 'Basic realm="ONTAP"');
      sendError(res, 401, ONTAP_ERROR.NOT_AUTHORIZED, 'User is not authorized');
      return;
    }
    if (user.role === 'readonly' && req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 403, ONTAP_ERROR.NOT_AUTHORIZED, `User "${user.name}" is not authorized for that command`);
      return;
    }
    next();
  };
}

/**
 * Collapse repeated slashes in the path (a well-known client builds `/api//snapmirror/...`) and keep
 * the query as it came, so `_links.next` hrefs work verbatim.
 * Conventions as real ONTAP REST clients rely on them (the NetApp Ansible collection, Trident).
 */
export const collapseSlashes: RequestHandler = (req, _res, next) => {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path.includes('//')) req.url = path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : req.url.slice(q));
  next();
};

/** Read the whole body, refusing one over `limit` with the vendor's invalid-parameter error. */
export const readBody = (req: Request, limit: number): Promise<Buffer> => readSharedBody(req, limit, (m) => invalid(m));

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * ONTAP accepts dotted keys as shorthand for nested objects: `{"transfer_schedule.name": "weekly"}`
 * is `{"transfer_schedule": {"name": "weekly"}}` (the SnapMirror policy document uses both forms).
 */
export function expandDotted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDotted);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, raw] of Object.entries(value)) {
    const parts = key.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) {
      if (!isObject(at[part])) at[part] = {};
      at = at[part] as Json;
    }
    const last = parts[parts.length - 1];
    const v = expandDotted(raw);
    at[last] = isObject(at[last]) && isObject(v) ? { ...(at[last] as Json), ...v } : v;
  }
  return out;
}

/** JSON whatever the Content-Type says; an empty body is `{}`. */
export function jsonBody(limit = 1024 * 1024): RequestHandler {
  return async (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.body = {};
      return next();
    }
    const text = (await readBody(req, limit)).toString('utf8').trim();
    if (text === '') {
      req.body = {};
      return next();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OntapError(400, ONTAP_ERROR.INVALID_ENTRY, 'The request body is not valid JSON');
    }
    if (!isObject(parsed))
      throw new OntapError(400, ONTAP_ERROR.INVALID_ENTRY, 'The request body must be a JSON object');
    req.body = expandDotted(parsed);
    next();
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, ONTAP_ERROR.API_NOT_FOUND, `API not found: ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof OntapError) {
    sendOntapError(res, err);
    return;
  }
  console.error('ontap simulator: unexpected error', err);
  sendError(res, 500, ONTAP_ERROR.JOB_FAILED, err instanceof Error ? err.message : String(err));
};
