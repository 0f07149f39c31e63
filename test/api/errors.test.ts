import request from 'supertest';
import { API, type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

/** Every read endpoint with a session, for the 401 checks. */
const READS = [
  '/storage',
  '/log',
  '/server',
  '/server/0',
  '/server/0/system',
  '/server/0/volume',
  '/server/0/volume/1',
  '/server/0/volume/1/splitstatus',
  '/server/0/volume/1/snapshot',
  '/server/0/volume/1/snapshot/1',
  '/server/0/lun',
  '/server/0/lun/1',
  '/server/0/host',
  '/server/0/host/1',
  '/server/0/host/1/lun',
  '/server/0/hostgroup',
  '/server/0/network',
  '/server/0/network/1',
  '/server/0/pool',
  '/server/0/pool/1',
  '/server/0/consistencygroup',
  '/server/0/consistencygroup/1',
  '/server/0/consistencygroup/1/snapshot',
  '/server/0/remotearray',
];

describe('error paths', () => {
  let p: TestPlugin;
  let sid: string;
  let volumeId: string;
  beforeAll(async () => {
    p = await startTestPlugin();
    sid = await p.login();
    volumeId = (await p.fixture.createVolume({ name: uniq('errvol'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
  });
  afterAll(() => p.close());

  /** /log answers a zip; everything else JSON. */
  const acceptFor = (path: string) => (path === '/log' ? 'application/zip' : 'application/json');

  it.each(READS)('GET %s without a session answers 401 with the error body', async (path) => {
    const res = await request(p.app).get(API + path).set('accept', acceptFor(path)).expect(401);
    expect(res.body.error).toEqual({ type: 'UNAUTHORIZED', message: expect.stringContaining('x-storageplugin-sessionid') });
  });

  it.each(READS)('GET %s with an unknown session answers 401', async (path) => {
    const res = await p.get(path, 'not-a-session').set('accept', acceptFor(path)).expect(401);
    expect(res.body.error.message).toMatch(/unknown or has expired/);
  });

  it('a mutating call without a session answers 401 before looking at its body', async () => {
    const res = await request(p.app).post(`${API}/server/0/volume/1?action=bogus`).send('{not json').set('content-type', 'application/json');
    // The body cannot even be parsed; what matters is that no operation ran and the answer is a JSON error.
    expect([400, 401]).toContain(res.status);
    await request(p.app).delete(`${API}/server/0/volume/${volumeId}`).expect(401);
    await p.get(`/server/0/volume/${volumeId}`, sid).expect(200);
  });

  it.each([
    ['/server/7', 'server'],
    ['/server/7/system', 'server'],
    ['/server/7/volume', 'server'],
    ['/server/0/volume/999999', 'volume'],
    ['/server/0/volume/999999/snapshot', 'volume'],
    ['/server/0/lun/999999', 'LUN'],
    ['/server/0/host/999999', 'host'],
    ['/server/0/host/999999/lun', 'host'],
    ['/server/0/network/nic-nope', 'network'],
    ['/server/0/pool/999999', 'pool'],
  ])('GET %s answers 404 naming the missing %s', async (path, what) => {
    const res = await p.get(path, sid).expect(404);
    expect(res.body.error.type).toBe('NOT_FOUND');
    expect(res.body.error.message).toContain(what);
  });

  it('a snapshot id at the wrong level (unknown, or of another volume) answers 404', async () => {
    await p.get(`/server/0/volume/${volumeId}/snapshot/999999`, sid).expect(404);
    const other = (await p.fixture.createVolume({ name: uniq('other'), type: 'filesystem', sizeBytes: 1 << 20 })).id;
    const snap = await p.post(`/server/0/volume/${other}/snapshot`, sid, { name: uniq('s') }).expect(201);
    await p.get(`/server/0/volume/${volumeId}/snapshot/${snap.body.id}`, sid).expect(404);
    await p.del(`/server/0/volume/${volumeId}/snapshot/${snap.body.id}`, sid).expect(404);
    await p.get(`/server/0/volume/${other}/snapshot/${snap.body.id}`, sid).expect(200);
  });

  it('an unknown path answers a JSON 404, inside and outside the API', async () => {
    expect((await p.get('/server/0/teapot', sid).expect(404)).body.error.type).toBe('NOT_FOUND');
    expect((await request(p.app).get('/nowhere').expect(404)).body.error.type).toBe('NOT_FOUND');
  });

  it('an unknown action answers 400 UNKNOWN_ACTION listing the valid ones', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}?action=explode`, sid, {}).expect(400);
    expect(res.body.error.type).toBe('UNKNOWN_ACTION');
    expect(res.body.error.message).toContain("'explode'");
    expect(res.body.error.message).toContain('restore-to-alternate');
  });

  it('a POST without an action where one is needed answers 400 UNKNOWN_ACTION', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}`, sid, {}).expect(400);
    expect(res.body.error.type).toBe('UNKNOWN_ACTION');
  });

  it('malformed JSON answers 400 BAD_REQUEST', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid).set('content-type', 'application/json').send('{"name": ').expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('a wrong type in a body answers 400 naming the field', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid, { name: 42 }).expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body.error.details)).toContain('name');
  });

  it("a body that misses an action's required field answers 400 naming it", async () => {
    const res = await p.post(`/server/0/volume/${volumeId}?action=restore`, sid, { snapshot: '1' }).expect(400);
    expect(res.body.error.message).toContain('snapshotId');
  });

  it('a wrong type in the query answers 400', async () => {
    const res = await p.get('/server/0/volume?limit=many', sid).expect(400);
    expect(res.body.error.details[0].path).toContain('limit');
  });

  it('an id with a path traversal never reaches the array', async () => {
    const res = await p.get('/server/0/volume/..%2F..%2Fsystem', sid);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error).toBeDefined();
  });

  it('Accept other than JSON on a JSON endpoint answers 415', async () => {
    const res = await p.get('/storage', sid).set('accept', 'text/html').expect(415);
    expect(res.body.error.type).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body that is not JSON answers 415', async () => {
    const res = await p.post(`/server/0/volume/${volumeId}/snapshot`, sid).set('content-type', 'text/plain').send('name=x').expect(415);
    expect(res.body.error.type).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a verb the resource does not have answers 405', async () => {
    const res = await request(p.app).put(`${API}/server/0/volume/${volumeId}`).set('x-storageplugin-sessionid', sid).send({}).expect(405);
    expect(res.body.error.type).toBe('METHOD_NOT_ALLOWED');
  });
});
