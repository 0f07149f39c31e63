/** Security headers, CORS, the shared rate limit on POST /session, body limits and strict JSON. */
import request from 'supertest';
import { API, type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

describe('security headers, CORS and request limits', () => {
  let p: TestPlugin;
  let sid: string;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    sid = await p.login();
  });
  afterAll(() => p.close());

  it("sends an API's security headers on answers and errors, and hides the framework", async () => {
    const res = await request(p.app).get(`${API}/info`).expect(200);
    const missing = await request(p.app).get(`${API}/storage`).expect(401); // an error answer carries them too
    for (const r of [res, missing]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('has CORS off by default: no browser origin is allowed', async () => {
    const res = await request(p.app).get(`${API}/info`).set('origin', 'https://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the configured origins when CORS is configured, preflight included', async () => {
    const c = await startTestPlugin('vsnap', { config: { corsOrigins: ['https://cdm.example'] } });
    try {
      const ok = await request(c.app).get(`${API}/info`).set('origin', 'https://cdm.example').expect(200);
      expect(ok.headers['access-control-allow-origin']).toBe('https://cdm.example');
      const pre = await request(c.app)
        .options(`${API}/storage`)
        .set('origin', 'https://cdm.example')
        .set('access-control-request-method', 'GET')
        .expect(204);
      expect(pre.headers['access-control-allow-headers']).toMatch(/x-storageplugin-sessionid/);
      const other = await request(c.app).get(`${API}/info`).set('origin', 'https://evil.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const big = { name: 'x'.repeat(1_100_000) };
    const res = await p.post('/server/0/volume/1/snapshot', sid, big).expect(413);
    expect(res.body.error.type).toBe('PAYLOAD_TOO_LARGE');
  });

  it('parses JSON strictly: a bare value is not a body', async () => {
    const res = await p
      .post('/server/0/volume/1/snapshot', sid)
      .set('content-type', 'application/json')
      .send('"just a string"')
      .expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
  });

  it('ignores unknown body fields, as the spec says', async () => {
    const v = await p.fixture.createVolume({ name: uniq('extra'), type: 'lun', sizeBytes: 1 << 20 });
    const res = await p
      .post(`/server/0/volume/${v.id}/snapshot`, sid, { name: uniq('s'), someFutureField: { a: 1 } })
      .expect(201);
    expect(res.body.someFutureField).toBeUndefined();
  });
});

describe('the POST /session rate limit, shared by plugin instances', () => {
  it('counts calls on every instance together and answers 429 with Retry-After past the limit', async () => {
    // Two instances on one Redis; the client address comes from X-Forwarded-For (one trusted proxy).
    const config = { sessionRateLimit: 5, trustProxy: 1 };
    const [a, b] = [await startTestPlugin('vsnap', { config }), await startTestPlugin('vsnap', { config })];
    try {
      const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      const post = (app: TestPlugin['app']) =>
        request(app).post(`${API}/session`).set('x-forwarded-for', client).set('authorization', a.auth).send(a.target);
      const statuses = [];
      for (const app of [a.app, b.app, a.app, b.app, a.app]) statuses.push((await post(app)).status);
      expect(statuses).toEqual([201, 201, 201, 201, 201]);
      const limited = await post(b.app).expect(429);
      expect(limited.body.error.type).toBe('TOO_MANY_REQUESTS');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(a.app)).status).toBe(429);
      // Another client is not affected.
      await request(a.app)
        .post(`${API}/session`)
        .set('x-forwarded-for', `203.0.113.${Math.floor(Math.random() * 250) + 1}`)
        .set('authorization', a.auth)
        .send(a.target)
        .expect(201);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('request validation without response validation (the production set-up)', () => {
  it('validates a repeated GET the same way every time: accepted ones pass, refused ones keep being refused', async () => {
    const p = await startTestPlugin('vsnap', { config: { validateResponses: false } });
    try {
      const sid = await p.login();
      for (let i = 0; i < 3; i++) {
        await p.get('/server/0/volume?limit=5', sid).expect(200);
        const bad = await p.get('/server/0/volume?limit=abc', sid).expect(400);
        expect(bad.body.error.type).toBe('BAD_REQUEST');
        await p.get('/server/0/volume?limit=5&unknown=1', sid).expect(400);
        await p.get('/server/0/volume/..%2Fx', sid).expect(400);
      }
      // Once accepted, the same line without a session is still refused by the session check.
      await request(p.app).get(`${API}/server/0/volume?limit=5`).expect(401);
    } finally {
      await p.close();
    }
  });
});
