/**
 * The array change feed (see ArrayChangeFeed in backend.ts) over Redis pub/sub: an instance that changes something on
 * an array publishes the array's id, and every instance (itself included) drops what it holds for that array.
 */
import type { ArrayChangeFeed } from '../backend';
import type { RedisClient } from '../redis/client';

const CHANNEL = 'cdm:array-changed';

export class RedisChangeFeed implements ArrayChangeFeed {
  private readonly sub: RedisClient;
  private readonly listeners: ((array: string) => void)[] = [];

  constructor(private readonly redis: RedisClient) {
    this.sub = redis.duplicate();
    this.sub.on('error', () => undefined);
    this.sub.on('message', (channel: string, array: string) => {
      if (channel === CHANNEL) for (const l of this.listeners) l(array);
    });
    // Subscribed again after every reconnect (ioredis resubscribes by itself).
    this.sub.subscribe(CHANNEL).catch(() => undefined);
  }

  announce(array: string): void {
    // Best effort: a change not announced is seen elsewhere when the memo's few seconds have passed.
    this.redis.publish(CHANNEL, array).catch(() => undefined);
  }

  onChange(listener: (array: string) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.sub.disconnect();
  }
}
