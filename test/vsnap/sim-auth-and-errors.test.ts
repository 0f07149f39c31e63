// Wire rules of seed section 1: Basic auth on every call, the error body, JSON bodies whatever the headers say.
import { TestSim, expectError, startTestSim } from './sim-helpers';

describe('vSnap simulator: authentication and error bodies', () => {
  let sim: TestSim;

  beforeAll(async () => {
    sim = await startTestSim({
      users: { admin: 'simulator', viewer: { password: 'look', admin: false } },
    });
  });
  afterAll(() => sim.close());

  it('without credentials, an /api call answers 401 AuthenticationError and asks for Basic auth', async () => {
    const reply = await sim.get('/api/system', { auth: null });
    expectError(reply, 401, 'AuthenticationError');
    expect(reply.headers['www-authenticate']).toMatch(/^Basic/);
    expect(Object.keys(reply.body)).toEqual(['error']);
    expect(Object.keys(reply.body.error).sort()).toEqual(['message', 'type']);
  });

  it('with a wrong password or an unknown user, the call answers 401', async () => {
    expectError(
      await sim.get('/api/volume', { auth: { user: 'admin', password: 'nope' } }),
      401,
      'AuthenticationError',
    );
    expectError(
      await sim.get('/api/volume', { auth: { user: 'ghost', password: 'simulator' } }),
      401,
      'AuthenticationError',
    );
    expectError(
      await sim.get('/api/volume', { auth: null, headers: { authorization: 'Bearer abc' } }),
      401,
      'AuthenticationError',
    );
  });

  it('a valid account without the vsnap_admin role gets 403 PermissionDeniedError on every call', async () => {
    const viewer = { user: 'viewer', password: 'look' };
    expectError(await sim.get('/api/system', { auth: viewer }), 403, 'PermissionDeniedError');
    expectError(await sim.post('/api/host', { name: 'h' }, { auth: viewer }), 403, 'PermissionDeniedError');
    expectError(await sim.get('/sim/faults', { auth: viewer }), 403, 'PermissionDeniedError');
    expect((await sim.ok('/api/host')).total).toBe('0'); // the refused create did nothing
  });

  it('the user list shows only the vsnap_admin accounts, with string uid and gid', async () => {
    const users = await sim.ok('/api/user');
    expect(users).toEqual({ total: 1, users: [{ gid: '1000', name: 'admin', role: 'vsnap_admin', uid: '1000' }] });
  });

  it('the /sim controls need the same credentials, but /sim/health does not', async () => {
    expectError(await sim.get('/sim/faults', { auth: null }), 401, 'AuthenticationError');
    const health = await sim.get('/sim/health', { auth: null });
    expect(health).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('unknown paths answer 404 NotFoundError', async () => {
    expectError(await sim.post('/api/session', {}), 404, 'NotFoundError');
    expectError(await sim.get('/api/partner/no-such-partner'), 404, 'NotFoundError');
    expectError(await sim.get('/nothing-here', { auth: null }), 404, 'NotFoundError');
  });

  it('a body that is not JSON answers 400 InvalidParameterError', async () => {
    const reply = await sim.call('POST', '/api/host', undefined, {
      raw: '{"name": "h1",',
      headers: { 'content-type': 'application/json' },
    });
    expectError(reply, 400, 'InvalidParameterError');
  });

  it('a JSON body that is not an object answers 400', async () => {
    expectError(await sim.call('POST', '/api/host', ['h1']), 400, 'InvalidParameterError');
  });

  it('a JSON body is parsed whatever the Content-Type says, or without one', async () => {
    const bare = await sim.call('POST', '/api/host', undefined, { raw: JSON.stringify({ name: 'no-content-type' }) });
    expect(bare).toMatchObject({ status: 200, body: { name: 'no-content-type' } });
    const text = await sim.call('POST', '/api/host', undefined, {
      raw: JSON.stringify({ name: 'text-plain' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text).toMatchObject({ status: 200, body: { name: 'text-plain' } });
  });

  it('an empty body counts as {}: a PUT with nothing to change succeeds, a create without a name is a 400', async () => {
    const pool = await sim.call('PUT', '/api/pool/1', undefined, { raw: '' });
    expect(pool).toMatchObject({ status: 200, body: { id: '1', name: 'pool1' } });
    const host = await sim.call('POST', '/api/host', undefined, { raw: '' });
    expectError(host, 400, 'InvalidParameterError');
    expect(host.body.error.message).toMatch(/name/);
  });

  it('every success answers 200, creates included', async () => {
    const created = await sim.post('/api/host', { name: 'status-check' });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(/^\d+$/);
  });
});

describe('vSnap simulator: accounts from the environment', () => {
  const saved = { user: process.env.VSNAP_SIM_USER, password: process.env.VSNAP_SIM_PASSWORD };

  afterEach(() => {
    for (const [key, value] of [
      ['VSNAP_SIM_USER', saved.user],
      ['VSNAP_SIM_PASSWORD', saved.password],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('when no users are given, VSNAP_SIM_USER / VSNAP_SIM_PASSWORD define the admin account', async () => {
    process.env.VSNAP_SIM_USER = 'ops';
    process.env.VSNAP_SIM_PASSWORD = 's3cret';
    const sim = await startTestSim();
    try {
      expect((await sim.get('/api/system', { auth: { user: 'ops', password: 's3cret' } })).status).toBe(200);
      expectError(await sim.get('/api/system'), 401, 'AuthenticationError');
    } finally {
      await sim.close();
    }
  });
});
