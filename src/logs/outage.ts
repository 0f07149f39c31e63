/**
 * A store outage in the log as one error line when it starts and one line when it ends, with how many calls it
 * failed, instead of a line (and a stack) per failed request.
 */
import type { Logger } from 'pino';
import { StorageError } from '../domain/errors';

export class OutageLog {
  private since?: number;
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    /** What is out, as the lines name it. */
    private readonly what: string,
  ) {}

  get failing(): boolean {
    return this.since !== undefined;
  }

  /** A call failed because the store is unavailable: the first one of an outage is logged, the others counted. */
  failed(err: unknown): void {
    this.failures++;
    if (this.since !== undefined) return;
    this.since = Date.now();
    const cause = err instanceof StorageError ? (err.cause as Error | undefined)?.message : (err as Error)?.message;
    this.logger.error(
      { outage: this.what, cause },
      `${this.what} is unavailable: calls that need it answer 503 until it is back (one line when it is)`,
    );
  }

  /** A call to the store succeeded: an outage under way has ended. */
  answered(): void {
    if (this.since === undefined) return;
    const seconds = Math.round((Date.now() - this.since) / 100) / 10;
    this.logger.warn(
      { outage: this.what, failedCalls: this.failures, seconds },
      `${this.what} is back after ${seconds} s; ${this.failures} calls failed meanwhile`,
    );
    this.since = undefined;
    this.failures = 0;
  }
}

/** `target` with each promise-returning method reporting to `outage`: failures of the store, and answers. */
export function watched<T extends object>(target: T, outage: OutageLog): T {
  return new Proxy(target, {
    get(t, key) {
      // Read on the target itself: its getters and private fields see the object they belong to.
      const v = Reflect.get(t, key) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown).apply(t, args);
        if (!(r instanceof Promise)) return r;
        return r.then(
          (value) => {
            if (outage.failing) outage.answered();
            return value;
          },
          (err: unknown) => {
            if (err instanceof StorageError && err.code === 'SESSION_STORE_UNAVAILABLE') outage.failed(err);
            throw err;
          },
        );
      };
    },
  });
}
