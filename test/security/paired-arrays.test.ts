/**
 * ARRAY_ALLOWLIST also holds for paired arrays: the address of a cluster peer or a paired cluster comes from the array,
 * so an array must not be able to send the plugin, with the session's credentials, somewhere the operator did not
 * allow. Refused: 403 ARRAY_NOT_ALLOWED, nothing made on either side; allowed: the same request succeeds.
 */
import { simulatorNamed, startPartner } from '../../simulators';
import type { ArrayFixture, RunningSimulator } from '../../simulators';
import type { Allowlist } from '../../src/domain/allowlist';
import request from 'supertest';
import { API, type TestPlugin, startTestPlugin, uniq } from '../helpers/plugin';

const MiB = 1024 * 1024;

/** An allowlist the test opens to the partner once the refusal has been seen. */
function switchable(): Allowlist & { ports: Set<number> } {
  const ports = new Set<number>();
  return { entries: ['the test arrays'], empty: false, ports, allows: (_host, port) => ports.has(port) };
}

describe.each(['ontap', 'element'])('%s: a paired array outside ARRAY_ALLOWLIST', (name) => {
  const allowlist = switchable();
  let p: TestPlugin;
  let partner: RunningSimulator;
  let partnerFixture: ArrayFixture;
  let sid: string;
  let partnerSid: string;
  let srv: string;
  let partnerSrv: string;

  beforeAll(async () => {
    p = await startTestPlugin(name, { config: { arrayAllowlist: allowlist } });
    allowlist.ports.add(p.sim.port);
    partner = await startPartner(simulatorNamed(name), p.sim.url, 0, { demo: false });
    await simulatorNamed(name).pair!(p.sim.url, partner.url);
    partnerFixture = simulatorNamed(name).fixture(partner.url);
    sid = await p.login();
    // A session on the partner, to look at it: the allowlist is checked at login, then the session is the array's.
    allowlist.ports.add(partner.port);
    partnerSid = await p.login({ ipAddress: new URL(partner.url).hostname, port: partner.port });
    allowlist.ports.delete(partner.port);
    srv = `/server/${encodeURIComponent(p.fixture.serverId)}`;
    partnerSrv = `/server/${encodeURIComponent(partnerFixture.serverId)}`;
  });
  afterAll(async () => {
    await Promise.allSettled([partner?.close(), partnerFixture?.close()]);
    await p?.close();
  });
  afterEach(() => allowlist.ports.delete(partner.port));

  it('a session on the partner itself is refused before any connection', async () => {
    const res = await request(p.app)
      .post(`${API}/session`)
      .set('authorization', p.auth)
      .send({ ipAddress: new URL(partner.url).hostname, port: partner.port });
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('ARRAY_NOT_ALLOWED');
  });

  if (name === 'ontap') {
    it('a replicated snapshot is refused and taken back; allowed, it is sent', async () => {
      const { id } = await p.fixture.createVolume({ name: uniq('pa'), type: 'filesystem', sizeBytes: 4 * MiB });
      const { replicaVolumeId } = await p.fixture.protect!(id, partner.url);
      const replicaSnapshots = async () =>
        (
          (await p.get(`${partnerSrv}/volume/${replicaVolumeId}/snapshot`, partnerSid)).body.snapshots as {
            name: string;
          }[]
        ).map((s) => s.name);
      const before = await replicaSnapshots();
      const refused = await p.post(`${srv}/volume/${id}/snapshot`, sid, { name: uniq('no'), replicate: true });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ type: 'ARRAY_NOT_ALLOWED' });
      expect(refused.body.error.message).toContain(String(partner.port));
      // Taken back: a retry starts clean, and nothing reached the partner.
      const listed = (await p.get(`${srv}/volume/${id}/snapshot`, sid)).body.snapshots as { name: string }[];
      expect(listed.map((s) => s.name)).not.toContain(refused.body.name);
      expect(await replicaSnapshots()).toEqual(before);

      allowlist.ports.add(partner.port);
      const sent = await p.post(`${srv}/volume/${id}/snapshot`, sid, { name: uniq('yes'), replicate: true });
      expect(sent.status).toBe(201);
    });
  } else {
    it('adding a consistency group replication target is refused and makes nothing; allowed, it is added', async () => {
      const vols = await Promise.all(
        [uniq('pa'), uniq('pa')].map((n) => p.fixture.createVolume({ name: n, type: 'lun', sizeBytes: 2 * MiB })),
      );
      const cg = await p.fixture.createConsistencyGroup!(
        uniq('cg'),
        vols.map((v) => v.id),
      );
      const remote = (await p.get(`${srv}/remotearray`, sid)).body.remoteArrays.find(
        (a: { hostAddress: string }) => a.hostAddress === new URL(partner.url).host,
      );
      const partnerVolumes = async () =>
        ((await p.get(`${partnerSrv}/volume?limit=1000`, partnerSid)).body.volumes as unknown[]).length;
      const before = await partnerVolumes();
      const url = `${srv}/consistencygroup/${cg.id}?action=add-replication-target`;
      const refused = await p.post(url, sid, { targetName: remote.name });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ type: 'ARRAY_NOT_ALLOWED' });
      expect(await partnerVolumes()).toBe(before);
      expect((await p.get(`${srv}/consistencygroup/${cg.id}`, sid)).body.targets ?? []).toEqual([]);

      allowlist.ports.add(partner.port);
      const added = await p.post(url, sid, { targetName: remote.name });
      expect(added.status).toBe(200);
      expect(await partnerVolumes()).toBe(before + vols.length);
    });
  }
});
