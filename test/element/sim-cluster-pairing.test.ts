// Element simulator: cluster pairing between simulators over HTTP (StartClusterPairing, CompleteClusterPairing,
// ListClusterPairs, RemoveClusterPair).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN, type Sim, decodeKey, pairClusters, pairVolumes, startSim } from './sim-helpers';

describe('Element simulator: cluster pairing', () => {
  const sims: Sim[] = [];
  const sim = async (opts: Parameters<typeof startSim>[0] = {}) => {
    const s = await startSim(opts);
    sims.push(s);
    return s;
  };
  afterAll(() => Promise.allSettled(sims.map((s) => s.close())));

  it('each StartClusterPairing makes a new key carrying a pairing account of its own, never the admin password', async () => {
    const a = await sim();
    const one = await a.ok('StartClusterPairing');
    const two = await a.ok('StartClusterPairing');
    expect(one.clusterPairingKey).toMatch(/^[0-9a-f]+$/);
    expect(two.clusterPairingKey).not.toBe(one.clusterPairingKey);
    expect(two.clusterPairID).not.toBe(one.clusterPairID);
    const k1 = decodeKey(one.clusterPairingKey);
    const k2 = decodeKey(two.clusterPairingKey);
    expect(Object.keys(k1).sort()).toEqual([
      'clusterPairID',
      'clusterPairUUID',
      'clusterUniqueID',
      'mvip',
      'name',
      'password',
      'rpcConnectionID',
      'username',
    ]);
    expect(k1.mvip).toBe(`127.0.0.1:${a.port}`);
    expect(k1.username).not.toBe(ADMIN.user);
    expect([k1.username, k1.password]).not.toEqual([k2.username, k2.password]);
    for (const key of [one.clusterPairingKey, two.clusterPairingKey])
      expect(Buffer.from(key, 'hex').toString()).not.toContain(ADMIN.password);
    // Until completed, the pairing is listed as requested, naming no cluster.
    expect((await a.ok('ListClusterPairs')).clusterPairs).toEqual([
      expect.objectContaining({ clusterPairID: one.clusterPairID, status: 'Requested', clusterName: '', mvip: '' }),
      expect.objectContaining({ clusterPairID: two.clusterPairID, status: 'Requested' }),
    ]);
  });

  it('CompleteClusterPairing on the other cluster calls the first back and pairs both sides', async () => {
    const a = await sim();
    const b = await sim();
    const ids = await pairClusters(a, b);
    const [onA] = (await a.ok('ListClusterPairs')).clusterPairs;
    const [onB] = (await b.ok('ListClusterPairs')).clusterPairs;
    const infoA = (await a.ok('GetClusterInfo')).clusterInfo;
    const infoB = (await b.ok('GetClusterInfo')).clusterInfo;
    expect(infoA.name).not.toBe(infoB.name);
    expect(onA).toEqual({
      clusterName: infoB.name,
      clusterPairID: ids.a,
      clusterPairUUID: onB.clusterPairUUID,
      clusterUUID: infoB.uuid,
      latency: expect.any(Number),
      mvip: `127.0.0.1:${b.port}`,
      status: 'Connected',
      version: '12.3.0.958',
    });
    expect(onB).toMatchObject({
      clusterName: infoA.name,
      clusterPairID: ids.b,
      clusterUUID: infoA.uuid,
      mvip: `127.0.0.1:${a.port}`,
      status: 'Connected',
    });
    // Nothing in the answers carries a password.
    expect(JSON.stringify([onA, onB])).not.toMatch(/password/i);
  });

  it('refuses a used key, a key that is not one, and a key completed on its own cluster', async () => {
    const a = await sim();
    const b = await sim();
    const c = await sim();
    const { clusterPairingKey } = await a.ok('StartClusterPairing');
    expect((await a.err('CompleteClusterPairing', { clusterPairingKey })).name).toBe('xInvalidParameter');
    await b.ok('CompleteClusterPairing', { clusterPairingKey });
    const reused = await c.err('CompleteClusterPairing', { clusterPairingKey });
    expect(reused.message).toMatch(/pairing account|used already/);
    expect((await c.ok('ListClusterPairs')).clusterPairs).toEqual([]);
    for (const bad of ['zz', '7b7d', Buffer.from('{"mvip":"127.0.0.1:1"}').toString('hex')]) {
      expect((await c.err('CompleteClusterPairing', { clusterPairingKey: bad })).name).toBe('xInvalidParameter');
    }
    // Pairing twice with the same cluster is refused.
    const again = await a.ok('StartClusterPairing');
    expect((await b.err('CompleteClusterPairing', { clusterPairingKey: again.clusterPairingKey })).message).toMatch(
      /already paired/,
    );
  });

  it('pairs a cluster with at most four others: the fifth is xExceededLimit, on either side', async () => {
    const hub = await sim();
    for (let i = 0; i < 4; i++) await pairClusters(hub, await sim());
    expect((await hub.err('StartClusterPairing')).name).toBe('xExceededLimit');
    const other = await sim();
    const { clusterPairingKey } = await other.ok('StartClusterPairing');
    expect((await hub.err('CompleteClusterPairing', { clusterPairingKey })).name).toBe('xExceededLimit');
    expect((await hub.ok('ListClusterPairs')).clusterPairs).toHaveLength(4);
  });

  it('a pairing account may call only the cluster-to-cluster methods, and an administrator none of them', async () => {
    const a = await sim();
    const { clusterPairingKey } = await a.ok('StartClusterPairing');
    const { username, password } = decodeKey(clusterPairingKey);
    const asPair = { user: username, password };
    const list = await a.rpc('ListVolumes', {}, { auth: asPair });
    expect(list.body.error.name).toBe('xPermissionDenied');
    const plane = await a.rpc('GetClusterInfo', {}, { auth: { user: username, password: 'wrong' } });
    expect(plane.status).toBe(401);
    expect((await a.err('PeerWriteVolume', { volumePairUUID: 'x', offset: 0, data: '' })).name).toBe(
      'xUnknownAPIMethod',
    );
  });

  it('RemoveClusterPair is refused while volume pairs use it, then removes its own side; the other shows Misconfigured until removed there', async () => {
    const a = await sim();
    const b = await sim();
    const ids = await pairClusters(a, b);
    const { source, target } = await pairVolumes(a, b, 'rm-cp', 'SnapshotsOnly');
    const refused = await a.err('RemoveClusterPair', { clusterPairID: ids.a });
    expect(refused).toMatchObject({ name: 'xClusterPairInUse', message: expect.stringMatching(/RemoveVolumePair/) });
    await a.ok('RemoveVolumePair', { volumeID: source });
    await a.ok('RemoveClusterPair', { clusterPairID: ids.a });
    expect((await a.ok('ListClusterPairs')).clusterPairs).toEqual([]);
    expect((await b.ok('ListClusterPairs')).clusterPairs).toEqual([
      expect.objectContaining({ clusterPairID: ids.b, status: 'Misconfigured' }),
    ]);
    expect((await a.err('RemoveClusterPair', { clusterPairID: ids.a })).name).toBe('xClusterPairIDDoesNotExist');
    // b's volume pair still uses its half: that goes first, then the second RemoveClusterPair succeeds.
    expect((await b.err('RemoveClusterPair', { clusterPairID: ids.b })).name).toBe('xClusterPairInUse');
    await b.ok('RemoveVolumePair', { volumeID: target });
    await b.ok('RemoveClusterPair', { clusterPairID: ids.b });
    expect((await b.ok('ListClusterPairs')).clusterPairs).toEqual([]);
  });

  it('pairs survive a restart with the state file', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'element-pairs-')), 'state.json');
    const a = await sim({ stateFile });
    const b = await sim();
    await pairClusters(a, b);
    const before = (await a.ok('ListClusterPairs')).clusterPairs;
    await a.close();
    const again = await sim({ stateFile });
    expect((await again.ok('ListClusterPairs')).clusterPairs).toEqual(before);
  });
});
