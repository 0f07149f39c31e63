/** The adapters' name store (see NameStore in backend.ts): Redis keys without expiry, or a map in process. */
import { Cluster } from 'ioredis';
import type { NameStore } from '../backend';
import { type RedisClient, withDeadline } from '../redis/client';
import { redisUnavailable } from './redis';

const PREFIX = 'cdm:name:';

export class RedisNameStore implements NameStore {
  constructor(private readonly redis: RedisClient) {}

  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(fn());
    } catch (err) {
      throw redisUnavailable(err);
    }
  }

  async get(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    // One key at a time on a cluster (the keys of one MGET must share a slot); one round trip otherwise.
    if (this.redis instanceof Cluster) return Promise.all(keys.map((k) => this.run(() => this.redis.get(PREFIX + k))));
    return this.run(() => this.redis.mget(keys.map((k) => PREFIX + k)));
  }

  async set(key: string, value: string): Promise<void> {
    await this.run(() => this.redis.set(PREFIX + key, value));
  }

  async remove(key: string): Promise<void> {
    await this.run(() => this.redis.del(PREFIX + key));
  }
}

/** The fallback when no Redis answers: names live as long as this process. */
export class MemoryNameStore implements NameStore {
  private readonly names = new Map<string, string>();

  async get(keys: string[]): Promise<(string | null)[]> {
    return keys.map((k) => this.names.get(k) ?? null);
  }

  async set(key: string, value: string): Promise<void> {
    this.names.set(key, value);
  }

  async remove(key: string): Promise<void> {
    this.names.delete(key);
  }
}
