import request from 'supertest';
import { forEachBackend } from '../helpers/backends';
import { API, uniq } from '../helpers/plugin';

/** Every read endpoint that needs a session, for the 401 checks (ids need not exist: 401 comes first). */
const READS = [
  '/storage',
  '/log',
  '/server',
  '/server/1',
  '/server/1/system',
  '/server/1/volume',
  '/server/1/volume/1',
  '/server/1/volume/1/splitstatus',
  '/server/1/volume/1/snapshot',
  '/server/1/volume/1/snapshot/1',
  '/server/1/lun',
  '/server/1/lun/1',
  '/server/1/host',
  '/server/1/host/1',
  '/server/1/host/1/lun',
  '/server/1/hostgroup',
  '/server/1/network',
  '/server/1/network/1',
  '/server/1/pool',
  '/server/1/pool/1',
  '/server/1/consistencygroup',
  '/server/1/consistencygroup/1',
  '/server/1/consistencygroup/1/snapshot',
  '/server/1/remotearray',
];

forEachBackend('error paths', (ctx) => {
  let volumeId: string;
  beforeAll(async () => {
    volumeId = (await ctx.p.fixture.createVolume({ name: uniq('errvol'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
  });

  /** /log answers a zip; everything else JSON. */
  const acceptFor = (path: string) => (path === '/log' ? 'application/zip' : 'application/json');

  it.each(READS)('GET %s without a session answers 401 with the error body', async (path) => {
    const res = await request(ctx.p.app)
      .get(API + path)
      .set('accept', acceptFor(path))
      .expect(401);
    expect(res.body.error).toEqual({
      type: 'UNAUTHORIZED',
      message: expect.stringContaining('x-storageplugin-sessionid'),
      requestId: res.headers['x-request-id'],
    });
  });

  it.each(READS)('GET %s with an unknown session answers 401', async (path) => {
    const res = await ctx.p.get(path, 'not-a-session').set('accept', acceptFor(path)).expect(401);
    expect(res.body.error.message).toMatch(/unknown or has expired/);
  });

  it('a mutating call without a session answers 401 before looking at its body', async () => {
    const res = await request(ctx.p.app)
      .post(`${API}${ctx.srv}/volume/1?action=bogus`)
      .send('{not json')
      .set('content-type', 'application/json');
    // The body cannot even be parsed; what matters is that no operation ran and the answer is a JSON error.
    expect([400, 401]).toContain(res.status);
    await request(ctx.p.app).delete(`${API}${ctx.srv}/volume/${volumeId}`).expect(401);
    await ctx.p.get(`${ctx.srv}/volume/${volumeId}`, ctx.sid).expect(200);
  });

  it.each([
    ['/server/no-such-server', 'server', null],
    ['/server/no-such-server/system', 'server', null],
    ['/server/no-such-server/volume', 'server', null],
    ['{ctx.srv}/volume/999999', 'volume', null],
    ['{ctx.srv}/volume/999999/snapshot', 'volume', null],
    ['{ctx.srv}/lun/999999', 'LUN', 'luns'],
    ['{ctx.srv}/host/999999', 'host', null],
    ['{ctx.srv}/host/999999/lun', 'host', 'hostMapping'],
    ['{ctx.srv}/network/nic-nope', 'network', null],
    ['{ctx.srv}/pool/999999', 'pool', null],
  ] as [string, string, 'luns' | 'hostMapping' | null][])(
    'GET %s answers 404 naming the missing %s',
    async (path, what, cap) => {
      // Where the storage has no such thing at all, the collection is empty and any id in it is missing alike.
      void cap; // the capability no longer changes the answer
      const res = await ctx.p.get(path.replace('{ctx.srv}', ctx.srv), ctx.sid).expect(404);
      expect(res.body.error.type).toBe('NOT_FOUND');
      expect(res.body.error.message).toContain(what);
    },
  );

  it('a snapshot id at the wrong level (unknown, or of another volume) answers 404', async () => {
    await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot/999999`, ctx.sid).expect(404);
    const other = (await ctx.p.fixture.createVolume({ name: uniq('other'), type: 'filesystem', sizeBytes: 1 << 20 }))
      .id;
    const snap = await ctx.p.post(`${ctx.srv}/volume/${other}/snapshot`, ctx.sid, { name: uniq('s') }).expect(201);
    await ctx.p.get(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.body.id}`, ctx.sid).expect(404);
    await ctx.p.del(`${ctx.srv}/volume/${volumeId}/snapshot/${snap.body.id}`, ctx.sid).expect(404);
    await ctx.p.get(`${ctx.srv}/volume/${other}/snapshot/${snap.body.id}`, ctx.sid).expect(200);
  });

  it('an unknown path answers a JSON 404, inside and outside the API', async () => {
    expect((await ctx.p.get(`${ctx.srv}/teapot`, ctx.sid).expect(404)).body.error.type).toBe('NOT_FOUND');
    expect((await request(ctx.p.app).get('/nowhere').expect(404)).body.error.type).toBe('NOT_FOUND');
  });

  it('an unknown action answers 400 UNKNOWN_ACTION listing the valid ones', async () => {
    const res = await ctx.p.post(`${ctx.srv}/volume/${volumeId}?action=explode`, ctx.sid, {}).expect(400);
    expect(res.body.error.type).toBe('UNKNOWN_ACTION');
    expect(res.body.error.message).toContain("'explode'");
    expect(res.body.error.message).toContain('restore-to-alternate');
  });

  it('a POST without an action where one is needed answers 400 UNKNOWN_ACTION', async () => {
    const res = await ctx.p.post(`${ctx.srv}/volume/${volumeId}`, ctx.sid, {}).expect(400);
    expect(res.body.error.type).toBe('UNKNOWN_ACTION');
  });

  it('malformed JSON answers 400 BAD_REQUEST', async () => {
    const res = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid)
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('a wrong type in a body answers 400 naming the field', async () => {
    const res = await ctx.p.post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid, { name: 42 }).expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body.error.details)).toContain('name');
  });

  it("a body that misses an action's required field answers 400 naming it", async () => {
    const res = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}?action=restore`, ctx.sid, { snapshot: '1' })
      .expect(400);
    expect(res.body.error.message).toContain('snapshotId');
  });

  it('a wrong type in the query answers 400', async () => {
    const res = await ctx.p.get(`${ctx.srv}/volume?limit=many`, ctx.sid).expect(400);
    expect(res.body.error.details[0].path).toContain('limit');
  });

  it('an id with a path traversal never reaches the array', async () => {
    const res = await ctx.p.get(`${ctx.srv}/volume/..%2F..%2Fsystem`, ctx.sid);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error).toBeDefined();
  });

  it('Accept other than JSON on a JSON endpoint answers 415', async () => {
    const res = await ctx.p.get('/storage', ctx.sid).set('accept', 'text/html').expect(415);
    expect(res.body.error.type).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body that is not JSON answers 415', async () => {
    const res = await ctx.p
      .post(`${ctx.srv}/volume/${volumeId}/snapshot`, ctx.sid)
      .set('content-type', 'text/plain')
      .send('name=x')
      .expect(415);
    expect(res.body.error.type).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a verb the resource does not have answers 405', async () => {
    const res = await request(ctx.p.app)
      .put(`${API}${ctx.srv}/volume/${volumeId}`)
      .set('x-storageplugin-sessionid', ctx.sid)
      .send({})
      .expect(405);
    expect(res.body.error.type).toBe('METHOD_NOT_ALLOWED');
  });
});
