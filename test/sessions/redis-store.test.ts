import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { StorageError } from '../../src/domain/errors';
import { sessionKeyOf } from '../../src/sessions/crypto';
import { RedisSessionStore } from '../../src/sessions/redis-store';
import { REDIS_URL } from '../helpers/env';

const record = () => ({
  backend: 'vsnap',
  identity: { storageId: 'array-1' },
  target: { ipAddress: '127.0.0.1', port: 8900 },
  credentials: { username: 'admin', password: `pw-${randomBytes(4).toString('hex')}` },
  createdAt: Date.now(),
});

describe('the Redis session store (real Redis)', () => {
  let store: RedisSessionStore;
  let raw: Redis;
  const key = randomBytes(32);

  beforeAll(async () => {
    store = await RedisSessionStore.connect(REDIS_URL, { idleSeconds: 2, key });
    raw = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await store.close();
    raw.disconnect();
  });

  it('gives back what was stored', async () => {
    const rec = record();
    const id = await store.create(rec);
    expect(await store.get(id)).toEqual(rec);
  });

  it('keeps the credentials encrypted at rest and the id out of the key', async () => {
    const rec = record();
    const id = await store.create(rec);
    const keys = await raw.keys('cdm:session:*');
    expect(keys.some((k) => k.includes(id))).toBe(false);
    const value = await raw.get(`cdm:session:${sessionKeyOf(id)}`);
    expect(value).not.toBeNull();
    expect(value).not.toContain(rec.credentials.password);
    expect(value).not.toContain('"username"');
  });

  it('forgets an idle session after the idle timeout', async () => {
    const id = await store.create(record());
    await new Promise((r) => setTimeout(r, 3100));
    expect(await store.get(id)).toBeNull();
  });

  it('slides the expiry on every use', async () => {
    const id = await store.create(record());
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1200));
      expect(await store.get(id)).not.toBeNull();
    }
    expect(await raw.ttl(`cdm:session:${sessionKeyOf(id)}`)).toBeGreaterThan(0);
  });

  it('ends a session on delete', async () => {
    const id = await store.create(record());
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
  });

  it('refuses a session past its absolute lifetime however recently it was used', async () => {
    // No session cache of its own: it shares the suite's connection, which the suite closes.
    const short = new RedisSessionStore(store.redis, { idleSeconds: 60, maxLifetimeSeconds: 1, key, cache: false });
    const id = await short.create({ ...record(), createdAt: Date.now() - 1500 });
    expect(await short.get(id)).toBeNull();
  });

  it('answers SESSION_STORE_UNAVAILABLE fast when Redis does not answer', async () => {
    const dead = new RedisSessionStore(
      new Redis('redis://127.0.0.1:1', {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        lazyConnect: true,
        retryStrategy: () => null,
      }),
      {
        idleSeconds: 60,
        key,
      },
    );
    dead.redis.on('error', () => undefined);
    const started = Date.now();
    await expect(dead.get('x')).rejects.toMatchObject({ code: 'SESSION_STORE_UNAVAILABLE' });
    await expect(dead.create(record())).rejects.toBeInstanceOf(StorageError);
    expect(Date.now() - started).toBeLessThan(1000);
    await dead.close();
  });
});
