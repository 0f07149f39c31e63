/**
 * Request ids: the caller's X-Request-Id (when it is a sane token) or a fresh one, sent back on every answer and
 * carried through the request's async work so every log line of the request, and its error body, names it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller may send as an id: printable, no spaces or separators a log reader would trip on. */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const store = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request being served, where there is one. */
export const currentRequestId = (): string | undefined => store.getStore()?.requestId;

/** For pino's mixin: the request id on every line logged while serving a request. */
export const requestIdMixin = (): { requestId?: string } => {
  const id = currentRequestId();
  return id === undefined ? {} : { requestId: id };
};

export const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomBytes(12).toString('base64url');
  res.setHeader('X-Request-Id', id);
  store.run({ requestId: id }, next);
};
