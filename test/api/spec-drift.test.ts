/** The response validation the suite relies on is really on: a route answering a wrong shape fails loudly. */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import vsnap from '../../plugins/vsnap';
import { createApp } from '../../src/app';
import type { ArrayConnection, BackendDefinition } from '../../src/backend';
import { MemoryCoordinator } from '../../src/coordination/memory';
import { silentLogger } from '../../src/logs/logger';
import { MemorySessionStore } from '../../src/sessions/memory-store';
import { API } from '../helpers/plugin';

describe('response validation against the spec', () => {
  it('turns a response that drifts from the spec into a 500 instead of passing it on', async () => {
    // A deliberately broken backend: its storage answer lacks required fields and has a wrong type.
    const broken = { storage: async () => ({ name: 42, id: 'x' }) } as unknown as ArrayConnection;
    const backend: BackendDefinition = {
      ...vsnap,
      create: () => ({ login: async () => ({ storageId: 'x' }), connect: () => broken, close: async () => undefined }),
    };
    const sessions = new MemorySessionStore({ idleSeconds: 60, key: randomBytes(32) });
    const logger = silentLogger();
    const app = createApp({
      config: { bodyLimit: '1mb', logDir: '/nonexistent', validateResponses: true },
      backend,
      driver: backend.create({} as never),
      sessions,
      coordinator: new MemoryCoordinator(),
      logger,
    });
    const sid = (await request(app).post(`${API}/session`).auth('a', 'b').send({ ipAddress: '127.0.0.1' }).expect(201))
      .body.sessionId;
    const res = await request(app).get(`${API}/storage`).set('x-storageplugin-sessionid', sid).expect(500);
    expect(res.body.error.type).toBe('INTERNAL');
  });
});
