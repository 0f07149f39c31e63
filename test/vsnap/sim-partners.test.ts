// vSnap simulator, seed 12: pairing two appliances over HTTP, what each side knows, and what it never shows or keeps.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestSim, expectError, startTestSim } from './sim-helpers';
import { type Pair, pairedSims, partnerBody, volumeWith } from './replication-sims';

describe('vSnap simulator: partners', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await pairedSims();
  });
  afterAll(() => pair.close());

  it('pairing registers the partnership on both sides, each under the other system id, with the guide’s string fields', async () => {
    const { a, b, aId, bId } = pair;
    expect(bId).toBe((await b.ok('/api/system')).id);
    const onA = await a.ok('/api/partner');
    expect(onA).toEqual({
      partners: [
        {
          id: bId,
          address: '127.0.0.1',
          api_port: String(b.sim.port),
          ssh_port: '22',
          time_created: expect.stringMatching(/^\d+$/),
          time_updated: expect.stringMatching(/^\d+$/),
        },
      ],
      total: 1,
    });
    // B learned where A answers (127.0.0.1 and A's own port: no local_addr was given).
    const onB = await b.ok(`/api/partner/${aId}`);
    expect(onB).toMatchObject({ id: aId, address: '127.0.0.1', api_port: String(a.sim.port) });
    expect(await a.ok(`/api/partner/${bId}`)).toEqual(onA.partners[0]);
  });

  it('never shows or hands over an admin password: each side got a dedicated replication account', async () => {
    const { a, b, bId } = pair;
    const texts = [await a.get('/api/partner'), await a.get(`/api/partner/${bId}`), await b.get('/api/partner')].map(
      (r) => r.text,
    );
    for (const t of texts) expect(t).not.toMatch(/simulator|password|user/);
    // The replication accounts cannot call the vendor API: only /api/peer.
    const state = pair.a.sim.state;
    const given = state.partners.get(bId)!;
    expect(given.user).toMatch(/^vsnap_repl_/);
    expect(given.password).not.toBe('simulator');
    expectError(
      await b.get('/api/volume', { auth: { user: given.user, password: given.password } }),
      401,
      'AuthenticationError',
    );
    expect((await b.get('/api/peer/hello', { auth: { user: given.user, password: given.password } })).body).toEqual({
      id: bId,
    });
    // ... and the admin account cannot call the peer API.
    expectError(await b.get('/api/peer/hello'), 401, 'AuthenticationError');
    // A keeps only a digest of the secret it gave B.
    expect(JSON.stringify(state.replicationAccounts)).not.toContain(b.sim.state.partners.get(pair.aId)!.password);
  });

  it('a wrong remote password answers 401 AuthenticationError, and nothing is registered on either side', async () => {
    const c = await startTestSim();
    try {
      const reply = await pair.a.post('/api/partner', partnerBody(c, { remote_pass: 'wrong' }));
      expectError(reply, 401, 'AuthenticationError');
      expect(reply.body.error.message).toMatch(/admin/);
      expect(reply.text).not.toContain('wrong');
      expect((await pair.a.ok('/api/partner')).total).toBe(1);
      expect((await c.ok('/api/partner')).total).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('an unreachable remote answers a ConnectionError naming the address', async () => {
    const c = await startTestSim();
    const port = c.sim.port;
    await c.close();
    const reply = await pair.a.post('/api/partner', {
      remote_addr: '127.0.0.1',
      remote_api_port: port,
      remote_user: 'admin',
      remote_pass: 'simulator',
    });
    expectError(reply, 500, 'ConnectionError');
    expect(reply.body.error.message).toContain(`127.0.0.1:${port}`);
  });

  it('a remote that cannot reach us back (wrong local_api_port) is refused before anything is registered', async () => {
    const c = await startTestSim();
    try {
      const reply = await pair.a.post('/api/partner', partnerBody(c, { local_api_port: '1' }));
      expectError(reply, 500, 'ConnectionError');
      expect(reply.body.error.message).toMatch(/local_addr/);
      expect((await c.ok('/api/partner')).total).toBe(0);
      expect((await pair.a.ok('/api/partner')).total).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('pairing twice answers 409 ObjectExistsError; pairing with itself or without remote_addr answers 400', async () => {
    expectError(await pair.a.post('/api/partner', partnerBody(pair.b)), 409, 'ObjectExistsError');
    expectError(await pair.a.post('/api/partner', partnerBody(pair.a)), 400, 'InvalidParameterError');
    expectError(
      await pair.a.post('/api/partner', { remote_user: 'admin', remote_pass: 'x' }),
      400,
      'InvalidParameterError',
    );
    expectError(
      await pair.a.post('/api/partner', partnerBody(pair.b, { remote_api_port: 'http' })),
      400,
      'InvalidParameterError',
    );
    expectError(await pair.a.get('/api/partner/nosuchpartner'), 404, 'NotFoundError');
  });

  it('removing a partner is refused while a relationship uses it, then removes it on both sides', async () => {
    const a = await startTestSim();
    const b = await startTestSim();
    try {
      const partner = await a.must('POST', '/api/partner', partnerBody(b));
      const vol = await volumeWith(a, 'inuse', Buffer.from('x'));
      const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: partner.id });
      const refused = await a.del(`/api/partner/${partner.id}`);
      expectError(refused, 409, 'ObjectInUseError');
      expect(refused.body.error.message).toContain(rel.id);
      await a.must('DELETE', `/api/relationship/${rel.id}`);
      expect(await a.must('DELETE', `/api/partner/${partner.id}`)).toEqual({});
      expect((await a.ok('/api/partner')).total).toBe(0);
      expect((await b.ok('/api/partner')).total).toBe(0);
      // The account B gave A is gone with it.
      expect(b.sim.state.replicationAccounts).toHaveLength(0);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
    }
  });

  it('a partnership survives a restart of both systems (state file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsnap-partner-'));
    let a: TestSim | undefined;
    let b: TestSim | undefined;
    try {
      a = await startTestSim({ stateFile: join(dir, 'a.json') });
      b = await startTestSim({ stateFile: join(dir, 'b.json') });
      const partner = await a.must('POST', '/api/partner', partnerBody(b));
      const [aPort, bPort] = [a.sim.port, b.sim.port];
      await a.close();
      await b.close();
      expect(readFileSync(join(dir, 'a.json'), 'utf8')).not.toContain('"simulator"');
      a = await startTestSim({ stateFile: join(dir, 'a.json'), port: aPort });
      b = await startTestSim({ stateFile: join(dir, 'b.json'), port: bPort });
      expect((await a.ok('/api/partner')).partners.map((p: { id: string }) => p.id)).toEqual([partner.id]);
      // The exchanged accounts still work: a relationship needs B to act on A's behalf.
      const vol = await volumeWith(a, 'after_restart', Buffer.from('x'));
      const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: partner.id });
      expect(rel.remote_vol_name).toBe('after_restart');
    } finally {
      await Promise.allSettled([a?.close(), b?.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
