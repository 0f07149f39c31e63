/**
 * Spec-driven fuzzing, on every backend: random requests over every operation of api-spec (ids with traversal, huge
 * ids, control characters, trailing slashes, odd query values, huge and deeply nested JSON, bad array addresses, wrong
 * content types and Accept headers, CR/LF in header values). The plugin must answer only documented statuses, never a
 * 5xx other than the array's own failures (502/503/504) or a capability it lacks (501), every error body valid, and stay
 * up.
 */
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { loadSpec, schemaIssues } from '../../src/http/spec';
import { TEST_BACKENDS } from '../helpers/backends';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

/** Requests per backend: the first backend gets the most; CI keeps the whole file well under two minutes. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** 5xx answers that are the array's doing (or a feature it lacks), never the plugin's. */
const ARRAY_FAULTS = new Set(['UNSUPPORTED', 'BACKEND_ERROR', 'BACKEND_UNAVAILABLE', 'BACKEND_TIMEOUT']);

type Op = { template: string; method: string; statuses: Set<number>; actions: string[]; defined: boolean };

/** Statuses any operation may answer, as the spec's description says (plus 405 for a wrong verb). */
const GENERIC = [400, 401, 404, 405, 409, 413, 415, 429, 501, 502, 503, 504];

function operations(): Op[] {
  const spec = loadSpec();
  const ops: Op[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    // Paths with servers of their own (the operations routes at the root) are not under the API base.
    if ((item as { servers?: unknown }).servers) continue;
    for (const method of ['get', 'post', 'put', 'delete']) {
      const op = item[method] as
        | { responses?: Record<string, unknown>; parameters?: { name: string; schema?: { enum?: string[] } }[] }
        | undefined;
      const declared = op
        ? Object.keys(op.responses ?? {})
            .filter((c) => /^\d+$/.test(c))
            .map(Number)
        : [];
      const actions = op?.parameters?.find((p) => p.name === 'action')?.schema?.enum ?? [];
      ops.push({
        template,
        method: method.toUpperCase(),
        statuses: new Set([...declared, ...GENERIC]),
        actions,
        defined: op !== undefined,
      });
    }
  }
  return ops;
}

/** Control characters and separators that must never reach an array unchecked. */
const CONTROL = fc.constantFrom('\u0000', '\r\n', '\n', '\t', '\u007f', '\u001b', '/', '\\', ' ');
const NASTY_ID = fc.oneof(
  fc.constantFrom(
    '999999',
    '..',
    '../..',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    'a%00b',
    '%0d%0aX-Injected:%201',
    '%25',
    '%E2%82%AC',
    'x'.repeat(300),
    'x'.repeat(8000),
  ),
  fc.tuple(fc.string({ maxLength: 8 }), CONTROL).map(([a, c]) => encodeURIComponent(`${a}${c}${a}`) || 'e'),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || 'e'),
);
/** Weighted towards the array's real ids, so the fuzzing reaches validation, routes and the adapter. */
const idsFrom = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known.map(encodeURIComponent)), weight: 6 },
    { arbitrary: NASTY_ID, weight: 3 },
  );
const BAD_HOSTS = fc.oneof(
  fc.constantFrom(
    ' ',
    '127.0.0.1%00',
    'user:pw@127.0.0.1',
    '127.0.0.1:8900/sim/faults?',
    '127.0.0.1\r\nX-Injected: 1',
    '999.1.1.1',
    '1.2.3',
    '0x7f.0.0.1',
    '1::2::3',
    '[::1]',
    `${'a'.repeat(64)}.example.com`,
    'h'.repeat(70_000),
  ),
  fc.tuple(fc.string({ maxLength: 10 }), CONTROL).map(([a, c]) => `${a}${c}127.0.0.1`),
);
const HUGE = fc.constantFrom('x'.repeat(257), 'x'.repeat(70_000));
const BODY = fc.oneof(
  {
    arbitrary: fc
      .record(
        {
          name: fc.string({ maxLength: 20 }),
          snapshotId: fc.constantFrom('1', '2', 'x'),
          sourceSnapshotId: fc.constantFrom('1', '2'),
          targetVolumeId: fc.constantFrom('1', '2'),
          targetVolumeName: fc.string({ minLength: 1, maxLength: 10 }),
          volumeId: fc.constantFrom('1', '2', '3'),
          volumeIds: fc.array(fc.constantFrom('1', '2')),
          snapshot: fc.record({ id: fc.constantFrom('1', '2') }),
          iqns: fc.array(fc.constantFrom('iqn.1994-05.com.redhat:a', 'bad')),
          lunId: fc.constantFrom('1', '2'),
          targetName: fc.string(),
          prefix: fc.string({ maxLength: 10 }),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    weight: 6,
  },
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"name": }', 'null', '[]', '"str"', '{"name":"a","name":"b"}', '\u0000', ''),
  fc
    .record({ snapshotId: HUGE, sourceSnapshotId: HUGE, targetVolumeId: HUGE, name: HUGE })
    .map((o) => JSON.stringify(o)),
  fc
    .tuple(fc.string({ maxLength: 10 }), CONTROL)
    .map(([a, c]) =>
      JSON.stringify({ name: `${a}${c}`, targetVolumeName: `${c}${a}`, prefix: c, snapshot: { name: c } }),
    ),
  fc
    .record(
      { ipAddress: BAD_HOSTS, hostname: BAD_HOSTS, port: fc.integer({ min: -1, max: 70_000 }) },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.integer({ min: 1, max: 40_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 3 }).map((n) => JSON.stringify({ name: 'x'.repeat(n * 400_000) })),
  fc
    .record({ name: fc.string(), snapshotId: fc.anything(), volumeIds: fc.anything(), lunNumber: fc.anything() })
    .map((o) => JSON.stringify(o)),
);
const CONTENT_TYPE = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 8 },
  {
    arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'garbage/'),
    weight: 1,
  },
);
const ACCEPT = fc.oneof(
  { arbitrary: fc.constantFrom(undefined, 'application/json', '*/*'), weight: 8 },
  { arbitrary: fc.constantFrom('text/html', 'application/zip', 'application/xml;q=1', ',,;;'), weight: 1 },
);
const SESSION = fc.oneof(
  { arbitrary: fc.constant('valid'), weight: 8 },
  { arbitrary: fc.constantFrom('unknown', 'none'), weight: 1 },
);
/** Mostly absent (then the operation's own actions and no paging are used), sometimes odd. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
const QUERY = fc.record({
  action: rarely(
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('clone', 'get-Progress', 'map', 'take-snapshot')),
  ),
  limit: rarely(fc.oneof(fc.integer({ min: -5, max: 20_000 }).map(String), fc.string({ maxLength: 5 }))),
  start: rarely(fc.oneof(fc.integer({ min: -5, max: 1e9 }).map(String), fc.string({ maxLength: 5 }))),
});

/** Sends one request as raw bytes (a client library refuses CR/LF in header values) and answers its status. */
function rawStatus(port: number, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(answer)}`)));
    // No half-close: a server may drop a request whose client has already ended its side.
    socket.write(text);
  });
}

describe.each(TEST_BACKENDS)('%s: fuzzing every endpoint of the spec', (name) => {
  let p: TestPlugin;
  let sid: string;
  const known: string[] = ['0', '1', '2', '3'];
  // Logging out would end the fuzzer's own session; it is covered by the session tests.
  const ops = operations().filter((o) => !(o.template === '/session' && o.method === 'DELETE'));
  // Mostly operations the spec defines; sometimes a verb it does not (405).
  const OP = fc.oneof(
    { arbitrary: fc.constantFrom(...ops.filter((o) => o.defined)), weight: 9 },
    { arbitrary: fc.constantFrom(...ops.filter((o) => !o.defined)), weight: 1 },
  );
  const runs = name === TEST_BACKENDS[0] ? RUNS * 2 : RUNS;
  beforeAll(async () => {
    p = await startTestPlugin(name);
    sid = await p.login();
    const srv = `/server/${encodeURIComponent(p.fixture.serverId)}`;
    known.push(p.fixture.serverId);
    // Objects for the fuzzer to hit: volumes with a snapshot each, and a host where the array makes them.
    for (let i = 1; i <= 3; i++) {
      const v = await p.fixture.createVolume({
        name: `fuzz${i}_${process.pid}`,
        type: i === 3 ? 'filesystem' : 'lun',
        sizeBytes: 1 << 20,
      });
      const snap = await p.post(`${srv}/volume/${v.id}/snapshot`, sid, { name: `fuzzsnap${i}` }).expect(201);
      known.push(v.id, snap.body.id);
    }
    if (p.backend.capabilities.hostCreation) {
      const host = await p
        .post(`${srv}/host`, sid, { name: `fuzzhost${process.pid}`, iqns: ['iqn.1994-05.com.redhat:fuzz'] })
        .expect(201);
      known.push(host.body.id);
    }
  }, 60_000);
  afterAll(() => p.close());

  it("answers only documented statuses, no 5xx but the array's, with valid error bodies", async () => {
    const ID = idsFrom(known);
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        OP,
        ID,
        ID,
        QUERY,
        BODY,
        CONTENT_TYPE,
        ACCEPT,
        SESSION,
        fc.constantFrom('', '', '', '/'),
        async (op, id1, id2, query, body, ctype, accept, session, slash) => {
          let n = 0;
          const path = op.template.replace(/\{[^}]+\}/g, () => (n++ % 2 === 0 ? id1 : id2)) + slash;
          const q = new URLSearchParams();
          for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
          if (op.actions.length && query.action === undefined)
            q.set('action', op.actions[Math.abs(id1.length * 7 + id2.length) % op.actions.length]);
          const url = `${API}${path}${q.size ? `?${q}` : ''}`;
          let req = request(p.app)[op.method.toLowerCase() as 'get'](url);
          if (accept) req = req.set('accept', accept);
          if (session !== 'none')
            req = req.set('x-storageplugin-sessionid', session === 'valid' ? sid : 'bogus-session');
          if (op.method !== 'GET' && op.method !== 'DELETE') req = req.set('content-type', ctype).send(body);
          const res = await req;
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const context = `${op.method} ${url.slice(0, 200)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          // Node refuses a request line longer than its header limit itself, before the plugin: 431, no JSON.
          if (res.status === 431) return;
          expect([context, res.status >= 500 && !ARRAY_FAULTS.has(res.body?.error?.type)]).toEqual([context, false]);
          // A redirect is the docs page's own (/docs/ -> /docs).
          expect([context, op.statuses.has(res.status) || res.status < 400]).toEqual([context, true]);
          if (res.status >= 400) expect([context, schemaIssues('Error', res.body)]).toEqual([context, []]);
        },
      ),
      { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100000), endOnFailure: true },
    );
    await request(p.app).get(`${API}/info`).expect(200);
    // The inputs reached past the front door: successes and several kinds of refusal were seen.
    const statuses = [...seen.keys()];
    expect(statuses.some((s) => s < 300)).toBe(true);
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('answers CR, LF and other control characters in header values with a 4xx, never a 5xx', async () => {
    const server = p.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('x-storageplugin-sessionid', 'x-request-id', 'accept', 'content-type', 'authorization'),
          fc.constantFrom('\r', '\n', '\r\n', '\u0000', '\u007f', '\r\n\r\n', ' \r\n X-Folded: 1'),
          fc.constantFrom(`GET ${API}/storage`, `POST ${API}/session`, `GET ${API}/server/0/volume/`),
          async (header, bad, line) => {
            const value = `${sid.slice(0, 10)}${bad}Injected: 1`;
            const body = '{"ipAddress":"127.0.0.1"}';
            const status = await rawStatus(
              port,
              `${line} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${header}: ${value}\r\n` +
                `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
            );
            expect([header, JSON.stringify(bad), line, status < 500 || status === 503]).toEqual([
              header,
              JSON.stringify(bad),
              line,
              true,
            ]);
          },
        ),
        { numRuns: 40 },
      );
      await request(p.app).get(`${API}/info`).expect(200);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('survives JSON nested deeper than a parser recursion limit', async () => {
    const deep = '['.repeat(400_000) + ']'.repeat(400_000);
    const res = await p
      .post(`/server/${encodeURIComponent(p.fixture.serverId)}/volume/1/snapshot`, sid)
      .set('content-type', 'application/json')
      .send(deep);
    expect([400, 413]).toContain(res.status);
    expect(schemaIssues('Error', res.body)).toEqual([]);
    await request(p.app).get(`${API}/info`).expect(200);
  });
});
