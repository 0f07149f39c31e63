/**
 * Request validation against api-spec with express-openapi-validator, with identical bodiless requests validated once.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiDocument } from './spec';
import { SESSION_HEADER } from './session';

/**
 * A GET or DELETE has nothing to validate but its method, path, query and session header, so the
 * outcome for the same request line is always the same. The validator costs about as much as the
 * rest of a read (measured), so a request line it has accepted once skips it afterwards.
 * Requests with a body are always validated; refusals are never cached.
 */
class AcceptedRequests {
  private readonly keys = new Map<string, true>();
  constructor(private readonly max: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.size >= this.max) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(key, true);
  }
}

function runChain(chain: RequestHandler[], req: Request, res: Response, done: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    if (err !== undefined && err !== null) return done(err);
    const mw = chain[i++];
    if (!mw) return done();
    try {
      const r = mw(req, res, step) as unknown;
      if (r instanceof Promise) r.catch(step);
    } catch (e) {
      step(e);
    }
  };
  step();
}

export function requestValidator(spec: OpenApiDocument, validateResponses: boolean): RequestHandler {
  const chain = OpenApiValidator.middleware({
    apiSpec: spec as never,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: validateResponses ? { removeAdditional: false } : false,
    validateSecurity: false,
    validateFormats: true,
    // The spec itself, and the operations routes, which the spec places at the server's root (a path-level `servers`
    // this validator does not read): under the API they do not exist and answer 404.
    ignorePaths: /\/(openapi\.json|healthz|readyz|metrics)$/,
    ignoreUndocumented: false,
  }) as unknown as RequestHandler[];
  // Response validation wraps res.json per request, so with it on every request takes the full path.
  if (validateResponses) return (req, res, next) => runChain(chain, req, res, next);
  const accepted = new AcceptedRequests(10_000);
  return (req, res, next) => {
    const cacheable =
      (req.method === 'GET' || req.method === 'DELETE') &&
      !req.headers['content-length'] &&
      !req.headers['transfer-encoding'];
    if (!cacheable) return runChain(chain, req, res, next);
    const sid = req.get(SESSION_HEADER);
    const key = `${req.method} ${req.originalUrl} ${sid === undefined ? 0 : sid.length <= 256 ? 1 : 2}`;
    if (accepted.has(key)) return next();
    runChain(chain, req, res, (err?: unknown) => {
      if (err === undefined || err === null) accepted.add(key);
      next(err);
    });
  };
}
