/**
 * Spec-driven fuzzing: random requests over every operation of api-spec (ids with traversal, odd
 * query values, huge and deeply nested JSON, wrong content types and Accept headers). The plugin
 * must never answer 500, only documented statuses, every error body valid, and stay up.
 */
import fc from 'fast-check';
import request from 'supertest';
import { loadSpec, schemaIssues } from '../../src/http/spec';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

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

// Weighted towards inputs that pass the front door, so the fuzzing reaches validation, routes and the adapter.
const ID = fc.oneof(
  { arbitrary: fc.constantFrom('0', '1', '2', '3'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      '999999',
      '..',
      '../..',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e',
      'a%00b',
      '%25',
      '%E2%82%AC',
      'x'.repeat(300),
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || 'e'), weight: 2 },
);
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

describe('fuzzing every endpoint of the spec', () => {
  let p: TestPlugin;
  let sid: string;
  // Logging out would end the fuzzer's own session; it is covered by the session tests.
  const ops = operations().filter((o) => !(o.template === '/session' && o.method === 'DELETE'));
  // Mostly operations the spec defines; sometimes a verb it does not (405).
  const OP = fc.oneof(
    { arbitrary: fc.constantFrom(...ops.filter((o) => o.defined)), weight: 9 },
    { arbitrary: fc.constantFrom(...ops.filter((o) => !o.defined)), weight: 1 },
  );
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    sid = await p.login();
    // Objects with small ids for the fuzzer to hit: volumes 1-3 with a snapshot each, and a host.
    for (let i = 1; i <= 3; i++) {
      const v = await p.fixture.createVolume({
        name: `fuzz${i}`,
        type: i === 3 ? 'filesystem' : 'lun',
        sizeBytes: 1 << 20,
      });
      await p.post(`/server/0/volume/${v.id}/snapshot`, sid, { name: `fuzzsnap${i}` }).expect(201);
    }
    await p.post('/server/0/host', sid, { name: 'fuzzhost', iqns: ['iqn.1994-05.com.redhat:fuzz'] }).expect(201);
  });
  afterAll(() => p.close());

  it('answers only documented statuses, never 500, with valid error bodies', async () => {
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
        async (op, id1, id2, query, body, ctype, accept, session) => {
          let n = 0;
          const path = op.template.replace(/\{[^}]+\}/g, () => (n++ % 2 === 0 ? id1 : id2));
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
          expect([context, res.status === 500]).toEqual([context, false]);
          expect([context, op.statuses.has(res.status) || res.status < 300]).toEqual([context, true]);
          if (res.status >= 400) expect([context, schemaIssues('Error', res.body)]).toEqual([context, []]);
        },
      ),
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100000), endOnFailure: true },
    );
    await request(p.app).get(`${API}/info`).expect(200);
    // The inputs reached past the front door: successes and several kinds of refusal were seen.
    const statuses = [...seen.keys()];
    expect(statuses.some((s) => s < 300)).toBe(true);
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('survives JSON nested deeper than a parser recursion limit', async () => {
    const deep = '['.repeat(400_000) + ']'.repeat(400_000);
    const res = await p.post('/server/0/volume/1/snapshot', sid).set('content-type', 'application/json').send(deep);
    expect([400, 413]).toContain(res.status);
    expect(schemaIssues('Error', res.body)).toEqual([]);
    await request(p.app).get(`${API}/info`).expect(200);
  });
});
