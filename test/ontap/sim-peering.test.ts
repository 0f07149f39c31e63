// Cluster and SVM peering between two simulators over HTTP: the passphrase exchange, both sides' records, status, and
// the delete rules.
import { type TestSim, startSim, startSimsOnOnePort } from './sim-helpers';
import { type Pair, clusterName, relationship, startPair } from './replication-helpers';

describe('cluster peers', () => {
  let a: TestSim;
  let b: TestSim;
  beforeAll(async () => {
    [a, b] = await startSimsOnOnePort(['127.0.0.2', '127.0.0.3']);
  });
  afterAll(() => Promise.all([a?.close(), b?.close()]));

  it('each simulator has a cluster name of its own', async () => {
    expect(await clusterName(a)).not.toBe(await clusterName(b));
  });

  it('one side generates a passphrase, the other peers with it; both list the other by its bare address', async () => {
    const offer = await b.post('/api/cluster/peers', {
      remote: { ip_addresses: [new URL(a.url).hostname] },
      authentication: { generate_passphrase: true },
    });
    expect(offer.status).toBe(201);
    const passphrase = offer.body.records[0].authentication.passphrase;
    expect(passphrase).toEqual(expect.any(String));
    expect(JSON.stringify(offer.body)).not.toContain('simulator');
    const pending = (await b.get(`/api/cluster/peers/${offer.body.records[0].uuid}`)).body;
    expect(pending.authentication.state).toBe('pending');

    const wrong = await a.post('/api/cluster/peers', {
      remote: { ip_addresses: [new URL(b.url).hostname] },
      authentication: { passphrase: 'not-it' },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, '4653061']);

    const made = await a.post('/api/cluster/peers', {
      remote: { ip_addresses: [new URL(b.url).hostname] },
      authentication: { passphrase },
    });
    expect(made.status).toBe(201);
    const onA = (await a.get('/api/cluster/peers?fields=*')).body.records;
    const onB = (await b.get('/api/cluster/peers?fields=*')).body.records;
    expect(onA).toEqual([
      expect.objectContaining({
        name: await clusterName(b),
        remote: { name: await clusterName(b), ip_addresses: [new URL(b.url).hostname] },
        status: expect.objectContaining({ state: 'available' }),
        authentication: { state: 'ok' },
      }),
    ]);
    expect(onB).toEqual([
      expect.objectContaining({
        name: await clusterName(a),
        remote: expect.objectContaining({ ip_addresses: [new URL(a.url).hostname] }),
        authentication: { state: 'ok' },
      }),
    ]);
    // The shared secret is never shown, and the passphrase works once.
    expect(JSON.stringify(onA) + JSON.stringify(onB)).not.toMatch(/token|passphrase/);
    const again = await a.post('/api/cluster/peers', {
      remote: { ip_addresses: [new URL(b.url).hostname] },
      authentication: { passphrase },
    });
    expect(again.status).toBe(400);
  });

  it('an SVM peer is recorded on both clusters; the cluster peer cannot go while it exists', async () => {
    // Both clusters have an svm1: the peer needs a local name.
    const clash = await b.post('/api/svm/peers', {
      svm: { name: 'svm1' },
      peer: { svm: { name: 'svm1' }, cluster: { name: await clusterName(a) } },
      applications: ['snapmirror'],
    });
    expect([clash.status, clash.body.error.target]).toEqual([400, 'name']);
    const res = await b.done('POST', '/api/svm/peers', {
      svm: { name: 'svm1' },
      peer: { svm: { name: 'svm1' }, cluster: { name: await clusterName(a) } },
      name: 'svm1_a',
      applications: ['snapmirror'],
    });
    expect(res.status).toBeLessThan(300);
    const onB = (await b.get('/api/svm/peers?fields=*')).body.records;
    const onA = (await a.get('/api/svm/peers?fields=*')).body.records;
    expect(onB).toEqual([
      expect.objectContaining({
        svm: expect.objectContaining({ name: 'svm1' }),
        name: 'svm1_a',
        peer: { svm: { name: 'svm1' }, cluster: expect.objectContaining({ name: await clusterName(a) }) },
        state: 'peered',
        applications: ['snapmirror'],
      }),
    ]);
    expect(onA).toEqual([
      expect.objectContaining({
        uuid: onB[0].uuid,
        // The accepting side's own svm1 takes the name: the peer is known by a name of its own there too.
        name: `svm1_${await clusterName(b)}`,
        peer: expect.objectContaining({ cluster: expect.objectContaining({ name: await clusterName(b) }) }),
      }),
    ]);
    const peerUuid = (await b.get('/api/cluster/peers')).body.records[0].uuid;
    const refused = await b.del(`/api/cluster/peers/${peerUuid}`);
    expect([refused.status, refused.body.error.code]).toEqual([409, '4653063']);
    const unknown = await b.post('/api/svm/peers', {
      svm: { name: 'svm1' },
      peer: { svm: { name: 'svm1' }, cluster: { name: 'no_such_cluster' } },
    });
    expect(unknown.status).toBe(404);
  });

  it('a peer that stops answering shows as unavailable', async () => {
    const c = await startSim();
    const offer = await c.post('/api/cluster/peers', { authentication: { generate_passphrase: true } });
    await a.post('/api/cluster/peers', {
      remote: { ip_addresses: [new URL(c.url).host] },
      authentication: { passphrase: offer.body.records[0].authentication.passphrase },
    });
    const name = await clusterName(c);
    // `host:port` (a partner on another port of the same address) is kept for the calls, and listed bare.
    const listed = (await a.get(`/api/cluster/peers?name=${name}&fields=remote`)).body.records[0];
    expect(listed.remote.ip_addresses).toEqual(['127.0.0.1']);
    const state = async () =>
      (await a.get(`/api/cluster/peers?name=${name}&fields=status`)).body.records[0].status.state;
    expect(await state()).toBe('available');
    await c.close();
    expect(await state()).toBe('unavailable');
  });
});

describe('SVM peers in use', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  it('an SVM peer that a relationship uses cannot be deleted, on either side', async () => {
    await relationship(pair);
    for (const sim of [pair.dst, pair.src]) {
      const peer = (await sim.get('/api/svm/peers')).body.records[0].uuid;
      const res = await sim.del(`/api/svm/peers/${peer}`);
      expect([res.status, res.body.error.code]).toEqual([409, '4653063']);
    }
  });
});
