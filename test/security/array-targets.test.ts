/**
 * What POST /session may be pointed at: a host name or IP literal only (400 otherwise, never a 500), only the arrays
 * ARRAY_ALLOWLIST lists (403 before any connection), and a failed login tells nothing about what listens there: every
 * failure that is not the array refusing the credentials answers one fixed body.
 */
import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { parseAllowlist } from '../../src/domain/allowlist';
import { schemaIssues } from '../../src/http/spec';
import { TEST_BACKENDS } from '../helpers/backends';
import { countingProxy } from '../helpers/counting-proxy';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

const BAD_HOSTS = [
  ' ',
  '127.0.0.1%00',
  'user:pw@127.0.0.1',
  '127.0.0.1:8900/sim/faults?',
  '127.0.0.1\r\nX-Injected: 1',
  'array1\n',
  `${'a'.repeat(64)}.example.com`,
  `${'a.'.repeat(127)}ab`,
  '999.1.1.1',
  '1.2.3',
  '0x7f.0.0.1',
  '1::2::3',
  'fe80::1%25eth0',
  '[::1]',
];

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

/** Far sides that are not the array: nothing listening, a TCP service that is not HTTP, another web service. */
async function strangers() {
  const probe = net.createServer();
  const closed = await listen(probe);
  await new Promise((r) => probe.close(r));
  const sockets = new Set<net.Socket>();
  const smtp = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.end('220 mail.internal ESMTP Postfix secret-banner\r\n');
  });
  const web = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Cannot GET: internal admin console v1.2 (secret-text)');
  });
  const [smtpPort, webPort] = [await listen(smtp), await listen(web)];
  return {
    ports: { closed, smtp: smtpPort, web: webPort },
    close: async () => {
      web.closeAllConnections();
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => smtp.close(r)), new Promise((r) => web.close(r))]);
    },
  };
}

describe.each(TEST_BACKENDS)('%s: POST /session targets', (name) => {
  let p: TestPlugin;
  beforeAll(async () => {
    p = await startTestPlugin(name, { timeoutMs: 3000 });
  });
  afterAll(() => p.close());

  it.each(BAD_HOSTS.flatMap((h) => [['ipAddress', h] as const, ['hostname', h] as const]))(
    'answers 400 naming %s for %j, never a 500',
    async (field, host) => {
      const res = await request(p.app)
        .post(`${API}/session`)
        .set('authorization', p.auth)
        .send({ [field]: host, port: p.target.port });
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('BAD_REQUEST');
      expect(JSON.stringify(res.body.error)).toContain(field);
      expect(schemaIssues('Error', res.body)).toEqual([]);
    },
  );

  it('answers one fixed body for a closed port, a non-HTTP service and another web service, reflecting nothing', async () => {
    const s = await strangers();
    try {
      const bodies: string[] = [];
      for (const [what, port] of Object.entries(s.ports)) {
        const res = await request(p.app)
          .post(`${API}/session`)
          .set('authorization', p.auth)
          .send({ ipAddress: '127.0.0.1', port });
        expect([what, res.status]).toEqual([what, 503]);
        expect(res.body.error.type).toBe('BACKEND_UNAVAILABLE');
        expect(res.body.error.requestId).toEqual(expect.any(String));
        const text = JSON.stringify({ ...res.body.error, requestId: undefined });
        expect(text).not.toMatch(/secret|ECONN|Postfix|404|Cannot GET|HTTP/);
        bodies.push(text);
      }
      expect(new Set(bodies).size).toBe(1);
    } finally {
      await s.close();
    }
  }, 30_000);

  it('still answers 401 when the array itself refuses the credentials', async () => {
    const bad = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    const res = await request(p.app).post(`${API}/session`).set('authorization', bad).send(p.target).expect(401);
    expect(res.body.error.message).toBe('the array refused the credentials');
  });
});

describe('ARRAY_ALLOWLIST', () => {
  let p: TestPlugin;
  let counter: Awaited<ReturnType<typeof countingProxy>>;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    counter = await countingProxy(p.sim.port);
  });
  afterAll(async () => {
    await counter.close();
    await p.close();
  });

  /** POST /session to the array through the counting proxy, from a plugin with this allowlist. */
  async function attempt(allowlist: string, target: { hostname?: string; ipAddress?: string }) {
    const a = await startTestPlugin('vsnap', { config: { arrayAllowlist: parseAllowlist(allowlist) } });
    try {
      const before = counter.count;
      const res = await request(a.app)
        .post(`${API}/session`)
        .set('authorization', a.auth)
        .send({ ...target, port: counter.port });
      return { status: res.status, body: res.body, reached: counter.count - before };
    } finally {
      await a.close();
    }
  }

  it.each([
    ['an IP', (port: number) => `127.0.0.1:${port}`, { ipAddress: '127.0.0.1' }],
    ['an IP, any port', () => '127.0.0.1', { ipAddress: '127.0.0.1' }],
    ['a CIDR range and port', (port: number) => `10.0.0.0/8, 127.0.0.0/24:${port}`, { ipAddress: '127.0.0.1' }],
    ['a CIDR range, IPv4-mapped IPv6', () => '127.0.0.0/8', { ipAddress: '::ffff:127.0.0.1' }],
    ['a name and port', (port: number) => `localhost:${port}`, { hostname: 'LocalHost' }],
    ['a wildcard name', () => '*.localhost, localhost', { hostname: 'localhost' }],
  ])('allows an array listed by %s', async (_what, list, target) => {
    const r = await attempt(list(counter.port), target);
    expect([r.status, r.body]).toEqual([201, expect.objectContaining({ sessionId: expect.any(String) })]);
    expect(r.reached).toBeGreaterThan(0);
  });

  it.each([
    ['another IP', (port: number) => `127.0.0.2:${port}`, { ipAddress: '127.0.0.1' }],
    ['another port', (port: number) => `127.0.0.1:${port + 1}`, { ipAddress: '127.0.0.1' }],
    ['a CIDR range that misses', () => '127.0.1.0/24', { ipAddress: '127.0.0.1' }],
    ['a name (an IP is not looked up)', () => 'localhost', { ipAddress: '127.0.0.1' }],
    ['an IP (a name is not resolved)', () => '127.0.0.0/8', { hostname: 'localhost' }],
    ['another name', () => 'array1.example.com', { hostname: 'localhost' }],
    ['IPv6 only', () => '::1', { ipAddress: '127.0.0.1' }],
  ])('refuses an array outside it (%s) with 403 before connecting', async (_what, list, target) => {
    const r = await attempt(list(counter.port), target);
    expect(r.status).toBe(403);
    expect(r.body.error.type).toBe('ARRAY_NOT_ALLOWED');
    expect(schemaIssues('Error', r.body)).toEqual([]);
    expect(r.reached).toBe(0);
  });
});
