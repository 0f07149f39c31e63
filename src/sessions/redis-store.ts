/** Sessions in Redis (ioredis): sliding idle expiry with GETEX, an absolute lifetime, credentials sealed at rest. */
import { redisUnavailable as unavailable } from '../coordination/redis';
import { type RedisClient, connectAndPing, createRedisClient, withDeadline } from '../redis/client';
import { decodeSession, encodeSession } from './codec';
import { newSessionId, sessionKeyOf } from './crypto';
import type { SessionRecord, SessionStore, SessionStoreOptions } from './store';

/** Every session key starts with this (the rest is a hash of the session id). */
export const SESSION_KEY_PREFIX = 'cdm:session:';
const PREFIX = SESSION_KEY_PREFIX;

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly maxLifetimeMs: number;
  /** The last stored text of each recent session and what it decodes to: decryption once, not per request. */
  private readonly decoded = new Map<string, { raw: string; rec: SessionRecord | null }>();

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
      await withDeadline(
        this.redis.set(PREFIX + key, encodeSession(record, this.opts.key, key), 'EX', this.opts.idleSeconds, 'NX'),
      );
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
      raw = await withDeadline(this.redis.getex(PREFIX + key, 'EX', this.opts.idleSeconds));
    } catch (err) {
      throw unavailable(err);
    }
    if (raw === null) return null;
    const rec = this.decode(raw, key);
    if (!rec || Date.now() - rec.createdAt > this.maxLifetimeMs) return null;
    return rec;
  }

  private decode(raw: string, key: string): SessionRecord | null {
    const hit = this.decoded.get(key);
    if (hit?.raw === raw) return hit.rec;
    const rec = decodeSession(raw, this.opts.key, key);
    if (this.decoded.size >= 10_000) this.decoded.delete(this.decoded.keys().next().value as string);
    this.decoded.set(key, { raw, rec });
    return rec;
  }

  async delete(id: string): Promise<void> {
    this.decoded.delete(sessionKeyOf(id));
    try {
      await withDeadline(this.redis.del(PREFIX + sessionKeyOf(id)));
    } catch (err) {
      throw unavailable(err);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
