/** Sessions in Redis (ioredis): sliding idle expiry with GETEX, an absolute lifetime, credentials sealed at rest. */
import { redisUnavailable as unavailable } from '../coordination/redis';
import { type RedisClient, connectAndPing, createRedisClient } from '../redis/client';
import { decodeSession, encodeSession } from './codec';
import { newSessionId, sessionKeyOf } from './crypto';
import type { SessionRecord, SessionStore, SessionStoreOptions } from './store';

const PREFIX = 'cdm:session:';

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly maxLifetimeMs: number;

  constructor(
    readonly redis: RedisClient,
    private readonly opts: SessionStoreOptions,
  ) {
    this.maxLifetimeMs = (opts.maxLifetimeSeconds ?? 86400) * 1000;
  }

  /** Connects and waits until Redis answers; rejects if it does not. */
  static async connect(url: string, opts: SessionStoreOptions): Promise<RedisSessionStore> {
    const redis = createRedisClient({ url });
    // Errors are reported per command; without a listener ioredis would print every reconnect attempt.
    redis.on('error', () => undefined);
    await connectAndPing(redis);
    return new RedisSessionStore(redis, opts);
  }

  async create(record: SessionRecord): Promise<string> {
    const id = newSessionId();
    const key = sessionKeyOf(id);
    try {
      await this.redis.set(PREFIX + key, encodeSession(record, this.opts.key, key), 'EX', this.opts.idleSeconds, 'NX');
    } catch (err) {
      throw unavailable(err);
    }
    return id;
  }

  async get(id: string): Promise<SessionRecord | null> {
    const key = sessionKeyOf(id);
    let raw: string | null;
    try {
      // GETEX renews the idle expiry in the same round trip as the read.
      raw = await this.redis.getex(PREFIX + key, 'EX', this.opts.idleSeconds);
    } catch (err) {
      throw unavailable(err);
    }
    if (raw === null) return null;
    const rec = decodeSession(raw, this.opts.key, key);
    if (!rec || Date.now() - rec.createdAt > this.maxLifetimeMs) return null;
    return rec;
  }

  async delete(id: string): Promise<void> {
    try {
      await this.redis.del(PREFIX + sessionKeyOf(id));
    } catch (err) {
      throw unavailable(err);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
