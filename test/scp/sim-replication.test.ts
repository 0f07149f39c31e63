// Replication between regions for real: the replica volume is made in the other region, updates move the blocks that
// changed (every snapshot the replica lacks, then the volume), the replica is read-only until the replication goes,
// and a region that disappears mid-transfer leaves an update failed and the source intact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type RunningScpSimulator, startScpSimulator } from '../../simulators/scp/server';
import { KEY, READ_ONLY, call, ok, settle, sim, startTwoRegions, until, volume } from './sim-helpers';

interface Rep {
  replication_id: string;
  replication_status: string;
  replication_policy: string;
  replication_volume_id: string;
  replication_volume_region: string;
  source_volume_region: string;
  updates?: {
    state: string;
    bytes_total: number;
    bytes_transferred: number;
    snapshot_names: string[];
    message: string | null;
  }[];
}

const MiB = 1024 * 1024;

async function replicate(url: string, vid: string, region: string, name = 'replica_a'): Promise<Rep> {
  const made = await call<Rep>(url, '/v1/replications', {
    method: 'POST',
    body: { name, region, replication_frequency: 'daily', replication_type: 'replication', volume_id: vid },
  });
  expect(made.status).toBe(202);
  return made.body;
}

const showRep = (url: string, vid: string, id: string) => ok<Rep>(url, `/v1/replications/${id}?volume_id=${vid}`);
const settled = (url: string, vid: string, id: string) =>
  until(`replication ${id}`, async () => {
    const r = await showRep(url, vid, id);
    return r.replication_status === 'available' || r.replication_status === 'error' ? r : undefined;
  });

describe('SCP simulator: replication between two regions of one process', () => {
  let s: RunningScpSimulator;
  let west: string;
  let east: string;
  beforeAll(async () => {
    s = await startTwoRegions();
    [west, east] = s.regions.map((r) => r.url);
  });
  afterAll(() => s.close());

  it('lists the other region as a target, and the catalog lists both endpoints', async () => {
    const q = (type: string, source: string) =>
      call<{ regions: string[] }>(
        west,
        `/v1/replications/regions?type_name=${type}&source_region_name=${source}&replication_type=replication`,
      );
    expect(await q('HDD', 'kr-west1')).toEqual({ status: 200, body: { regions: ['kr-east1'] } });
    expect(await q('SSD', 'kr-east1')).toEqual({ status: 200, body: { regions: ['kr-west1'] } });
    expect((await q('HDD', 'eu-nowhere1')).status).toBe(404);
    expect((await q('HighPerformanceSSD', 'kr-west1')).status).toBe(400);
    const { endpoints } = await ok<{ endpoints: { region: string; url: string; service_type: string }[] }>(
      east,
      '/iam/v1/endpoints',
    );
    expect(endpoints.map((e) => [e.region, e.url, e.service_type])).toEqual([
      ['kr-west1', west, 'filestorage'],
      ['kr-east1', east, 'filestorage'],
    ]);
  });

  it('makes the replica in the other region, sends the volume, then only what changed, with every snapshot by name', async () => {
    const vid = await volume(west, 'repl_src');
    const data = randomBytes(MiB);
    await sim(west, 'PUT', `/sim/volume/${vid}/data`, data);
    const made = await replicate(west, vid, 'kr-east1');
    expect(made).toMatchObject({
      replication_status: 'creating',
      source_volume_region: 'kr-west1',
      replication_volume_region: 'kr-east1',
      protocol: 'NFS',
    });
    const baseline = await settled(west, vid, made.replication_id);
    expect(baseline.replication_status).toBe('available');
    expect(baseline.updates![0]).toMatchObject({ state: 'succeeded', bytes_total: MiB, bytes_transferred: MiB });
    const rid = made.replication_volume_id;
    expect((await sim(east, 'GET', `/sim/volume/${rid}/data`)).equals(data)).toBe(true);

    // A snapshot, a change after it, then an update ("use" puts the replication to work at once).
    const snap = (
      await ok<{ snapshot: { id: string; name: string } }>(west, '/v1/snapshots', {
        method: 'POST',
        body: { volume_id: vid },
      })
    ).snapshot;
    await settle(west);
    const patch = randomBytes(8192);
    await sim(west, 'PUT', `/sim/volume/${vid}/data?offset=4096`, patch);
    const set = await call(west, `/v1/replications/${made.replication_id}?volume_id=${vid}`, {
      method: 'PUT',
      body: { replication_update_type: 'policy', replication_policy: 'use' },
    });
    expect(set.status).toBe(200);
    const after = await until('the second update', async () => {
      const r = await showRep(west, vid, made.replication_id);
      return r.updates!.length === 2 && r.updates![0].state !== 'running' ? r : undefined;
    });
    expect(after.updates![0]).toMatchObject({ state: 'succeeded', snapshot_names: [snap.name], bytes_total: 8192 });

    const replicaSnaps = (
      await ok<{ snapshots: { id: string; name: string }[] }>(east, `/v1/snapshots?volume_id=${rid}`)
    ).snapshots;
    expect(replicaSnaps.map((x) => x.name)).toEqual([snap.name]);
    expect((await sim(east, 'GET', `/sim/snapshot/${replicaSnaps[0].id}/data`)).equals(data)).toBe(true);
    const expected = Buffer.from(data);
    patch.copy(expected, 4096);
    expect((await sim(east, 'GET', `/sim/volume/${rid}/data`)).equals(expected)).toBe(true);
  });

  it('the replica is read-only until the replication is deleted, which leaves it an ordinary volume', async () => {
    const vid = await volume(west, 'ro_src');
    await sim(west, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('replicated'));
    const made = await replicate(west, vid, 'kr-east1', 'ro_replica');
    await settled(west, vid, made.replication_id);
    await settle(east);
    const rid = made.replication_volume_id;
    const replica = await ok<{ purpose: string; state: string }>(east, `/v1/volumes/${rid}`);
    expect(replica).toMatchObject({ purpose: 'REPLICATION', state: 'available' });
    // The replica side lists the replication too, without the source's transfers, and cannot set it.
    const listed = await ok<{ replications: { replication_id: string }[] }>(east, `/v1/replications?volume_id=${rid}`);
    expect(listed.replications.map((r) => r.replication_id)).toEqual([made.replication_id]);
    expect(await showRep(east, rid, made.replication_id)).not.toHaveProperty('updates');
    const refused = [
      await call(east, '/v1/snapshots', { method: 'POST', body: { volume_id: rid } }),
      await call(east, `/v1/volumes/${rid}`, { method: 'DELETE' }),
      await call(east, `/v1/replications/${made.replication_id}?volume_id=${rid}`, {
        method: 'PUT',
        body: { replication_update_type: 'policy', replication_policy: 'paused' },
      }),
      await call(west, `/v1/volumes/${vid}`, { method: 'DELETE' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    await expect(sim(east, 'PUT', `/sim/volume/${rid}/data`, Buffer.from('x'))).rejects.toThrow(/409/);

    expect(
      (await call(west, `/v1/replications/${made.replication_id}?volume_id=${vid}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect((await showRep(west, vid, made.replication_id)).replication_status).toBe('deleting');
    await settle(west);
    expect((await call(west, `/v1/replications/${made.replication_id}?volume_id=${vid}`)).status).toBe(404);
    await until('the replica side forgets', async () =>
      (await call(east, `/v1/replications/${made.replication_id}?volume_id=${rid}`)).status === 404 ? true : undefined,
    );
    expect((await ok<{ purpose: string }>(east, `/v1/volumes/${rid}`)).purpose).toBe('NORMAL');
    await sim(east, 'PUT', `/sim/volume/${rid}/data`, Buffer.from('now mine'));
  });

  it('a paused replication sends nothing; use sends what waited', async () => {
    const vid = await volume(west, 'pause_src');
    const made = await replicate(west, vid, 'kr-east1', 'pause_replica');
    await settled(west, vid, made.replication_id);
    const policy = (p: string) =>
      ok(west, `/v1/replications/${made.replication_id}?volume_id=${vid}`, {
        method: 'PUT',
        body: { replication_update_type: 'policy', replication_policy: p },
      });
    await policy('paused');
    await sim(west, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('while paused'));
    await ok(west, '/v1/snapshots', { method: 'POST', body: { volume_id: vid } });
    await settle(west);
    const paused = await showRep(west, vid, made.replication_id);
    expect([paused.replication_policy, paused.updates!.length]).toEqual(['paused', 1]);
    await policy('use');
    const resumed = await until('the update after use', async () => {
      const r = await showRep(west, vid, made.replication_id);
      return r.updates!.length === 2 && r.updates![0].state === 'succeeded' ? r : undefined;
    });
    expect(resumed.updates![0].snapshot_names).toHaveLength(1);
    expect((await sim(east, 'GET', `/sim/volume/${made.replication_volume_id}/data`)).toString()).toBe('while paused');
  });
});

describe('SCP simulator: replication to a region of another process that disappears mid-transfer', () => {
  let a: RunningScpSimulator;
  let b: RunningScpSimulator;
  beforeAll(async () => {
    a = await startScpSimulator({
      regions: [{ name: 'kr-west1', port: 0 }],
      keys: [KEY, READ_ONLY],
      demo: false,
      opDelayMs: 0,
    });
    b = await startScpSimulator({ regions: [{ name: 'kr-south1', port: 0 }], keys: [KEY], demo: false, opDelayMs: 0 });
    // Pairing: each process learns the other's region.
    await sim(a.url, 'POST', '/sim/regions', { name: 'kr-south1', url: b.url });
    await sim(b.url, 'POST', '/sim/regions', { name: 'kr-west1', url: a.url });
  });
  afterAll(async () => {
    await Promise.allSettled([a.close(), b.close()]);
  });

  it('fails the update with the reason, keeps the source intact, and the replication can still be deleted', async () => {
    const vid = await volume(a.url, 'doomed_src');
    const made = await replicate(a.url, vid, 'kr-south1', 'doomed');
    await settled(a.url, vid, made.replication_id);
    const data = randomBytes(2 * MiB);
    await sim(a.url, 'PUT', `/sim/volume/${vid}/data`, data);
    await sim(a.url, 'POST', '/sim/faults', { replicationRate: 256 * 1024 });
    await ok(a.url, `/v1/replications/${made.replication_id}?volume_id=${vid}`, {
      method: 'PUT',
      body: { replication_update_type: 'policy', replication_policy: 'use' },
    });
    await until('the transfer to start', async () => {
      const r = await showRep(a.url, vid, made.replication_id);
      return r.replication_status === 'updating' && r.updates![0].bytes_transferred > 0 ? r : undefined;
    });
    await b.close();
    const failed = await settled(a.url, vid, made.replication_id);
    expect(failed.replication_status).toBe('error');
    expect(failed.updates![0]).toMatchObject({ state: 'failed', message: expect.stringMatching(/kr-south1/) });
    expect(failed.updates![0].bytes_transferred).toBeLessThan(failed.updates![0].bytes_total);
    expect((await sim(a.url, 'GET', `/sim/volume/${vid}/data`)).equals(data)).toBe(true);
    // The other region is gone: deleting the replication still ends it here.
    await ok(a.url, `/v1/replications/${made.replication_id}?volume_id=${vid}`, { method: 'DELETE' });
    await until('the replication goes', async () =>
      (await call(a.url, `/v1/replications/${made.replication_id}?volume_id=${vid}`)).status === 404 ? true : undefined,
    );
    // And a new replication to the vanished region answers 503.
    const res = await call<{ detail: string }>(a.url, '/v1/replications', {
      method: 'POST',
      body: {
        name: 'again',
        region: 'kr-south1',
        replication_frequency: 'daily',
        replication_type: 'replication',
        volume_id: vid,
      },
    });
    expect([res.status, res.body.detail]).toEqual([503, expect.stringMatching(/kr-south1.*did not answer/)]);
  });
});

describe('SCP simulator: a state file keeps both regions and their replication across a restart', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'scp-state-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts with the volumes, content, replica and replication, and the next update is incremental', async () => {
    const stateFile = path.join(dir, 'state.json');
    const start = () => startTwoRegions({ stateFile, opDelayMs: 0 });
    const first = await start();
    const [w, e] = first.regions.map((r) => r.url);
    const vid = await volume(w, 'kept_src');
    await sim(w, 'PUT', `/sim/volume/${vid}/data`, randomBytes(64 * 1024));
    const made = await replicate(w, vid, 'kr-east1', 'kept_replica');
    await settled(w, vid, made.replication_id);
    const before = await sim(e, 'GET', `/sim/volume/${made.replication_volume_id}/data`);
    await first.close();

    const second = await start();
    try {
      const [w2, e2] = second.regions.map((r) => r.url);
      expect((await sim(e2, 'GET', `/sim/volume/${made.replication_volume_id}/data`)).equals(before)).toBe(true);
      expect((await showRep(w2, vid, made.replication_id)).replication_status).toBe('available');
      await sim(w2, 'PUT', `/sim/volume/${vid}/data`, Buffer.alloc(4096, 7));
      await ok(w2, `/v1/replications/${made.replication_id}?volume_id=${vid}`, {
        method: 'PUT',
        body: { replication_update_type: 'policy', replication_policy: 'use' },
      });
      const r = await until('the update after the restart', async () => {
        const x = await showRep(w2, vid, made.replication_id);
        return x.updates!.length === 2 && x.updates![0].state === 'succeeded' ? x : undefined;
      });
      expect(r.updates![0].bytes_total).toBe(4096);
    } finally {
      await second.close();
    }
  });
});
