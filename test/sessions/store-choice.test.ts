import { Writable } from 'node:stream';
import pino from 'pino';
import { openSessionStore } from '../../src/sessions';
import { REDIS_URL } from '../helpers/env';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  return { logger, lines };
}

describe('choosing the session store', () => {
  it('uses Redis when it answers at the default address', async () => {
    const { logger } = capture();
    const store = await openSessionStore({ sessionIdleSeconds: 60 }, logger, REDIS_URL);
    expect(store.kind).toBe('redis');
    await store.close();
  });

  it('falls back to an in-process store with a loud warning when no Redis answers', async () => {
    const { logger, lines } = capture();
    const store = await openSessionStore({ sessionIdleSeconds: 60 }, logger, 'redis://127.0.0.1:1');
    expect(store.kind).toBe('memory');
    expect(lines.join('')).toMatch(/IN THIS PROCESS ONLY/);
    const id = await store.create({ identity: { storageId: 's' }, target: {}, credentials: { username: 'u', password: 'p' }, createdAt: Date.now() });
    expect((await store.get(id))?.credentials.password).toBe('p');
    await store.close();
  });

  it('warns that sessions will not be shared when no encryption key is configured', async () => {
    const { logger, lines } = capture();
    const store = await openSessionStore({ sessionIdleSeconds: 60 }, logger, REDIS_URL);
    expect(lines.join('')).toMatch(/SESSION_ENCRYPTION_KEY is not set/);
    await store.close();
  });
});
