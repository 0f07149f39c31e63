/**
 * A plugin instance in miniature, run as a child process: it takes a lock and starts a create that never ends, says
 * "held", and keeps renewing both leases until it is killed.
 */
import Redis from 'ioredis';
import { RedisCoordinator } from '../../src/coordination/redis';
import { createOnce } from '../../src/domain/idempotency';
import { withLocks } from '../../src/domain/locks';
import { REDIS_URL } from './env';

const [lockKey, createKey, lease] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const coord = new RedisCoordinator(new Redis(REDIS_URL));
const forever = new Promise<never>(() => setInterval(() => undefined, 60_000));

void withLocks(coord, [{ key: lockKey, what: 'the volume' }], { ttlMs: lease }, () => {
  void createOnce(
    coord,
    { key: createKey, what: 'a snapshot', params: { a: 1 }, windowMs: 60_000, waitMs: 1000, leaseMs: lease },
    () => {
      console.log('held');
      return forever;
    },
    () => forever,
  );
  return forever;
});
