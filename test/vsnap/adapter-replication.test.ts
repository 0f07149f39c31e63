/**
 * vSnap replication through the CDM API: what the adapter asks the appliance, and how it reads sessions back into
 * get-Progress.
 */
import { simulatorNamed } from '../../simulators';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { RunningSimulator } from '../../simulators';
import type { SnapshotReplicationStatus } from '../../src/domain/types';
import { type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

const MiB = 1024 * 1024;

describe('vSnap replication through the plugin', () => {
  let p: TestPlugin;
  let partner: RunningSimulator;
  let sid: string;

  /** A vendor call on the primary appliance with its admin account. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function array(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
    const res = await request(`${p.sim.url}${path}`, {
      method,
      headers: { authorization: p.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.body.json();
    if (res.statusCode !== 200) throw new Error(`${method} ${path}: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  }

  const progress = async (vid: string, snapId: string) => {
    const res = await p.post(`/server/0/volume/${vid}/snapshot/${snapId}?action=get-Progress`, sid, {}).expect(200);
    return (res.body as SnapshotReplicationStatus).snapshotReplicationStatus;
  };

  async function settled(vid: string, snapId: string): Promise<SnapshotReplicationStatus['snapshotReplicationStatus']> {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 30))) {
      const st = await progress(vid, snapId);
      if (!st.inProgress) return st;
    }
    throw new Error('transfer never settled');
  }

  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    partner = await simulatorNamed('vsnap').start({ port: 0, demo: false });
    await simulatorNamed('vsnap').pair!(p.sim.url, partner.url);
    await simulatorNamed('vsnap').pair!(p.sim.url, partner.url); // pairing again is harmless
    sid = await p.login();
  });
  afterAll(async () => {
    await partner?.close();
    await p?.close();
  });
  afterEach(() => array('POST', '/sim/faults', { replicationRate: 0 }));

  it('remote arrays are the appliance’s partners: the partner id and its API address with the port', async () => {
    const { partners } = await array('GET', '/api/partner');
    const res = await p.get('/server/0/remotearray', sid).expect(200);
    expect(res.body.remoteArrays).toEqual([{ name: partners[0].id, hostAddress: `127.0.0.1:${partner.port}` }]);
    expect((await p.get('/server/0/remotearray?limit=1&start=1', sid).expect(200)).body.remoteArrays).toEqual([]);
  });

  it('a replicated snapshot starts a session on the volume’s relationship that keeps the snapshot name', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('ar'), type: 'filesystem', sizeBytes: 4 * MiB });
    await p.fixture.write(id, randomBytes(64 * 1024));
    await p.fixture.protect!(id, partner.url);
    const [rel] = (await array('GET', `/api/volume/${id}/relationship`)).relationships;
    const name = uniq('snap');
    const snap = (await p.post(`/server/0/volume/${id}/snapshot`, sid, { name, replicate: true }).expect(201)).body;
    const sessions = (await array('GET', '/api/session')).sessions.filter(
      (s: { local_snap_id: string }) => s.local_snap_id === snap.id,
    );
    expect(sessions).toEqual([
      expect.objectContaining({ rel_id: rel.id, local_snap_name: name, remote_snap_name: name }),
    ]);
    const done = await settled(id, snap.id);
    expect(done).toMatchObject({
      state: 'completed',
      transferred: 64 * 1024,
      totalSizeToBeSynchronized: 64 * 1024,
      percentComplete: 100,
    });
  });

  it('get-Progress follows the session: queued behind another, transferring, then failed with the array’s message when canceled', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('ap'), type: 'filesystem', sizeBytes: 4 * MiB });
    await p.fixture.write(id, randomBytes(MiB));
    await p.fixture.protect!(id, partner.url);
    await array('POST', '/sim/faults', { replicationRate: 256 * 1024 });
    const first = (
      await p.post(`/server/0/volume/${id}/snapshot`, sid, { name: uniq('first'), replicate: true }).expect(201)
    ).body;
    const second = (
      await p.post(`/server/0/volume/${id}/snapshot`, sid, { name: uniq('second'), replicate: true }).expect(201)
    ).body;
    expect(await progress(id, second.id)).toMatchObject({
      state: 'queued',
      inProgress: true,
      isCompleted: false,
      startTime: null,
      transferred: 0,
    });
    let st = await progress(id, first.id);
    while (st.transferred === 0) st = await progress(id, first.id);
    expect(st).toMatchObject({
      state: 'transferring',
      inProgress: true,
      totalSizeToBeSynchronized: MiB,
      message: null,
    });
    expect(st.percentComplete).toBeGreaterThan(0);
    expect(st.percentComplete).toBeLessThan(100);
    const session = (await array('GET', '/api/session')).sessions.find(
      (s: { local_snap_id: string }) => s.local_snap_id === first.id,
    );
    await array('POST', '/sim/faults', { replicationRate: 0 }); // the rate is read when a transfer starts: the next one runs fast
    await array('POST', `/api/session/${session.id}`, { action: 'cancel' });
    expect(await progress(id, first.id)).toMatchObject({
      state: 'failed',
      inProgress: false,
      isCompleted: false,
      completeTime: null,
      message: 'Canceled',
    });
    // The queued one runs next, in full (nothing reached the replica before it).
    expect(await settled(id, second.id)).toMatchObject({ state: 'completed', transferred: MiB });
  });

  it('a snapshot that was never replicated answers 409 naming it; so does replicate:true once the relationship is gone', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('an'), type: 'filesystem', sizeBytes: MiB });
    await p.fixture.protect!(id, partner.url);
    const name = uniq('plain');
    const plain = (await p.post(`/server/0/volume/${id}/snapshot`, sid, { name }).expect(201)).body;
    const res = await p.post(`/server/0/volume/${id}/snapshot/${plain.id}?action=get-Progress`, sid, {}).expect(409);
    expect(res.body.error).toMatchObject({ type: 'CONFLICT', message: `snapshot ${name} was not replicated` });
    await p.post(`/server/0/volume/${id}/snapshot/987654?action=get-Progress`, sid, {}).expect(404);

    const [rel] = (await array('GET', `/api/volume/${id}/relationship`)).relationships;
    await array('DELETE', `/api/relationship/${rel.id}`);
    const refused = await p
      .post(`/server/0/volume/${id}/snapshot`, sid, { name: uniq('late'), replicate: true })
      .expect(409);
    expect(refused.body.error.message).toMatch(/no replication relationship/);
    await p.post('/server/0/volume/987654/snapshot', sid, { name: uniq('x'), replicate: true }).expect(404);
  });

  it('the replica on the partner is an ordinary volume a CDM session there can list, holding the replicated snapshot', async () => {
    const { id } = await p.fixture.createVolume({ name: uniq('vis'), type: 'lun', sizeBytes: 2 * MiB });
    const data = randomBytes(128 * 1024);
    await p.fixture.write(id, data);
    const { replicaVolumeId } = await p.fixture.protect!(id, partner.url);
    const name = uniq('s');
    const snap = (await p.post(`/server/0/volume/${id}/snapshot`, sid, { name, replicate: true }).expect(201)).body;
    await settled(id, snap.id);
    const partnerSid = await p.login({ ipAddress: '127.0.0.1', port: partner.port });
    const vol = (await p.get(`/server/0/volume/${replicaVolumeId}`, partnerSid).expect(200)).body;
    expect(vol).toMatchObject({ volumeType: 'lun', stats: { size: 2 * MiB } });
    const snaps = (await p.get(`/server/0/volume/${replicaVolumeId}/snapshot`, partnerSid).expect(200)).body.snapshots;
    expect(snaps.map((s: { name: string }) => s.name)).toEqual([name]);
  });
});
