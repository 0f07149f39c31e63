// The name store adapters keep what their arrays cannot (the names CDM gives objects a cloud names itself): in Redis
// without expiry, shared by every plugin instance, or in the process when no Redis answers.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { openStores } from '../../src/stores';
import { REDIS_URL } from '../helpers/env';

const silent = pino({ level: 'silent' });

describe.each([
  ['Redis', REDIS_URL],
  ['the process', 'redis://127.0.0.1:1'],
])('the name store in %s', (_where, url) => {
  it('answers each key in order (null where none), keeps what is set, and forgets what is removed', async () => {
    const stores = await openStores({ sessionIdleSeconds: 60 }, silent, url);
    const k = (n: string) => `test:${randomBytes(6).toString('hex')}:${n}`;
    const [a, b, c] = [k('a'), k('b'), k('c')];
    try {
      expect(await stores.names.get([])).toEqual([]);
      await stores.names.set(a, 'vol1-clone');
      await stores.names.set(c, 'nightly 2026-12-07');
      expect(await stores.names.get([a, b, c])).toEqual(['vol1-clone', null, 'nightly 2026-12-07']);
      await stores.names.remove(a);
      expect(await stores.names.get([a, c])).toEqual([null, 'nightly 2026-12-07']);
    } finally {
      await stores.names.remove(c);
      await stores.close();
    }
  });
});

it('Redis keeps names for every instance: a second connection reads what the first set', async () => {
  const [one, two] = await Promise.all([
    openStores({ sessionIdleSeconds: 60 }, silent, REDIS_URL),
    openStores({ sessionIdleSeconds: 60 }, silent, REDIS_URL),
  ]);
  const key = `test:${randomBytes(6).toString('hex')}`;
  try {
    await one.names.set(key, 'shared');
    expect(await two.names.get([key])).toEqual(['shared']);
    expect(await one.redis!.pttl(`cdm:name:${key}`)).toBe(-1);
  } finally {
    await one.names.remove(key);
    await Promise.all([one.close(), two.close()]);
  }
});
