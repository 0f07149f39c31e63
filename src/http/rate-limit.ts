/**
 * Limits on POST /session, counted in the shared store so every instance enforces one limit: calls per client address
 * a minute, and failed logins per client address and per array (a password guesser or a port scanner is slowed down
 * whichever it varies).
 */
import type { RequestHandler } from 'express';
import type { Coordinator } from '../coordination/coordinator';
import { StorageError } from '../domain/errors';

const WINDOW_MS = 60_000;

/**
 * Calls per client address a minute. Mounted on the session route itself, so every spelling the router matches
 * (`/session/`, `/Session`) is counted: a path compared by hand is one spelling only.
 */
export function sessionRateLimit(coord: Coordinator, perMinute: number): RequestHandler {
  return async function sessionRateLimiter(req, _res, next) {
    const { count, resetMs } = await coord.hit(`ratelimit:session:${req.ip}`, WINDOW_MS);
    if (count > perMinute) {
      throw new StorageError(
        'TOO_MANY_REQUESTS',
        `more than ${perMinute} session requests a minute from this address; retry later`,
        { retryAfter: Math.max(1, Math.ceil(resetMs / 1000)) },
      );
    }
    next();
  };
}

export interface LoginFailureLimits {
  perClient: number;
  perArray: number;
  windowSeconds: number;
}

/** Failed logins, counted per client address and per array; once one count reaches its limit, logins wait. */
export class LoginGuard {
  constructor(
    private readonly coord: Coordinator,
    private readonly limits: LoginFailureLimits,
  ) {}

  private keys(client: string, array: string) {
    return [
      { key: `ratelimit:login-failed:client:${client}`, limit: this.limits.perClient, who: 'from this address' },
      { key: `ratelimit:login-failed:array:${array}`, limit: this.limits.perArray, who: 'to this array' },
    ];
  }

  /** Throws TOO_MANY_REQUESTS while the client or the array is held back. */
  async check(client: string, array: string): Promise<void> {
    for (const k of this.keys(client, array)) {
      // "<end of the window> <failures counted>": held back when the count reaches this instance's own limit.
      const [until, count] = ((await this.coord.get(`${k.key}:until`)) ?? '0 0').split(' ').map(Number);
      const left = until - Date.now();
      if (left > 0 && count >= k.limit)
        throw new StorageError(
          'TOO_MANY_REQUESTS',
          `too many failed logins ${k.who}; retry in ${Math.ceil(left / 1000)} s`,
          { retryAfter: Math.max(1, Math.ceil(left / 1000)) },
        );
    }
  }

  /**
   * Counts one failed login; the limit reached holds logins back until the counting window ends. The count is kept
   * with the window's end, so each instance holds back at its own limit (an instance configured higher is not held
   * back by a lower one's decision).
   */
  async failed(client: string, array: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    for (const k of this.keys(client, array)) {
      const { count, resetMs } = await this.coord.hit(k.key, windowMs);
      await this.coord.put(`${k.key}:until`, `${Date.now() + resetMs} ${count}`, resetMs);
    }
  }
}
