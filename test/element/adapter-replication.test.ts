// The Element adapter's replication over two simulators: remote arrays, replicated snapshots and their progress,
// consistency group targets.
import { simulatorNamed } from '../../simulators';
import { randomBytes } from 'node:crypto';
import element from '../../plugins/element';
import type { ArrayConnection } from '../../src/backend';
import type { SnapshotReplicationStatus } from '../../src/domain/types';
import { silentLogger } from '../../src/logs/logger';
import { type Adapter, CREDS, cdmName, startAdapter } from './adapter-helpers';
import { MiB, type Sim, pairClusters, startSim, until } from './sim-helpers';

describe('Element adapter: replication to a paired cluster', () => {
  let a: Adapter;
  let b: Sim;
  let bName: string;
  beforeAll(async () => {
    a = await startAdapter();
    // The partner also has a read-only account, to show which credentials the adapter uses there.
    b = await startSim({
      admins: [
        { username: 'admin', password: 'simulator', access: 'administrator' },
        { username: 'viewer', password: 'viewer-secret', access: 'read' },
      ],
    });
    await pairClusters(a.sim, b);
    bName = (await b.ok('GetClusterInfo')).clusterInfo.name;
  });
  afterAll(async () => {
    await Promise.allSettled([a.close(), b.close()]);
  });

  const fixture = () => simulatorNamed('element').fixture(a.sim.url);
  async function volume(bytes = 64 * 1024): Promise<{ id: string; data: Buffer }> {
    const f = fixture();
    try {
      const { id } = await f.createVolume({ name: cdmName('rv'), type: 'lun', sizeBytes: 2 * MiB });
      const data = randomBytes(bytes);
      await f.write(id, data);
      return { id, data };
    } finally {
      await f.close();
    }
  }
  async function settle(conn: ArrayConnection, vid: string, sid: string): Promise<SnapshotReplicationStatus> {
    return until(async () => {
      const s = await conn.snapshotProgress!('0', vid, sid, {});
      return s.snapshotReplicationStatus.inProgress ? undefined : s;
    });
  }

  it('lists completed cluster pairs as remote arrays named after the paired cluster, with host:port', async () => {
    await a.sim.ok('StartClusterPairing'); // never completed: names no cluster, so not listed
    expect(await a.conn.listRemoteArrays!('0', { start: 0 })).toEqual([
      { name: bName, hostAddress: `127.0.0.1:${b.port}` },
    ]);
    const [pending] = (await a.sim.ok('ListClusterPairs')).clusterPairs.filter(
      (p: { status: string }) => p.status === 'Requested',
    );
    await a.sim.ok('RemoveClusterPair', { clusterPairID: pending.clusterPairID });
  });

  it('replicate on a volume without a volume pair is CONFLICT, says how to set one up, and takes no snapshot', async () => {
    const { id } = await volume();
    const err = await a.conn.createSnapshot('0', id, { name: 'nope', replicate: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/no replication target.*StartVolumePairing/),
    });
    expect(await a.conn.listSnapshots('0', id, { start: 0 })).toEqual([]);
  });

  it('a replicated snapshot is taken with enableRemoteReplication and its progress read from the remote status', async () => {
    const f = fixture();
    const { id, data } = await volume(MiB);
    const { replicaVolumeId } = await f.protect!(id, b.url);
    await f.close();
    const snap = await a.conn.createSnapshot('0', id, { name: 'to-b', replicate: true });
    const done = await settle(a.conn, id, snap.id);
    expect(done).toMatchObject({
      name: 'to-b',
      snapshotReplicationStatus: {
        state: 'completed',
        percentComplete: 100,
        transferred: MiB,
        totalSizeToBeSynchronized: MiB,
        message: null,
      },
    });
    const [replica] = (await b.ok('ListSnapshots', { volumeID: Number(replicaVolumeId) })).snapshots;
    expect(replica.name).toBe('to-b');
    expect((await b.readSnapshot(replica.snapshotID)).subarray(0, MiB).equals(data)).toBe(true);

    const local = await a.conn.createSnapshot('0', id, { name: 'local' });
    await expect(a.conn.snapshotProgress!('0', id, local.id, {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'snapshot local was not replicated: take snapshots with replicate: true on a volume that has a replication target',
    });
  });

  it('add-replication-target pairs every member with a replica of the same CDM name on the paired cluster, once', async () => {
    const f = fixture();
    const m1 = await volume();
    const m2 = await volume();
    const cg = await f.createConsistencyGroup!(cdmName('rg'), [m1.id, m2.id]);
    await f.close();
    await expect(a.conn.cgTakeSnapshot!('0', cg.id, { prefix: 'x', replicate: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/no replication target/),
    });
    await expect(a.conn.cgAddReplicationTarget!('0', cg.id, { targetName: 'elsewhere' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const target = await a.conn.cgAddReplicationTarget!('0', cg.id, { targetName: bName });
    expect(target).toEqual({ id: expect.any(String), name: bName, hostAddress: `127.0.0.1:${b.port}` });
    expect((await a.conn.getConsistencyGroup!('0', cg.id)).targets).toEqual([target]);
    const names = await Promise.all([m1.id, m2.id].map(async (id) => (await a.conn.getVolume('0', id)).name));
    const replicas = (await b.ok('ListActivePairedVolumes')).volumes.filter(
      (v: { attributes: { cdm?: { name?: string } } }) => names.includes(v.attributes.cdm?.name ?? ''),
    );
    expect(replicas).toHaveLength(2);
    for (const r of replicas)
      expect(r).toMatchObject({
        access: 'replicationTarget',
        volumePairs: [{ remoteReplication: { mode: 'SnapshotsOnly' } }],
      });
    // Again: nothing new is made.
    await a.conn.cgAddReplicationTarget!('0', cg.id, { targetName: bName });
    expect(
      (await b.ok('ListActivePairedVolumes')).volumes.filter((v: { attributes: { cdm?: { name?: string } } }) =>
        names.includes(v.attributes.cdm?.name ?? ''),
      ),
    ).toHaveLength(2);

    const gs = await a.conn.cgTakeSnapshot!('0', cg.id, { prefix: 'rep', replicate: true });
    for (const [i, m] of [m1, m2].entries()) {
      const member = (await a.conn.listSnapshots('0', m.id, { start: 0 })).find(
        (s) => s.consistencyGroupSnapshotId === gs.id,
      )!;
      expect((await settle(a.conn, m.id, member.id)).snapshotReplicationStatus.state).toBe('completed');
      const replica = replicas.find(
        (r: { attributes: { cdm: { name: string } } }) => r.attributes.cdm.name === names[i],
      );
      const rs = (await b.ok('ListSnapshots', { volumeID: replica.volumeID })).snapshots.find(
        (s: { name: string }) => s.name === gs.name,
      );
      expect((await b.readSnapshot(rs.snapshotID)).subarray(0, m.data.length).equals(m.data)).toBe(true);
    }

    // A member added later is not paired until the target is added again.
    const m3 = await volume();
    await a.conn.cgAddVolume!('0', cg.id, { volumeId: m3.id });
    await expect(a.conn.cgTakeSnapshot!('0', cg.id, { prefix: 'rep', replicate: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(m3.id),
    });
    await a.conn.cgAddReplicationTarget!('0', cg.id, { targetName: bName });
    await a.conn.cgTakeSnapshot!('0', cg.id, { prefix: 'rep2', replicate: true });
  });

  it('a paired cluster that does not answer makes add-replication-target BACKEND_UNAVAILABLE, and nothing is left paired', async () => {
    const c = await startSim();
    try {
      await pairClusters(a.sim, c);
      const cName = (await c.ok('GetClusterInfo')).clusterInfo.name;
      const f = fixture();
      const m = await volume();
      const cg = await f.createConsistencyGroup!(cdmName('gone'), [m.id]);
      await f.close();
      // The partner makes the replica volume, then cannot reach this cluster to complete the volume pair
      // (white-box: the pairing account it calls this cluster with no longer exists here).
      const [onA] = (await a.sim.ok('ListClusterPairs')).clusterPairs.filter(
        (p: { clusterName: string }) => p.clusterName === cName,
      );
      a.sim.state.clusterPairs.get(onA.clusterPairID)!.localAccount.username = 'revoked';
      const err = await a.conn.cgAddReplicationTarget!('0', cg.id, { targetName: cName }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      expect((await a.sim.ok('ListVolumes', { volumeIDs: [Number(m.id)] })).volumes[0].volumePairs).toEqual([]);
      expect((await c.ok('ListActivePairedVolumes')).volumes).toEqual([]);
      expect((await c.ok('ListActiveVolumes')).volumes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('calls the paired cluster with REMOTE_ARRAY_CREDENTIALS for it when configured, else with the session’s own', async () => {
    const asked: [string, number | undefined][] = [];
    const driver = element.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 5000,
      connectTimeoutMs: 1000,
      logger: silentLogger(),
      remoteCredentials: (host, port) => {
        asked.push([host, port]);
        return port === b.port ? { username: 'viewer', password: 'viewer-secret' } : undefined;
      },
    });
    try {
      const conn = driver.connect(a.target, CREDS, await driver.login(a.target, CREDS));
      const f = fixture();
      const cg = await f.createConsistencyGroup!(cdmName('creds'), [(await volume()).id]);
      await f.close();
      // The read-only account may look but not create the replica.
      await expect(conn.cgAddReplicationTarget!('0', cg.id, { targetName: bName })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(asked).toContainEqual(['127.0.0.1', b.port]);
    } finally {
      await driver.close();
    }
  });
});
