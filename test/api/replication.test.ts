/**
 * Replication through the CDM API between two simulated arrays (separate HTTP servers), on every
 * backend: a replicated snapshot's content reaches the replica, progress is read from the arrays,
 * and a partner that goes away mid-transfer is reported as a failed transfer with the source intact.
 */
import { SIMULATORS, simulatorNamed, startPartner } from '../../simulators';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { BACKENDS } from '../../plugins';
import type { ArrayFixture, RunningSimulator } from '../../simulators';
import type { SnapshotReplicationStatus } from '../../src/domain/types';
import { TEST_BACKENDS } from '../helpers/backends';
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

const REPLICATING = TEST_BACKENDS.filter((n) => SIMULATORS[n]?.pair);
const MiB = 1024 * 1024;

/** Sets a simulator's runtime replication rate (bytes/s; 0 = its start rate). */
async function setRate(sim: RunningSimulator, auth: string, replicationRate: number): Promise<void> {
  const res = await request(`${sim.url}/sim/faults`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ replicationRate }),
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`POST /sim/faults: HTTP ${res.statusCode}`);
}

describe.each(REPLICATING)('%s: replication', (name) => {
  const backend = BACKENDS[name];
  const caps = backend.capabilities;
  let p: TestPlugin;
  let partner: RunningSimulator;
  let partnerFixture: ArrayFixture;
  let sid: string;
  let partnerSid: string;
  let srv: string;

  beforeAll(async () => {
    p = await startTestPlugin(name);
    partner = await startPartner(simulatorNamed(backend.name), p.sim.url, 0, { demo: false });
    await simulatorNamed(backend.name).pair!(p.sim.url, partner.url);
    partnerFixture = simulatorNamed(backend.name).fixture(partner.url);
    sid = await p.login();
    partnerSid = await p.login({ ipAddress: new URL(partner.url).hostname, port: partner.port });
    srv = `/server/${encodeURIComponent(p.fixture.serverId)}`;
  });
  afterAll(async () => {
    await Promise.allSettled([partner?.close(), partnerFixture?.close()]);
    await p?.close();
  });

  /**
   * A source volume protected to the partner, then given known content: an array whose protection sends a baseline
   * at once has the content still to send when CDM replicates a snapshot.
   */
  async function protectedVolume(bytes: number): Promise<{ id: string; replicaId: string; data: Buffer }> {
    const { id } = await p.fixture.createVolume({ name: uniq('repl'), type: 'filesystem', sizeBytes: 4 * MiB });
    const { replicaVolumeId } = await p.fixture.protect!(id, partner.url);
    const data = randomBytes(bytes);
    await p.fixture.write(id, data);
    return { id, replicaId: replicaVolumeId, data };
  }

  async function progress(vid: string, snapId: string): Promise<SnapshotReplicationStatus> {
    const res = await p.post(
      `${srv}/volume/${encodeURIComponent(vid)}/snapshot/${encodeURIComponent(snapId)}?action=get-Progress`,
      sid,
      {},
    );
    expect(res.status).toBe(200);
    return res.body as SnapshotReplicationStatus;
  }

  /** Polls get-Progress until the transfer settles; answers every status seen. */
  async function follow(vid: string, snapId: string, timeoutMs = 20_000): Promise<SnapshotReplicationStatus[]> {
    const seen: SnapshotReplicationStatus[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await progress(vid, snapId);
      seen.push(s);
      const st = s.snapshotReplicationStatus;
      if (!st.inProgress) return seen;
      if (Date.now() > deadline)
        throw new Error(`transfer still ${st.state} after ${timeoutMs} ms: ${JSON.stringify(st)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The snapshot named `snapName` on the replica volume, through a CDM session on the partner. */
  async function replicaSnapshot(replicaId: string, snapName: string): Promise<string> {
    const res = await p.get(
      `/server/${encodeURIComponent(partnerFixture.serverId)}/volume/${encodeURIComponent(replicaId)}/snapshot`,
      partnerSid,
    );
    expect(res.status).toBe(200);
    const snap = (res.body.snapshots as { id: string; name: string }[]).find((s) => s.name === snapName);
    if (!snap)
      throw new Error(
        `no snapshot ${snapName} on the replica: ${JSON.stringify(res.body.snapshots.map((s: { name: string }) => s.name))}`,
      );
    return snap.id;
  }

  it('declares replication in the /server supports flags', async () => {
    const res = await p.get(srv, sid);
    expect(res.status).toBe(200);
    expect(res.body.supports).toMatchObject({
      replication: true,
      volumeReplication: caps.replication.volume,
      newSnapshotReplication: true,
      consistencyGroupReplication: caps.replication.consistencyGroup,
    });
  });

  it('lists the paired array under /remotearray', async () => {
    const res = await p.get(`${srv}/remotearray`, sid);
    expect(res.status).toBe(200);
    const arrays = res.body.remoteArrays as { name: string; hostAddress: string }[];
    expect(arrays.some((a) => a.hostAddress === new URL(partner.url).host)).toBe(true);
    for (const a of arrays) expect(a.name).toEqual(expect.any(String));
  });

  it('replicates a snapshot by content, then only what changed, followed through get-Progress', async () => {
    const vol = await protectedVolume(MiB);
    const snapName = uniq('rs');
    const created = await p.post(`${srv}/volume/${vol.id}/snapshot`, sid, { name: snapName, replicate: true });
    expect(created.status).toBe(201);
    const seen = await follow(vol.id, created.body.id);
    const last = seen[seen.length - 1].snapshotReplicationStatus;
    expect(last).toMatchObject({
      state: 'completed',
      isCompleted: true,
      inProgress: false,
      percentComplete: 100,
      message: null,
    });
    expect(last.totalSizeToBeSynchronized).toBeGreaterThanOrEqual(MiB);
    expect(last.transferred).toBe(last.totalSizeToBeSynchronized);
    expect(last.startTime).toEqual(expect.any(Number));
    expect(last.completeTime).toBeGreaterThanOrEqual(last.startTime!);
    // Progress never goes backwards.
    const sent = seen.map((s) => s.snapshotReplicationStatus.transferred);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);

    const replicaSnap = await replicaSnapshot(vol.replicaId, snapName);
    expect((await partnerFixture.readSnapshot(vol.replicaId, replicaSnap)).subarray(0, MiB).equals(vol.data)).toBe(
      true,
    );

    // A second replicated snapshot after a change: the replica holds both points in time.
    const patch = randomBytes(8192);
    await p.fixture.write(vol.id, patch, 4096);
    const second = uniq('rs');
    const created2 = await p.post(`${srv}/volume/${vol.id}/snapshot`, sid, { name: second, replicate: true });
    expect(created2.status).toBe(201);
    const seen2 = await follow(vol.id, created2.body.id);
    expect(seen2[seen2.length - 1].snapshotReplicationStatus.state).toBe('completed');
    const expected = Buffer.from(vol.data);
    patch.copy(expected, 4096);
    const replicaSnap2 = await replicaSnapshot(vol.replicaId, second);
    expect((await partnerFixture.readSnapshot(vol.replicaId, replicaSnap2)).subarray(0, MiB).equals(expected)).toBe(
      true,
    );
    expect((await partnerFixture.readSnapshot(vol.replicaId, replicaSnap)).subarray(0, MiB).equals(vol.data)).toBe(
      true,
    );

    // Recovery from the copy: a clone of the replica snapshot on the partner, through CDM, holds the first point in
    // time.
    const clone = await p.post(
      `/server/${encodeURIComponent(partnerFixture.serverId)}/volume/${encodeURIComponent(vol.replicaId)}?action=clone`,
      partnerSid,
      { snapshot: { id: replicaSnap }, name: uniq('dr') },
    );
    expect(clone.status).toBe(200);
    expect((await partnerFixture.read(clone.body.id)).subarray(0, MiB).equals(vol.data)).toBe(true);
  }, 60_000);

  it('answers CONFLICT for replicate:true on a volume without a replication target, and takes no snapshot', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('norepl'), type: 'filesystem', sizeBytes: MiB });
    const before = (await p.get(`${srv}/volume/${id}/snapshot`, sid)).body.snapshots.length;
    const res = await p.post(`${srv}/volume/${id}/snapshot`, sid, { name: uniq('rs'), replicate: true });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/replicat/i);
    expect((await p.get(`${srv}/volume/${id}/snapshot`, sid)).body.snapshots.length).toBe(before);
  });

  it('reports a transfer whose partner goes away as failed, with the source untouched', async () => {
    // A partner of its own, so the other tests keep theirs.
    const doomed = await startPartner(simulatorNamed(backend.name), p.sim.url, 1, { demo: false });
    try {
      await simulatorNamed(backend.name).pair!(p.sim.url, doomed.url);
      const { id } = await p.fixture.createVolume({ name: uniq('doomed'), type: 'filesystem', sizeBytes: 4 * MiB });
      await p.fixture.protect!(id, doomed.url);
      const data = randomBytes(2 * MiB);
      await p.fixture.write(id, data);
      await setRate(p.sim, p.auth, 256 * 1024); // 2 MiB takes ~8 s: time to pull the plug
      const snapName = uniq('rs');
      const created = await p.post(`${srv}/volume/${id}/snapshot`, sid, { name: snapName, replicate: true });
      expect(created.status).toBe(201);
      const snapId = created.body.id as string;
      const deadline = Date.now() + 10_000;
      while ((await progress(id, snapId)).snapshotReplicationStatus.transferred === 0) {
        if (Date.now() > deadline) throw new Error('the transfer never started');
        await new Promise((r) => setTimeout(r, 50));
      }
      await doomed.close();
      const seen = await follow(id, snapId, 30_000);
      const last = seen[seen.length - 1].snapshotReplicationStatus;
      expect(last).toMatchObject({ state: 'failed', isCompleted: false, inProgress: false, completeTime: null });
      expect(last.message).toEqual(expect.stringMatching(/\S/));
      expect(last.transferred).toBeLessThan(last.totalSizeToBeSynchronized);
      expect((await p.fixture.read(id)).subarray(0, data.length).equals(data)).toBe(true);
      expect((await p.fixture.readSnapshot(id, snapId)).subarray(0, data.length).equals(data)).toBe(true);
    } finally {
      await setRate(p.sim, p.auth, 0);
      await doomed.close().catch(() => undefined);
    }
  }, 60_000);

  // Only where groups replicate (elsewhere "features a backend may not have" checks the 501): nothing is skipped.
  const cgIt = caps.replication.consistencyGroup
    ? it
    : (_title: string, _test: () => Promise<void>, _ms?: number) => undefined;
  cgIt(
    'adds a replication target to a consistency group and replicates its snapshot by content',
    async () => {
      const names = [uniq('cgr'), uniq('cgr')];
      const vols = await Promise.all(
        names.map((n) => p.fixture.createVolume({ name: n, type: 'lun', sizeBytes: 2 * MiB })),
      );
      const data = vols.map(() => randomBytes(256 * 1024));
      await Promise.all(vols.map((v, i) => p.fixture.write(v.id, data[i])));
      const cg = await p.fixture.createConsistencyGroup!(
        uniq('cg'),
        vols.map((v) => v.id),
      );
      const remote = (await p.get(`${srv}/remotearray`, sid)).body.remoteArrays.find(
        (a: { hostAddress: string }) => a.hostAddress === new URL(partner.url).host,
      );
      const added = await p.post(`${srv}/consistencygroup/${cg.id}?action=add-replication-target`, sid, {
        targetName: remote.name,
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({ name: remote.name, hostAddress: remote.hostAddress });
      const got = await p.get(`${srv}/consistencygroup/${cg.id}`, sid);
      expect(got.body.targets).toEqual([expect.objectContaining({ name: remote.name })]);

      const unknown = await p.post(`${srv}/consistencygroup/${cg.id}?action=add-replication-target`, sid, {
        targetName: 'no-such-array',
      });
      expect(unknown.status).toBe(404);

      const snap = await p.post(`${srv}/consistencygroup/${cg.id}?action=take-snapshot`, sid, {
        prefix: 'rcg',
        replicate: true,
      });
      expect(snap.status).toBe(200);
      // Each member's snapshot of the group reaches its replica, found on the partner by the member's name.
      const replicaVolumes = (
        await p.get(`/server/${encodeURIComponent(partnerFixture.serverId)}/volume?limit=1000`, partnerSid)
      ).body.volumes as { id: string; name: string }[];
      for (const [i, v] of vols.entries()) {
        const member = (await p.get(`${srv}/volume/${v.id}/snapshot`, sid)).body.snapshots.find(
          (s: { consistencyGroupSnapshotId: string | null }) => s.consistencyGroupSnapshotId === snap.body.id,
        );
        expect(member).toBeDefined();
        const seen = await follow(v.id, member.id);
        expect(seen[seen.length - 1].snapshotReplicationStatus.state).toBe('completed');
        const replica = replicaVolumes.find((r) => r.name === names[i]);
        expect(replica).toBeDefined();
        const rs = await replicaSnapshot(replica!.id, member.name);
        expect((await partnerFixture.readSnapshot(replica!.id, rs)).subarray(0, data[i].length).equals(data[i])).toBe(
          true,
        );
      }
    },
    60_000,
  );
});
