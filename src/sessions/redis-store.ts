/**
 * Sessions in Redis (ioredis): sliding idle expiry, an absolute lifetime, credentials sealed at rest. Recently used
 * sessions are served from process memory kept coherent by Redis client-side caching (tracking.ts); the idle expiry is
 * then renewed at most every TOUCH_MS per session instead of on every request.
 */
import { redisUnavailable as unavailable } from '../coordination/redis';
import Redis from 'ioredis';
import { type RedisClient, connectAndPing, createRedisClient, withDeadline } from '../redis/client';
import { decodeSession, encodeSession } from './codec';
import { newSessionId, sessionKeyOf } from './crypto';
import type { SessionRecord, SessionStore, SessionStoreOptions } from './store';
import { TrackedCache } from './tracking';

/** The idle expiry of a session served from the cache is renewed at most this often (per session and instance). */
export const TOUCH_MS = 5_000;

/** Every session key starts with this (the rest is a hash of the session id). */
export const SESSION_KEY_PREFIX = 'cdm:session:';
const PREFIX = SESSION_KEY_PREFIX;

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly maxLifetimeMs: number;
  /** The last stored text of each recent session and what it decodes to: decryption once, not per request. */
  private readonly decoded = new Map<string, { raw: string; rec: SessionRecord | null }>();
  /** Sessions in process, invalidated by Redis (absent on a Cluster: see docs/operations.md). */
  readonly cache?: TrackedCache<SessionRecord | null>;
  /** When this instance last renewed each session's idle expiry. */
  private readonly touched = new Map<string, number>();
  /** TOUCH_MS, or a quarter of the idle expiry when that is shorter, so a used session never idles out. */
  private readonly touchMs: number;

  constructor(
    readonly redis: RedisClient,
    private readonly opts: SessionStoreOptions & { cache?: boolean },
  ) {
    this.maxLifetimeMs = (opts.maxLifetimeSeconds ?? 86400) * 1000;
    this.touchMs = Math.min(TOUCH_MS, opts.idleSeconds * 250);
    // A Cluster spreads keys over nodes, each tracking only its own: no single invalidation stream to follow.
    if (opts.cache !== false && redis instanceof Redis) {
      this.cache = new TrackedCache(redis, PREFIX);
      void this.cache.start();
    }
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
    const now = Date.now();
    const cache = this.cache?.active ? this.cache : undefined;
    const hit = cache?.get(PREFIX + key);
    if (hit) {
      if (!hit.value || now - hit.value.createdAt > this.maxLifetimeMs) return null;
      if (now - (this.touched.get(key) ?? 0) >= this.touchMs) {
        this.remember(key, now);
        // Best effort: a touch that fails leaves the session to the expiry it has (renewed on a later request).
        cache?.reader.expire(PREFIX + key, this.opts.idleSeconds).catch(() => undefined);
      }
      return hit.value;
    }
    const version = cache?.version ?? 0;
    const touch = now - (this.touched.get(key) ?? 0) >= this.touchMs;
    let raw: string | null;
    try {
      // Read on the tracking connection when there is one; GETEX renews the idle expiry in the same round trip, a
      // plain GET leaves it (renewed lately) and does not invalidate the other instances' copies.
      const conn = cache?.reader ?? this.redis;
      raw = await withDeadline(touch ? conn.getex(PREFIX + key, 'EX', this.opts.idleSeconds) : conn.get(PREFIX + key));
    } catch (err) {
      throw unavailable(err);
    }
    if (raw === null) return null;
    if (touch) this.remember(key, now);
    const rec = this.decode(raw, key);
    cache?.put(PREFIX + key, { raw, value: rec }, version);
    if (!rec || now - rec.createdAt > this.maxLifetimeMs) return null;
    return rec;
  }

  private remember(key: string, at: number): void {
    if (this.touched.size >= 10_000) this.touched.delete(this.touched.keys().next().value as string);
    this.touched.set(key, at);
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
    this.cache?.delete(PREFIX + sessionKeyOf(id));
    this.touched.delete(sessionKeyOf(id));
    try {
      await withDeadline(this.redis.del(PREFIX + sessionKeyOf(id)));
    } catch (err) {
      throw unavailable(err);
    }
  }

  async close(): Promise<void> {
    await this.cache?.close();
    this.redis.disconnect();
  }
}
