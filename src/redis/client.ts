/** Builds the ioredis client from configuration: a single Redis URL, Sentinel, or Cluster, all failing fast. */
import Redis, { Cluster, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisConfig {
  /** redis://[user:pass@]host:port[/db] of a single Redis. */
  url?: string;
  /** Sentinel addresses (host:port) and the monitored master's name. */
  sentinels?: { host: string; port: number }[];
  sentinelMaster?: string;
  /** Cluster seed nodes (host:port). */
  clusterNodes?: { host: string; port: number }[];
  /** Password for Sentinel/Cluster nodes (a URL carries its own). */
  password?: string;
  /**
   * A command that has not answered within this budget fails, so a hung Redis answers 503 quickly.
   * @default 250
   */
  commandTimeoutMs?: number;
}

/**
 * Fail fast instead of queueing: no offline queue (commands fail at once while disconnected), a
 * command timeout, one attempt per request, and reconnection in the background with bounded
 * back-off, so the plugin recovers by itself when Redis is back.
 */
export function failFastOptions(commandTimeoutMs = 250): RedisOptions {
  return {
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails at once instead of waiting to be resent
    // after a reconnect that may never come.
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    lazyConnect: true,
  };
}

/** A client for the configured topology; it connects lazily (call connect() or let commands fail fast). */
export function createRedisClient(cfg: RedisConfig): RedisClient {
  const base = failFastOptions(cfg.commandTimeoutMs);
  if (cfg.clusterNodes?.length) {
    return new Cluster(cfg.clusterNodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
      redisOptions: { ...base, password: cfg.password },
    });
  }
  if (cfg.sentinels?.length) {
    return new Redis({
      ...base,
      sentinels: cfg.sentinels,
      name: cfg.sentinelMaster ?? 'mymaster',
      password: cfg.password,
      sentinelPassword: cfg.password,
    });
  }
  return new Redis(cfg.url ?? 'redis://127.0.0.1:6379', base);
}

/** Connects and waits until Redis answers a PING; rejects (and disconnects) if it does not. */
export async function connectAndPing(client: RedisClient): Promise<void> {
  try {
    if (client.status === 'wait') await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw err;
  }
}

/**
 * A ceiling on a Redis call, above the client's own command timeout: whatever happens to the
 * connection, the plugin answers instead of waiting.
 */
export function withDeadline<T>(p: Promise<T>, ms = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
