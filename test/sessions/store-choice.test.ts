import { Writable } from 'node:stream';
import pino from 'pino';
import { openStores } from '../../src/stores';
import { REDIS_URL } from '../helpers/env';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  return { logger, lines };
}

describe('choosing the session store', () => {
  it('uses Redis when it answers at the default address', async () => {
    const { logger } = capture();
    const stores = await openStores({ sessionIdleSeconds: 60 }, logger, REDIS_URL);
    expect([stores.sessions.kind, stores.coordinator.kind]).toEqual(['redis', 'redis']);
    await stores.close();
  });

  it('falls back to an in-process store with a loud warning when no Redis answers', async () => {
    const { logger, lines } = capture();
    const stores = await openStores({ sessionIdleSeconds: 60 }, logger, 'redis://127.0.0.1:1');
    const store = stores.sessions;
    expect([store.kind, stores.coordinator.kind]).toEqual(['memory', 'memory']);
    expect(lines.join('')).toMatch(/IN THIS PROCESS ONLY/);
    const id = await store.create({
      backend: 'vsnap',
      identity: { storageId: 's' },
      target: {},
      credentials: { username: 'u', password: 'p' },
      createdAt: Date.now(),
    });
    expect((await store.get(id))?.credentials.password).toBe('p');
    await store.close();
  });

  it('warns that sessions will not be shared when no encryption key is configured', async () => {
    const { logger, lines } = capture();
    const stores = await openStores({ sessionIdleSeconds: 60 }, logger, REDIS_URL);
    expect(lines.join('')).toMatch(/SESSION_ENCRYPTION_KEY is not set/);
    await stores.close();
  });
});
