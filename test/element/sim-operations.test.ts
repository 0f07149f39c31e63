import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_DB_CONTENT } from '../../simulators/element/demo';
import { MiB, type Sim, fill, startSim } from './sim-helpers';

describe('Element simulator: fault controls for client reliability tests', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());
  afterEach(() => sim.sim('DELETE', '/faults'));

  it('failStatus 200 answers the next calls with xDBVersionMismatch, the error every client retries', async () => {
    await sim.sim('POST', '/faults', { failNext: 2, failStatus: 200 });
    for (let i = 0; i < 2; i++) {
      const r = await sim.rpc('GetAPI');
      expect([r.status, r.body.error?.name]).toEqual([200, 'xDBVersionMismatch']);
    }
    expect((await sim.rpc('GetAPI')).body.result.currentVersion).toBe(12.3);
  });

  it('another failStatus answers that HTTP status and does nothing', async () => {
    await sim.sim('POST', '/faults', { failNext: 1, failStatus: 503 });
    const r = await sim.rpc('AddAccount', { username: 'never-made' });
    expect(r.status).toBe(503);
    expect((await sim.ok('ListAccounts')).accounts.map((a: { username: string }) => a.username)).not.toContain(
      'never-made',
    );
  });

  it('refuses settings that make no sense', async () => {
    expect((await sim.sim('POST', '/faults', { failStatus: 302 })).json.error.name).toBe('xInvalidParameter');
    expect((await sim.sim('POST', '/faults', { explode: 1 })).status).toBe(400);
    expect((await sim.sim('POST', '/settings', { cloneBytesPerSecond: 0 })).status).toBe(400);
    expect((await sim.sim('POST', '/settings', { warpSpeed: 1 })).status).toBe(400);
  });

  it('latency delays, drop closes the socket, garble cuts the JSON in half', async () => {
    await sim.sim('POST', '/faults', { latencyMs: 150 });
    const started = Date.now();
    await sim.ok('GetAPI');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await sim.sim('DELETE', '/faults');
    await sim.sim('POST', '/faults', { dropNext: 1 });
    await expect(sim.rpc('GetAPI')).rejects.toThrow();
    await sim.sim('POST', '/faults', { garbleNext: 1 });
    const r = await sim.rpc('GetAPI');
    expect([r.status, r.body]).toEqual([200, undefined]);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('faults touch only the JSON-RPC API, never the data plane', async () => {
    const v = await sim.volume('fault-free', MiB);
    await sim.sim('POST', '/faults', { failNext: 5 });
    await sim.write(v, fill(100, 'ok'));
    expect((await sim.read(v)).toString()).toBe(fill(100, 'ok').toString());
  });
});

describe('Element simulator: state file and demo data', () => {
  it('saves every change and comes back with volumes, content, snapshots, groups and running clones', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'element-sim-')), 'state.json');
    const first = await startSim({ stateFile: file, settings: { cloneMinMs: 60_000 } });
    const v = await first.volume('persisted', 4 * MiB, fill(20_000, 'P'));
    const snap = (await first.ok('CreateSnapshot', { volumeID: v, name: 'kept' })).snapshotID;
    await first.write(v, fill(5000, 'Q'));
    const g = (
      await first.ok('CreateVolumeAccessGroup', {
        name: 'kept-group',
        initiators: ['iqn.1994-05.com.redhat:kept'],
        volumes: [v],
      })
    ).volumeAccessGroupID;
    const clone = await first.ok('CloneVolume', { volumeID: v, snapshotID: snap, name: 'still-copying' });
    const uniqueID = (await first.ok('GetClusterInfo')).clusterInfo.uniqueID;
    await first.close();

    const second = await startSim({ stateFile: file, settings: { cloneMinMs: 60_000 } });
    try {
      expect((await second.ok('GetClusterInfo')).clusterInfo.uniqueID).toBe(uniqueID);
      expect((await second.readSnapshot(snap)).equals(fill(20_000, 'P'))).toBe(true);
      expect((await second.read(v)).subarray(0, 5000).equals(fill(5000, 'Q'))).toBe(true);
      expect(
        (await second.ok('ListVolumeAccessGroups', { volumeAccessGroups: [g] })).volumeAccessGroups[0].volumes,
      ).toEqual([v]);
      expect((await second.ok('GetAsyncResult', { asyncHandle: clone.asyncHandle, keepResult: true })).status).toBe(
        'running',
      );
      expect((await second.err('DeleteSnapshot', { snapshotID: snap })).name).toBe('xCloneInProgress');
      // Ids are never reused after a restart.
      expect(await second.volume('after-restart')).toBeGreaterThan(clone.volumeID);
    } finally {
      await second.close();
    }
  });

  it('a corrupt state file stops the start rather than being wiped', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'element-sim-')), 'state.json');
    writeFileSync(file, '{"format": "element-simulator-state/1", "cluster": ');
    await expect(startSim({ stateFile: file })).rejects.toThrow(/Cannot load Element simulator state/);
    expect(readFileSync(file, 'utf8')).toContain('cluster');
  });

  it('the demo cluster has a tenant, volumes with content, a consistency group with a group snapshot, hosts and a host group', async () => {
    const demo = await startSim({ demo: true });
    try {
      const volumes = (await demo.ok('ListActiveVolumes')).volumes;
      expect(volumes.map((v: { name: string }) => v.name)).toEqual(['demo-db', 'demo-logs']);
      expect(volumes[0].attributes.cdm.consistencyGroup).toMatchObject({ id: 'demo-app' });
      expect((await demo.read(volumes[0].volumeID)).equals(DEMO_DB_CONTENT)).toBe(true);
      const groups = (await demo.ok('ListGroupSnapshots')).groupSnapshots;
      expect(groups[0].members.map((m: { volumeID: number }) => m.volumeID)).toEqual([
        volumes[0].volumeID,
        volumes[1].volumeID,
      ]);
      const vags = (await demo.ok('ListVolumeAccessGroups')).volumeAccessGroups.map((g: { name: string }) => g.name);
      expect(vags).toEqual(['esx01', 'esx02', 'esx-cluster']);
    } finally {
      await demo.close();
    }
  });

  it('two fresh clusters do not share an identity', async () => {
    const [a, b] = [await startSim(), await startSim()];
    try {
      const [ia, ib] = [(await a.ok('GetClusterInfo')).clusterInfo, (await b.ok('GetClusterInfo')).clusterInfo];
      expect(ia.uuid).not.toBe(ib.uuid);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
