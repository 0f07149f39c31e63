/** Picks the session store: Redis when REDIS_URL is set or the default address answers, else in-process with a loud warning. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { MemorySessionStore } from './memory-store';
import { FAIL_FAST, RedisSessionStore } from './redis-store';
import type { SessionStore, SessionStoreOptions } from './store';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export async function openSessionStore(
  config: Pick<Config, 'redisUrl' | 'sessionIdleSeconds' | 'sessionKey'>,
  logger: Logger,
  /** Where to look for a Redis when REDIS_URL is not set. */
  defaultUrl = DEFAULT_REDIS_URL,
): Promise<SessionStore> {
  let key = config.sessionKey;
  if (!key) {
    key = randomBytes(32);
    logger.warn('SESSION_ENCRYPTION_KEY is not set: array credentials are sealed with a key of this process only, so sessions do not survive a restart and are not shared between plugin instances');
  }
  const opts: SessionStoreOptions = { idleSeconds: config.sessionIdleSeconds, key };

  if (config.redisUrl) {
    // An explicit Redis is required: start even if it is down right now (calls answer 503 until it is back).
    const redis = new Redis(config.redisUrl, { ...FAIL_FAST, lazyConnect: false });
    redis.on('error', (err) => logger.warn({ err: err.message }, 'session store (Redis) error'));
    return new RedisSessionStore(redis, opts);
  }
  try {
    const store = await RedisSessionStore.connect(defaultUrl, opts);
    logger.info(`sessions are kept in Redis at ${defaultUrl}`);
    return store;
  } catch {
    logger.warn(
      `!!! No REDIS_URL and no Redis answers at ${defaultUrl}: sessions are kept IN THIS PROCESS ONLY. ` +
        'They are lost on restart and not shared with other plugin instances. Set REDIS_URL for production. !!!',
    );
    return new MemorySessionStore(opts);
  }
}
