/** Per-request context the session middleware sets up, and small helpers the thin routes share. */
import type { Request, Response } from 'express';
import { StorageError } from '../domain/errors';
import type { StorageService } from '../domain/service';
import type { Page } from '../domain/types';
import type { SessionRecord } from '../sessions/store';

export interface RequestContext {
  service: StorageService;
  session: { id: string; tag: string; record: SessionRecord };
}

export function ctx(res: Response): RequestContext {
  const c = res.locals.ctx as RequestContext | undefined;
  if (!c) throw new StorageError('UNAUTHORIZED', 'a session is required');
  return c;
}

/** `limit`/`start` of a list request (already checked against the spec by the validator). */
export function page(req: Request): Page {
  const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
  const start = req.query.start === undefined ? 0 : Number(req.query.start);
  return { limit, start };
}

/** A path parameter, as a string. */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}
