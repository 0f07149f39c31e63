/** The page-cursor store (see CursorStore in backend.ts): Redis keys with a short expiry, or a bounded map in process. */
import type { CursorStore } from '../backend';
import { type RedisClient, withDeadline } from '../redis/client';

const PREFIX = 'cdm:cursor:';

/** How long a walk's cursor is remembered: CDM reads the pages of one walk seconds apart. */
export const CURSOR_TTL_SECONDS = 300;

export class RedisCursorStore implements CursorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds = CURSOR_TTL_SECONDS,
  ) {}

  get = (key: string) => withDeadline(this.redis.get(PREFIX + key), 250);

  async set(key: string, value: string): Promise<void> {
    await withDeadline(this.redis.set(PREFIX + key, value, 'EX', this.ttlSeconds), 250);
  }
}

/** In process: the oldest entries go first past `max`, and expired ones are never answered. */
export class MemoryCursorStore implements CursorStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds = CURSOR_TTL_SECONDS,
    private readonly max = 10_000,
  ) {}

  async get(key: string): Promise<string | null> {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return e.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlSeconds * 1000 });
  }
}
