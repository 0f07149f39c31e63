/** Rate limit of POST /session per client address, counted in the shared store so every instance enforces one limit. */
import type { RequestHandler } from 'express';
import type { Coordinator } from '../coordination/coordinator';
import { StorageError } from '../domain/errors';

const WINDOW_MS = 60_000;

export function sessionRateLimit(coord: Coordinator, perMinute: number): RequestHandler {
  return async (req, _res, next) => {
    if (req.method !== 'POST' || req.path !== '/session') return next();
    const { count, resetMs } = await coord.hit(`ratelimit:session:${req.ip}`, WINDOW_MS);
    if (count > perMinute) {
      throw new StorageError(
        'TOO_MANY_REQUESTS',
        `more than ${perMinute} session requests a minute from this address; retry later`,
        {
          retryAfter: Math.max(1, Math.ceil(resetMs / 1000)),
        },
      );
    }
    next();
  };
}
