/**
 * The limits on POST /session: calls per client a minute (whatever spelling of the path reaches the route) and failed
 * logins per client and per array, checked by counting what reaches the array through a proxy in front of it.
 */
import net from 'node:net';
import request from 'supertest';
import { type CountingProxy, countingProxy } from '../helpers/counting-proxy';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

const randomClient = () => `198.51.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
const wrong = `Basic ${Buffer.from('admin:wrong-password').toString('base64')}`;

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('POST /session limits', () => {
  let p: TestPlugin;
  let proxy: CountingProxy;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    proxy = await countingProxy(p.sim.port);
  });
  afterAll(async () => {
    await proxy.close();
    await p.close();
  });

  /** A plugin on the same simulator and Redis with these limits, the client address taken from X-Forwarded-For. */
  async function limited(config: Record<string, number>): Promise<TestPlugin> {
    return startTestPlugin('vsnap', { config: { trustProxy: 1, ...config } });
  }

  it('counts every spelling of the path that reaches the route: past 30 calls, 50 wrong passwords to /session/ are 429 and never reach the array', async () => {
    const l = await limited({ sessionRateLimit: 30 });
    try {
      const client = randomClient();
      const target = { ipAddress: '127.0.0.1', port: proxy.port };
      for (let i = 0; i < 30; i++) {
        const res = await request(l.app)
          .post(`${API}/session`)
          .set('x-forwarded-for', client)
          .set('authorization', l.auth)
          .send(target);
        expect(res.status).toBe(201);
      }
      // Another client address is not limited. It is a random one, not the loopback address that every other suite
      // sharing this Redis counts against the same limit.
      const other = await request(l.app)
        .post(`${API}/session`)
        .set('x-forwarded-for', randomClient())
        .set('authorization', l.auth)
        .send(l.target)
        .expect(201);
      const sid = other.body.sessionId as string;
      const reached = proxy.count;
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        const res = await request(l.app)
          .post(`${API}/session/`)
          .set('x-forwarded-for', client)
          .set('authorization', wrong)
          .send(target);
        statuses.push(res.status);
        if (i === 0) {
          expect(res.body.error.type).toBe('TOO_MANY_REQUESTS');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(new Set(statuses)).toEqual(new Set([429]));
      // Case variants reach the route too when the router matches them (a session header passes the session check).
      for (const spelling of ['/Session', '/SESSION/']) {
        const res = await request(l.app)
          .post(`${API}${spelling}`)
          .set('x-forwarded-for', client)
          .set('x-storageplugin-sessionid', sid)
          .set('authorization', wrong)
          .send(target);
        expect([spelling, res.status]).toEqual([spelling, 429]);
      }
      expect(proxy.count).toBe(reached);
    } finally {
      await l.close();
    }
  }, 60_000);

  it('holds a client back after its failed logins reach the limit, whatever array it tries, and not other clients', async () => {
    const l = await limited({ loginFailuresPerClient: 3, loginFailureWindowSeconds: 60 });
    try {
      const client = randomClient();
      const post = (auth: string, target: object, from = client) =>
        request(l.app).post(`${API}/session`).set('x-forwarded-for', from).set('authorization', auth).send(target);
      const target = { ipAddress: '127.0.0.1', port: proxy.port };
      expect((await post(wrong, target)).status).toBe(401);
      expect((await post(wrong, target)).status).toBe(401);
      // A port where nothing listens is a failed login too (a scan counts).
      expect((await post(l.auth, { ipAddress: '127.0.0.1', port: await closedPort() })).status).toBe(503);
      const reached = proxy.count;
      const held = await post(l.auth, target).expect(429);
      expect(held.body.error.type).toBe('TOO_MANY_REQUESTS');
      expect(held.body.error.message).toMatch(/failed logins from this address/);
      const retry = Number(held.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
      expect(proxy.count).toBe(reached);
      await post(l.auth, target, randomClient()).expect(201);
    } finally {
      await l.close();
    }
  }, 30_000);

  it('holds an array back after failed logins to it from several clients reach the limit, and not other arrays', async () => {
    const l = await limited({ loginFailuresPerArray: 3, loginFailureWindowSeconds: 60 });
    // Arrays of their own (the other tests' failures count against the shared proxy's address).
    const [mine, other] = [await countingProxy(p.sim.port), await countingProxy(p.sim.port)];
    try {
      const post = (auth: string, port: number) =>
        request(l.app)
          .post(`${API}/session`)
          .set('x-forwarded-for', randomClient())
          .set('authorization', auth)
          .send({ ipAddress: '127.0.0.1', port });
      for (let i = 0; i < 3; i++) expect((await post(wrong, mine.port)).status).toBe(401);
      const reached = mine.count;
      const held = await post(l.auth, mine.port).expect(429);
      expect(held.body.error.message).toMatch(/failed logins to this array/);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(mine.count).toBe(reached);
      await post(l.auth, other.port).expect(201);
    } finally {
      await Promise.all([mine.close(), other.close()]);
      await l.close();
    }
  }, 30_000);
});
