// The SCP adapter's replication: remote arrays are the regions a volume can replicate to (found from an SCP endpoint
// name, or the account's endpoint catalog); a replicated snapshot is taken and the replication put to work;
// get-Progress follows the replication's transfers, or without them whether the replica region holds the snapshot.
import { randomBytes } from 'node:crypto';
import type * as T from '../../src/domain/types';
import { CREDS, type Rig, driver, proxy, rig } from './adapter-helpers';
import { ok, sim, until, volume } from './sim-helpers';

/** A volume of kr-west1 replicating to kr-east1, its first transfer done; content written after. */
async function replicated(r: Rig, name: string, content: Buffer) {
  const vid = await volume(r.west, name);
  const rep = await ok<{ replication_id: string; replication_volume_id: string }>(r.west, '/v1/replications', {
    method: 'POST',
    body: {
      name: `${name}_r`,
      region: 'kr-east1',
      replication_frequency: 'daily',
      replication_type: 'replication',
      volume_id: vid,
    },
  });
  await until('the baseline', async () => {
    const x = await ok<{ replication_status: string }>(
      r.west,
      `/v1/replications/${rep.replication_id}?volume_id=${vid}`,
    );
    return x.replication_status === 'available' ? true : undefined;
  });
  await sim(r.west, 'PUT', `/sim/volume/${vid}/data`, content);
  return { vid, ...rep };
}

const follow = (r: Rig, vid: string, sid: string) =>
  until('the transfer to settle', async () => {
    const p = await r.conn.snapshotProgress!('0', vid, sid, {});
    return p.snapshotReplicationStatus.inProgress ? undefined : p;
  });

describe('SCP adapter: replication to another region', () => {
  let r: Rig;
  beforeAll(async () => (r = await rig()));
  afterAll(() => r.close());

  it('lists the other region as a remote array at its endpoint, from the catalog', async () => {
    expect(await r.conn.listRemoteArrays!('0', { start: 0 })).toEqual([
      { name: 'kr-east1', hostAddress: `127.0.0.1:${r.sim.regions[1].port}` },
    ]);
    expect((await r.conn.storage()).name).toBe('SCP File Storage kr-west1');
  });

  it('takes the region from an SCP endpoint name, and names the other regions’ endpoints the same way', async () => {
    const d = driver();
    const target = { hostname: 'filestorage.kr-west1.e.samsungsdscloud.com', ipAddress: '127.0.0.1', port: r.sim.port };
    const conn = d.connect(target, CREDS, await d.login(target, CREDS));
    expect(await conn.listRemoteArrays!('0', { start: 0 })).toEqual([
      { name: 'kr-east1', hostAddress: `filestorage.kr-east1.e.samsungsdscloud.com:${r.sim.port}` },
    ]);
    expect((await conn.getServer('0')).name).toBe('filestorage kr-west1');
    await d.close();
  });

  it('replicates a snapshot by content, and get-Progress follows it to completion', async () => {
    const data = randomBytes(256 * 1024);
    const { vid, replication_volume_id: rid } = await replicated(r, 'adapt_repl', data);
    const snap = await r.conn.createSnapshot('0', vid, { name: 'replicated-1', replicate: true });
    const done = await follow(r, vid, snap.id);
    expect(done).toMatchObject({
      name: 'replicated-1',
      snapshotReplicationStatus: { state: 'completed', isCompleted: true, percentComplete: 100, message: null },
    });
    expect(done.snapshotReplicationStatus.transferred).toBe(done.snapshotReplicationStatus.totalSizeToBeSynchronized);
    expect(done.snapshotReplicationStatus.totalSizeToBeSynchronized).toBeGreaterThanOrEqual(data.length);
    // In the other region, the replica holds the snapshot under its CDM name, with the content.
    const east = driver();
    const t = { ipAddress: '127.0.0.1', port: r.sim.regions[1].port };
    const there = east.connect(t, CREDS, await east.login(t, CREDS));
    // A second driver has its own name store: the replica snapshot shows the service's name there...
    const [replicaSnap] = await there.listSnapshots('0', rid, { start: 0 });
    expect(replicaSnap.name).not.toBe('replicated-1');
    await east.close();
    // ...and the same driver (one plugin's store) shows the CDM name in both regions.
    const same = r.driver.connect(t, CREDS, await r.driver.login(t, CREDS));
    const named = await same.listSnapshots('0', rid, { start: 0 });
    expect(named.map((s) => s.name)).toEqual(['replicated-1']);
    expect((await sim(r.east, 'GET', `/sim/snapshot/${named[0].id}/data`)).subarray(0, data.length).equals(data)).toBe(
      true,
    );
    // The source's snapshot goes; the replica keeps its copy, and its CDM name with it.
    await r.conn.deleteSnapshot('0', vid, snap.id);
    expect((await same.listSnapshots('0', rid, { start: 0 })).map((s) => s.name)).toEqual(['replicated-1']);
  });

  it('a snapshot taken without replicate on a replicated volume is queued for the next transfer, then completed', async () => {
    const { vid, replication_id } = await replicated(r, 'adapt_later', randomBytes(8192));
    const snap = await r.conn.createSnapshot('0', vid, { name: 'taken-plain' });
    const queued = await r.conn.snapshotProgress!('0', vid, snap.id, {});
    expect(queued.snapshotReplicationStatus).toMatchObject({ state: 'queued', inProgress: true, transferred: 0 });
    await ok(r.west, `/v1/replications/${replication_id}?volume_id=${vid}`, {
      method: 'PUT',
      body: { replication_update_type: 'policy', replication_policy: 'use' },
    });
    expect((await follow(r, vid, snap.id)).snapshotReplicationStatus.state).toBe('completed');
  });

  it('a paused replication is not put to work behind CDM’s back: CONFLICT, and no snapshot is made', async () => {
    const { vid, replication_id } = await replicated(r, 'adapt_paused', randomBytes(4096));
    await ok(r.west, `/v1/replications/${replication_id}?volume_id=${vid}`, {
      method: 'PUT',
      body: { replication_update_type: 'policy', replication_policy: 'paused' },
    });
    await expect(r.conn.createSnapshot('0', vid, { name: 'while-paused', replicate: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/paused/),
    });
    expect(await r.conn.listSnapshots('0', vid, { start: 0 })).toEqual([]);
  });

  it('without the transfers in the answer, a snapshot is complete once the replica region holds it', async () => {
    // The service's own answer has no transfer list: a proxy takes the simulator's away.
    const p = await proxy(r.west, {
      rewrite: (_path, body) => {
        if (body && typeof body === 'object' && 'updates' in body) delete (body as { updates?: unknown }).updates;
        return body;
      },
    });
    try {
      const d = driver();
      const t = { ipAddress: '127.0.0.1', port: p.port };
      const conn = d.connect(t, CREDS, await d.login(t, CREDS));
      const { vid } = await replicated(r, 'adapt_plain', randomBytes(16 * 1024));
      const snap = await conn.createSnapshot('0', vid, { name: 'plain-1', replicate: true });
      const done = await until('the replica to hold it', async () => {
        const x = await conn.snapshotProgress!('0', vid, snap.id, {});
        return x.snapshotReplicationStatus.isCompleted ? x : undefined;
      });
      expect(done.snapshotReplicationStatus).toMatchObject({ state: 'completed', percentComplete: 100 });
      await d.close();
    } finally {
      await p.close();
    }
  });

  it('where no name or catalog tells the region, remote arrays answer CONFLICT saying how to name the endpoint', async () => {
    const p = await proxy(r.west, {
      answer: (path) => (path.startsWith('/iam/') ? { status: 404, body: { detail: 'Not Found' } } : undefined),
    });
    try {
      const d = driver();
      const t = { ipAddress: '127.0.0.1', port: p.port };
      const conn = d.connect(t, CREDS, await d.login(t, CREDS));
      await expect(conn.listRemoteArrays!('0', { start: 0 })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/filestorage\.<region>/),
      });
      expect((await conn.storage()).name).toBe(`SCP File Storage 127.0.0.1:${p.port}`);
      await d.close();
    } finally {
      await p.close();
    }
  });

  it('get-Progress of a snapshot of a volume without replication answers CONFLICT: not replicated', async () => {
    const vid = await volume(r.west, 'adapt_none');
    const snap: T.Snapshot = await r.conn.createSnapshot('0', vid, { name: 'lonely' });
    await expect(r.conn.snapshotProgress!('0', vid, snap.id, {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/not replicated/),
    });
  });
});
