/**
 * What every request goes through once, in one middleware (each Express layer costs every request a dispatch): its id
 * (the caller's X-Request-Id when it is a sane token, else a new one) sent back on the answer with the security
 * headers, HEAD served as its GET, and when the answer is sent, one access log line and the request metrics.
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { RequestContext } from './context';
import { setSecurityHeaders } from './security-headers';

/** What a caller may send as an id: printable, no spaces or separators a log reader would trip on. */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Ids the plugin makes: a random prefix per process and a counter, unique across instances without asking the
 * kernel for randomness on every request.
 */
const PREFIX = randomBytes(6).toString('base64url');
let counter = 0;
const newId = (): string => `${PREFIX}${(++counter).toString(36).padStart(8, '0')}`;

/** The id of the request `res` answers (set by requestFrame). */
export const requestIdOf = (res: Response): string | undefined => res.locals.requestId as string | undefined;

/** Epoch ms by which the request `res` answers must be answered (set by requestFrame). */
export const deadlineOf = (res: Response): number | undefined => res.locals.deadline as number | undefined;

/** The request's id and deadline, as array calls take them. */
export const callOf = (res: Response) => ({ requestId: requestIdOf(res), deadline: deadlineOf(res) });

/** The path without the query: ids are in the path, nothing secret is. Split by hand (req.query re-parses). */
function pathAndAction(req: Request): { path: string; action?: string } {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  if (q < 0) return { path: url };
  return { path: url.slice(0, q), action: new URLSearchParams(url.slice(q + 1)).get('action') ?? undefined };
}

export function requestFrame(access: Logger, metrics?: Metrics, requestTimeoutMs = 60_000): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // One deadline per request, from its arrival: every array call it makes draws from what is left of it.
    res.locals.deadline = Date.now() + requestTimeoutMs;
    const method = req.method;
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : newId();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    setSecurityHeaders(res);
    // The spec and the routes know GETs only; Node sends no body for a HEAD whatever the handler writes.
    if (method === 'HEAD') req.method = 'GET';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const { path, action } = pathAndAction(req);
      const c = res.locals.ctx as RequestContext | undefined;
      access.info(
        {
          requestId: id,
          method,
          path,
          action,
          status: res.statusCode,
          ms: Math.round(seconds * 10_000) / 10,
          session: c?.session.tag,
          array: res.locals.array as string | undefined,
        },
        'request',
      );
      if (metrics) {
        const template = req.route?.path as string | undefined;
        const route = template ? `${req.baseUrl}${template}` : res.statusCode === 404 ? 'unmatched' : 'before routing';
        metrics.request(route, method, res.statusCode, seconds);
      }
    });
    next();
  };
}
