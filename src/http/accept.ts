/** Answers 415 when the Accept header rules out JSON on a JSON endpoint, as the guide's Storage section says. */
import type { RequestHandler } from 'express';
import { StorageError } from '../domain/errors';

/** Endpoints that answer something other than JSON, with the media types they can produce. */
const NON_JSON: Record<string, string[]> = {
  '/log': ['application/zip', 'application/octet-stream'],
};

/** Accept values that allow JSON, answered without negotiation (nearly every client sends one of these). */
const ALLOWS_JSON = new Set([
  undefined,
  '',
  '*/*',
  'application/json',
  'application/json, */*',
  'application/json, text/plain, */*',
]);

export const acceptCheck: RequestHandler = (req, _res, next) => {
  if (ALLOWS_JSON.has(req.headers.accept) && !(req.path in NON_JSON)) return next();
  const types = NON_JSON[req.path] ?? ['application/json'];
  if (!req.accepts(types)) {
    throw new StorageError(
      'UNSUPPORTED_MEDIA_TYPE',
      `this endpoint answers ${types.join(' or ')}; the Accept header '${req.get('accept')}' rules that out`,
    );
  }
  next();
};
