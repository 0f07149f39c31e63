/** Coordinator on Redis: SET NX PX locks released by token (Lua), create records, INCR rate windows. */
import { randomBytes } from 'node:crypto';
import { StorageError } from '../domain/errors';
import { type RedisClient, withDeadline } from '../redis/client';
import type { Coordinator } from './coordinator';

const PREFIX = 'cdm:';

// Compare-and-delete / compare-and-expire: only the holder's token may release or extend a lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const HIT =
  "local c = redis.call('incr', KEYS[1]) if c == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end return {c, redis.call('pttl', KEYS[1])}";

export function redisUnavailable(err: unknown): StorageError {
  return new StorageError('SESSION_STORE_UNAVAILABLE', 'the session store (Redis) is unavailable; retry shortly', {
    retryAfter: 1,
    cause: err,
  });
}

export class RedisCoordinator implements Coordinator {
  readonly kind = 'redis' as const;

  constructor(private readonly redis: RedisClient) {}

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(fn());
    } catch (err) {
      throw redisUnavailable(err);
    }
  }

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(16).toString('hex');
    const ok = await this.run(() => this.redis.set(PREFIX + key, token, 'PX', ttlMs, 'NX'));
    return ok === 'OK' ? token : null;
  }

  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.redis.eval(EXTEND, 1, PREFIX + key, token, String(ttlMs)))) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.run(() => this.redis.eval(RELEASE, 1, PREFIX + key, token));
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.redis.set(PREFIX + key, value, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  get = (key: string) => this.run(() => this.redis.get(PREFIX + key));

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(() => this.redis.set(PREFIX + key, value, 'PX', ttlMs));
  }

  async remove(key: string): Promise<void> {
    await this.run(() => this.redis.del(PREFIX + key));
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, ttl] = (await this.run(() => this.redis.eval(HIT, 1, PREFIX + key, String(windowMs)))) as [
      number,
      number,
    ];
    return { count, resetMs: ttl > 0 ? ttl : windowMs };
  }
}
