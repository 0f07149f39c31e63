/**
 * Opens the shared state of the plugin: sessions and coordination (locks, creates, rate limits), in Redis or in
 * process.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { ArrayChangeFeed, CursorStore, NameStore } from './backend';
import { RedisChangeFeed } from './coordination/changes';
import { MemoryCursorStore, RedisCursorStore } from './coordination/cursors';
import type { Coordinator } from './coordination/coordinator';
import { MemoryCoordinator } from './coordination/memory';
import { MemoryNameStore, RedisNameStore } from './coordination/names';
import { RedisCoordinator } from './coordination/redis';
import { Cluster } from 'ioredis';
import { type RedisClient, connectAndPing, createRedisClient, withDeadline } from './redis/client';
import { MemorySessionStore } from './sessions/memory-store';
import { RedisSessionStore, SESSION_KEY_PREFIX } from './sessions/redis-store';
import type { SessionStore, SessionStoreOptions } from './sessions/store';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface Stores {
  sessions: SessionStore;
  coordinator: Coordinator;
  /** Names adapters keep for arrays that cannot (see NameStore). */
  names: NameStore;
  /** Where page walks remember their array cursors. */
  cursors: CursorStore;
  /** Changes made on arrays by other instances (none without Redis: the instance is alone). */
  arrayChanges?: ArrayChangeFeed;
  redis?: RedisClient;
  /** Resolves when the store answers (readiness); in-process stores always do. */
  ping(): Promise<void>;
  /** Sessions held, counted (sampled) for the metrics; bounded, so a huge store is counted up to a cap. */
  countSessions(): Promise<number>;
  close(): Promise<void>;
}

/** Session keys counted at most per sample: past it the gauge says "at least this many". */
const COUNT_CAP = 1_000_000;

/** Keys matching `pattern`, by SCAN on every master (a Cluster spreads them), up to COUNT_CAP. */
async function scanCount(redis: RedisClient, pattern: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let n = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await withDeadline(node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
      cursor = next;
      n += keys.length;
    } while (cursor !== '0' && n < COUNT_CAP);
  }
  return n;
}

type StoreConfig = Pick<
  Config,
  | 'redisUrl'
  | 'redisSentinels'
  | 'redisSentinelMaster'
  | 'redisClusterNodes'
  | 'redisPassword'
  | 'redisCommandTimeoutMs'
  | 'sessionIdleSeconds'
  | 'sessionMaxLifetimeSeconds'
  | 'sessionKey'
>;

function onRedis(redis: RedisClient, opts: SessionStoreOptions): Stores {
  const arrayChanges = new RedisChangeFeed(redis);
  const sessions = new RedisSessionStore(redis, opts);
  return {
    arrayChanges,
    sessions,
    coordinator: new RedisCoordinator(redis),
    names: new RedisNameStore(redis),
    cursors: new RedisCursorStore(redis),
    redis,
    ping: async () => void (await withDeadline(redis.ping())),
    countSessions: () => scanCount(redis, `${SESSION_KEY_PREFIX}*`),
    close: async () => {
      arrayChanges.close();
      // The session store's own connections (its cache's reader and subscriber) and the shared client.
      await sessions.close();
    },
  };
}

/**
 * The client's connection errors, once per kind: while Redis is down the client retries about every second, and each
 * retry failing the same way says nothing new. A reconnection lets the next error be logged again.
 */
function logRedisErrors(redis: RedisClient, logger: Logger): void {
  let last: string | undefined;
  redis.on('error', (err: Error) => {
    if (err.message === last) return;
    last = err.message;
    logger.warn({ err: err.message }, 'Redis error (repeats of it are not logged until Redis is back)');
  });
  redis.on('ready', () => (last = undefined));
}

export async function openStores(
  config: Partial<StoreConfig> & Pick<StoreConfig, 'sessionIdleSeconds'>,
  logger: Logger,
  defaultUrl = DEFAULT_REDIS_URL,
): Promise<Stores> {
  let key = config.sessionKey;
  if (!key) {
    key = randomBytes(32);
    logger.warn(
      'SESSION_ENCRYPTION_KEY is not set: array credentials are sealed with a key of this process only, so sessions do not survive a restart and are not shared between plugin instances',
    );
  }
  const opts: SessionStoreOptions = {
    idleSeconds: config.sessionIdleSeconds,
    maxLifetimeSeconds: config.sessionMaxLifetimeSeconds,
    key,
  };
  const redisConfig = {
    url: config.redisUrl,
    sentinels: config.redisSentinels,
    sentinelMaster: config.redisSentinelMaster,
    clusterNodes: config.redisClusterNodes,
    password: config.redisPassword,
    commandTimeoutMs: config.redisCommandTimeoutMs,
  };

  if (config.redisUrl || config.redisSentinels?.length || config.redisClusterNodes?.length) {
    // Redis is required: start even if it is down right now; calls answer 503 until it is back.
    const redis = createRedisClient(redisConfig);
    logRedisErrors(redis, logger);
    // Give it a moment to connect so the first calls do not fail needlessly, but do not wait for an outage.
    const ready = redis.connect().then(
      () => true,
      () => false,
    );
    if (!(await Promise.race([ready, new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]))) {
      logger.error('Redis does not answer yet: calls needing it answer 503 until it does');
    }
    return onRedis(redis, opts);
  }
  const redis = createRedisClient({ ...redisConfig, url: defaultUrl });
  redis.on('error', () => undefined);
  try {
    await connectAndPing(redis);
  } catch {
    logger.warn(
      `!!! No REDIS_URL and no Redis answers at ${defaultUrl}: sessions are kept IN THIS PROCESS ONLY. ` +
        'They are lost on restart and not shared with other plugin instances. Set REDIS_URL for production. !!!',
    );
    const sessions = new MemorySessionStore(opts);
    return {
      sessions,
      coordinator: new MemoryCoordinator(),
      names: new MemoryNameStore(),
      cursors: new MemoryCursorStore(),
      ping: async () => undefined,
      countSessions: async () => sessions.count(),
      close: async () => undefined,
    };
  }
  redis.removeAllListeners('error');
  logRedisErrors(redis, logger);
  logger.info(`sessions are kept in Redis at ${defaultUrl}`);
  return onRedis(redis, opts);
}
