// Intra-cluster SnapMirror on one simulator: local SVM peering, relationships held in both roles, transfers, policies,
// and CDM replication to the array itself.
import { randomBytes } from 'node:crypto';
import { type Json, type TestSim, startSim, uniq } from './sim-helpers';
import { MiB, type Pair, clusterName, follow, settled, transfer } from './replication-helpers';
import { DR_SVM_NAME, DR_SVM_UUID, SVM_NAME, SVM_UUID } from '../../simulators/ontap/demo';
import type { SnapshotReplicationStatus } from '../../src/domain/types';
import { type TestPlugin, startTestPlugin } from '../helpers/plugin';

const RELS = '/api/snapmirror/relationships';
const snapNames = async (sim: TestSim, vol: string): Promise<string[]> =>
  (await sim.get(`/api/storage/volumes/${vol}/snapshots?fields=name`)).body.records.map((s: Json) => s.name);
const setRate = (sim: TestSim, replicationRate: number) => sim.post('/sim/faults', { replicationRate });

describe('intra-cluster SnapMirror in the simulator', () => {
  let sim: TestSim;
  /** One cluster in both roles: the transfer helpers of two-cluster tests apply as they are. */
  let local: Pair;
  let cluster: string;
  beforeAll(async () => {
    sim = await startSim();
    cluster = await clusterName(sim);
    local = { src: sim, dst: sim, close: () => sim.close() };
  });
  afterAll(() => sim?.close());
  afterEach(() => setRate(sim, 0));

  /**
   * A source volume in svm1 holding `data`, a DP volume of the same name in svm1_dr, and a relationship between them.
   */
  async function relationship(policy = 'XDPDefault', data: Buffer = Buffer.alloc(0)) {
    const name = uniq('ic');
    const srcVol = await sim.volume(name);
    if (data.length) await sim.write(srcVol, 'data', data);
    const dstVol = await sim.volume(name, { type: 'dp', svm: { name: DR_SVM_NAME } });
    const res = await sim.done('POST', `${RELS}?return_records=true`, {
      source: { path: `${SVM_NAME}:${name}` },
      destination: { path: `${DR_SVM_NAME}:${name}` },
      policy: { name: policy },
    });
    return { rel: res.body.records[0].uuid as string, srcVol, dstVol, name };
  }
  async function mirrored(policy: string, data: Buffer) {
    const r = await relationship(policy, data);
    await sim.done('PATCH', `${RELS}/${r.rel}`, { state: 'snapmirrored' });
    await settled(local, r.rel);
    return r;
  }

  it('needs a local SVM peer, made with peer.cluster.name = this cluster and listed for both SVMs', async () => {
    const name = uniq('early');
    await sim.volume(name);
    await sim.volume(name, { type: 'dp', svm: { name: DR_SVM_NAME } });
    const refused = await sim.outcome('POST', RELS, {
      source: { path: `${SVM_NAME}:${name}` },
      destination: { path: `${DR_SVM_NAME}:${name}` },
    });
    expect([refused.status, refused.message]).toEqual([400, expect.stringMatching(/not a peer/)]);

    expect(
      (await sim.outcome('POST', '/api/svm/peers', { svm: { name: SVM_NAME }, peer: { svm: { name: SVM_NAME } } }))
        .status,
    ).toBe(400);
    await sim.done('POST', '/api/svm/peers', {
      svm: { name: SVM_NAME },
      peer: { svm: { name: DR_SVM_NAME }, cluster: { name: cluster } },
      applications: ['snapmirror'],
    });
    const again = await sim.outcome('POST', '/api/svm/peers', {
      svm: { name: SVM_NAME },
      peer: { svm: { name: DR_SVM_NAME } },
    });
    expect(again.status).toBe(409);
    const peers = (await sim.get(`/api/svm/peers?peer.cluster.name=${cluster}&fields=svm,peer,state`)).body
      .records as Json[];
    expect(peers.map((p) => [p.svm.name, p.peer.svm.name, p.state]).sort()).toEqual([
      [SVM_NAME, DR_SVM_NAME, 'peered'],
      [DR_SVM_NAME, SVM_NAME, 'peered'],
    ]);
  });

  it('a relationship is listed in both roles, initializes, and moves a snapshot by content at the rate in force', async () => {
    const data = randomBytes(MiB);
    const { rel, srcVol, dstVol, name } = await relationship('XDPDefault', data);
    const asDestination = (await sim.get(`${RELS}?fields=source,destination,state`)).body.records.find(
      (r: Json) => r.uuid === rel,
    );
    const asSource = (
      await sim.get(`${RELS}?list_destinations_only=true&source.path=${SVM_NAME}:${name}&fields=source,destination`)
    ).body.records;
    expect(asDestination).toMatchObject({
      state: 'uninitialized',
      source: { path: `${SVM_NAME}:${name}`, cluster: { name: cluster } },
      destination: { path: `${DR_SVM_NAME}:${name}`, cluster: { name: cluster } },
    });
    expect(asSource.map((r: Json) => r.uuid)).toEqual([rel]);

    await sim.done('PATCH', `${RELS}/${rel}`, { state: 'snapmirrored' });
    await settled(local, rel);
    await sim.snapshot(srcVol, 'first');
    await setRate(sim, 2 * MiB);
    const t = await transfer(local, rel, { source_snapshot: 'first' });
    const seen = await follow(sim, rel, t);
    const sent = seen.map((s) => s.bytes_transferred);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    expect(seen.some((s) => s.state === 'transferring' && s.bytes_transferred > 0 && s.bytes_transferred < MiB)).toBe(
      true,
    );
    expect(seen[seen.length - 1]).toMatchObject({ state: 'success', bytes_transferred: MiB, total_bytes: MiB });
    // One record per transfer: the cluster holds both ends, not two copies.
    expect((await sim.get(`${RELS}/${rel}/transfers?snapshot=first`)).body.num_records).toBe(1);
    const snap = (await sim.get(`/api/storage/volumes/${dstVol}/snapshots?name=first`)).body.records[0].uuid;
    expect((await sim.readSnapshot(dstVol, snap, 'data')).equals(data)).toBe(true);

    // Only the changed blocks go the second time.
    await sim.write(srcVol, 'data', randomBytes(8192), 4096);
    await sim.snapshot(srcVol, 'second');
    await setRate(sim, 0);
    expect((await follow(sim, rel, await transfer(local, rel, { source_snapshot: 'second' }))).pop()).toMatchObject({
      state: 'success',
      bytes_transferred: 8192,
    });
    expect((await sim.read(dstVol, 'data')).equals(await sim.read(srcVol, 'data'))).toBe(true);
  });

  it('an abort stops the transfer and leaves the DP volume as it was', async () => {
    const { rel, srcVol, dstVol } = await mirrored('XDPDefault', Buffer.alloc(0));
    await sim.write(srcVol, 'data', randomBytes(2 * MiB));
    await sim.snapshot(srcVol, 'slow');
    await setRate(sim, 256 * 1024);
    const t = await transfer(local, rel, { source_snapshot: 'slow' });
    const path = `${RELS}/${rel}/transfers/${t}`;
    while ((await sim.get(path)).body.bytes_transferred === 0) await new Promise((r) => setTimeout(r, 20));
    expect((await sim.patch(path, { state: 'aborted' })).status).toBe(200);
    const last = (await follow(sim, rel, t)).pop();
    expect(last).toMatchObject({ state: 'aborted', error_info: { message: expect.stringMatching(/abort/i) } });
    expect(last.bytes_transferred).toBeLessThan(2 * MiB);
    expect(await snapNames(sim, dstVol)).not.toContain('slow');
    // The engine stopped: a new transfer can start at once.
    await setRate(sim, 0);
    expect((await follow(sim, rel, await transfer(local, rel, { source_snapshot: 'slow' }))).pop()).toMatchObject({
      state: 'success',
      bytes_transferred: 2 * MiB,
    });
  });

  it('create_snapshot_on_source: the policy makes and sends its own snapshot, the source keeps only the newest', async () => {
    const { rel, srcVol, dstVol } = await mirrored('Asynchronous', randomBytes(16 * 1024));
    const own = async () => (await snapNames(sim, srcVol)).filter((n) => n.startsWith('snapmirror.'));
    expect(await own()).toEqual([expect.stringMatching(new RegExp(`^snapmirror\\.${rel}_1\\.`))]);
    expect(await snapNames(sim, dstVol)).toEqual(await own());
    await follow(sim, rel, await transfer(local, rel));
    expect(await own()).toEqual([expect.stringMatching(new RegExp(`^snapmirror\\.${rel}_2\\.`))]);
    expect(await snapNames(sim, dstVol)).toEqual(await own());
  });

  it('retention and copy_latest_source_snapshot apply on the DP volume', async () => {
    const policy = uniq('keep2');
    await sim.done('POST', '/api/snapmirror/policies', {
      name: policy,
      create_snapshot_on_source: false,
      retention: [{ label: 'hourly', count: 2 }],
    });
    const { rel, srcVol, dstVol } = await mirrored(policy, randomBytes(4096));
    for (const n of ['h1', 'h2', 'h3'])
      await sim.done('POST', `/api/storage/volumes/${srcVol}/snapshots`, { name: n, snapmirror_label: 'hourly' });
    await sim.done('POST', `/api/storage/volumes/${srcVol}/snapshots`, { name: 'unlabelled' });
    await follow(sim, rel, await transfer(local, rel));
    expect(await snapNames(sim, dstVol)).toEqual(['h2', 'h3']);

    await sim.done('PATCH', `${RELS}/${rel}`, { policy: { name: 'MirrorLatest' } });
    await sim.snapshot(srcVol, 'older');
    await follow(sim, rel, await transfer(local, rel));
    const names = await snapNames(sim, dstVol);
    expect(names).not.toContain('older');
    expect(names[names.length - 1]).toMatch(/^snapmirror\./);
  });

  it('the relationship throttle (KB/s) paces a local transfer', async () => {
    const { rel, srcVol } = await mirrored('XDPDefault', Buffer.alloc(0));
    await sim.done('PATCH', `${RELS}/${rel}`, { throttle: 256 });
    await sim.write(srcVol, 'data', randomBytes(512 * 1024));
    await sim.snapshot(srcVol, 'throttled');
    const started = Date.now();
    const last = (await follow(sim, rel, await transfer(local, rel, { source_snapshot: 'throttled' }))).pop();
    expect(last).toMatchObject({ state: 'success', throttle: 256, bytes_transferred: 512 * 1024 });
    // 512 KiB at 256 KiB/s: about two seconds (unthrottled, under 10 ms).
    expect(Date.now() - started).toBeGreaterThan(1700);
  });

  it('quiesce, break and resync change the relationship and the DP volume as between clusters', async () => {
    const { rel, srcVol, dstVol } = await mirrored('XDPDefault', randomBytes(4096));
    await sim.done('PATCH', `${RELS}/${rel}`, { state: 'paused' });
    expect((await sim.post(`${RELS}/${rel}/transfers`, {})).status).toBe(409);
    await sim.done('PATCH', `${RELS}/${rel}`, { state: 'snapmirrored' });
    await sim.done('PATCH', `${RELS}/${rel}`, { state: 'broken_off' });
    expect((await sim.get(`/api/storage/volumes/${dstVol}?fields=type`)).body.type).toBe('rw');
    await sim.done('PATCH', `${RELS}/${rel}`, { state: 'snapmirrored' });
    await settled(local, rel);
    expect((await sim.get(`/api/storage/volumes/${dstVol}?fields=type`)).body.type).toBe('dp');
    await sim.snapshot(srcVol, 'after_resync');
    await follow(sim, rel, await transfer(local, rel, { source_snapshot: 'after_resync' }));
    expect(await snapNames(sim, dstVol)).toContain('after_resync');
  });

  it('deleting the relationship removes it from both lists; the SVM peer in use cannot go before it', async () => {
    const { rel, name } = await mirrored('XDPDefault', randomBytes(4096));
    const peer = (await sim.get(`/api/svm/peers?svm.name=${SVM_NAME}&peer.svm.name=${DR_SVM_NAME}`)).body.records[0]
      .uuid;
    expect((await sim.del(`/api/svm/peers/${peer}`)).status).toBe(409);
    await sim.done('DELETE', `${RELS}/${rel}`);
    expect((await sim.get(`${RELS}/${rel}`)).status).toBe(404);
    expect(
      (await sim.get(`${RELS}?list_destinations_only=true&source.path=${SVM_NAME}:${name}`)).body.num_records,
    ).toBe(0);
  });

  it('within one SVM, no SVM peer is needed', async () => {
    const name = uniq('same');
    const srcVol = await sim.volume(name);
    await sim.write(srcVol, 'data', randomBytes(4096));
    await sim.snapshot(srcVol, 'one');
    const dstVol = await sim.volume(`${name}_dst`, { type: 'dp' });
    const res = await sim.done('POST', `${RELS}?return_records=true`, {
      source: { path: `${SVM_NAME}:${name}` },
      destination: { path: `${SVM_NAME}:${name}_dst` },
      policy: { name: 'MirrorAllSnapshots' },
      state: 'snapmirrored',
    });
    const rel = res.body.records[0].uuid;
    await settled(local, rel);
    expect(await snapNames(sim, dstVol)).toContain('one');
  });
});

describe('intra-cluster replication through the CDM API', () => {
  let p: TestPlugin;
  let sid: string;
  const srv = `/server/${SVM_UUID}`;
  const dr = `/server/${DR_SVM_UUID}`;
  beforeAll(async () => {
    p = await startTestPlugin('ontap');
    sid = await p.login();
  });
  afterAll(() => p?.close());

  async function follow(vid: string, snapId: string): Promise<SnapshotReplicationStatus[]> {
    const seen: SnapshotReplicationStatus[] = [];
    for (const deadline = Date.now() + 20_000; ;) {
      const res = await p.post(`${srv}/volume/${vid}/snapshot/${snapId}?action=get-Progress`, sid, {});
      expect(res.status).toBe(200);
      seen.push(res.body);
      if (!res.body.snapshotReplicationStatus.inProgress) return seen;
      if (Date.now() > deadline) throw new Error(`still in progress: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** The content of the snapshot named `name` on the DR SVM's volume `volumeId`, found through CDM. */
  async function replicaContent(volumeId: string, name: string): Promise<Buffer> {
    const snaps = (await p.get(`${dr}/volume/${volumeId}/snapshot`, sid)).body.snapshots as {
      id: string;
      name: string;
    }[];
    const snap = snaps.find((x) => x.name === name);
    if (!snap) throw new Error(`no snapshot ${name} on ${volumeId}: ${JSON.stringify(snaps.map((x) => x.name))}`);
    return p.fixture.readSnapshot(volumeId, snap.id);
  }

  it('declares replicationToItself, and lists the cluster itself as a remote array once an SVM is peered locally', async () => {
    expect((await p.get(srv, sid)).body.supports).toMatchObject({ replication: true, replicationToItself: true });
    expect((await p.get(`${srv}/remotearray`, sid)).body.remoteArrays).toEqual([]);
    const { id } = await p.fixture.createVolume({ name: uniq('first'), type: 'filesystem', sizeBytes: 4 * MiB });
    await p.fixture.protect!(id, p.sim.url);
    const cluster = (await p.get('/storage', sid)).body.name;
    const arrays = (await p.get(`${srv}/remotearray`, sid)).body.remoteArrays;
    expect(arrays).toEqual([{ name: expect.any(String), hostAddress: `127.0.0.1:${p.sim.port}` }]);
    expect(arrays[0].name).toBe(cluster);
  });

  it('replicate: true on a locally protected volume sends the snapshot to its DP volume in the DR SVM, followed through get-Progress', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('lrepl'), type: 'filesystem', sizeBytes: 4 * MiB });
    const data = randomBytes(MiB);
    await p.fixture.write(id, data);
    const { replicaVolumeId } = await p.fixture.protect!(id, p.sim.url);
    const name = uniq('rs');
    const created = await p.post(`${srv}/volume/${id}/snapshot`, sid, { name, replicate: true });
    expect(created.status).toBe(201);
    const last = (await follow(id, created.body.id)).pop()!.snapshotReplicationStatus;
    expect(last).toMatchObject({ state: 'completed', isCompleted: true, percentComplete: 100, message: null });
    expect(last.transferred).toBeGreaterThanOrEqual(MiB);
    expect((await replicaContent(replicaVolumeId, name)).subarray(0, data.length).equals(data)).toBe(true);
  });

  it('a consistency group replicates to the cluster itself: add-replication-target, then take-snapshot replicate by content', async () => {
    const names = [uniq('lcg'), uniq('lcg')];
    const vols = await Promise.all(
      names.map((n) => p.fixture.createVolume({ name: n, type: 'lun', sizeBytes: 2 * MiB })),
    );
    const data = vols.map(() => randomBytes(256 * 1024));
    await Promise.all(vols.map((v, i) => p.fixture.write(v.id, data[i])));
    const cg = await p.fixture.createConsistencyGroup!(
      uniq('cg'),
      vols.map((v) => v.id),
    );
    const self = (await p.get(`${srv}/remotearray`, sid)).body.remoteArrays.find(
      (a: { hostAddress: string }) => a.hostAddress === `127.0.0.1:${p.sim.port}`,
    );
    const added = await p.post(`${srv}/consistencygroup/${cg.id}?action=add-replication-target`, sid, {
      targetName: self.name,
    });
    expect([added.status, added.body]).toEqual([
      200,
      expect.objectContaining({ name: self.name, hostAddress: self.hostAddress }),
    ]);
    expect((await p.get(`${srv}/consistencygroup/${cg.id}`, sid)).body.targets).toEqual([
      expect.objectContaining({ name: self.name }),
    ]);

    const snap = await p.post(`${srv}/consistencygroup/${cg.id}?action=take-snapshot`, sid, {
      prefix: 'lrcg',
      replicate: true,
    });
    expect(snap.status).toBe(200);
    const replicas = (await p.get(`${dr}/volume?limit=1000`, sid)).body.volumes as { id: string; name: string }[];
    for (const [i, v] of vols.entries()) {
      const member = (await p.get(`${srv}/volume/${v.id}/snapshot`, sid)).body.snapshots.find(
        (s: { consistencyGroupSnapshotId: string | null }) => s.consistencyGroupSnapshotId === snap.body.id,
      );
      expect((await follow(v.id, member.id)).pop()!.snapshotReplicationStatus.state).toBe('completed');
      const replica = replicas.find((r) => r.name === names[i]);
      expect(replica).toBeDefined();
      expect((await replicaContent(replica!.id, member.name)).subarray(0, data[i].length).equals(data[i])).toBe(true);
    }
  }, 60_000);
});
