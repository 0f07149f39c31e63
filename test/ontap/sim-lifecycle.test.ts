// The simulator's life: demo data (a cluster with two SVMs), the state file across restarts, stable ids, faults.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_NFS_CONTENT, SVM_UUID, stableUuid } from '../../simulators/ontap/demo';
import { startOntapSimulator } from '../../simulators/ontap/server';
import { eventually } from './adapter-helpers';
import { MiB, TestSim, startSim, uniq } from './sim-helpers';

const stateFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'ontap-sim-')), 'state.json');

describe('ONTAP simulator lifecycle', () => {
  it('the demo is a cluster with two SVMs, one of them a DR destination, with volumes, a mapped LUN, host groups, a group and a policy', async () => {
    const sim = await startSim({ demo: true });
    try {
      const svms = (await sim.get('/api/svm/svms?fields=subtype,iscsi.enabled,nfs.enabled')).body.records;
      expect(svms).toEqual([
        expect.objectContaining({
          uuid: SVM_UUID,
          name: 'svm1',
          subtype: 'default',
          iscsi: { enabled: true },
          nfs: { enabled: true },
        }),
        expect.objectContaining({ name: 'svm1_dr', subtype: 'dp_destination', iscsi: { enabled: false } }),
      ]);
      const nfs = (await sim.get('/api/storage/volumes?name=demo_nfs&fields=nas.path')).body.records[0];
      expect(nfs.nas.path).toBe('/demo_nfs');
      expect((await sim.read(nfs.uuid, 'data')).toString()).toBe(DEMO_NFS_CONTENT);
      const map = (await sim.get('/api/protocols/san/lun-maps?igroup.name=demo_host&fields=logical_unit_number')).body
        .records[0];
      expect(map).toMatchObject({ lun: { name: '/vol/demo_san/lun1' }, logical_unit_number: 0 });
      expect((await sim.readLun(map.lun.uuid)).subarray(0, 8).toString()).toBe('ONTAPSIM');
      const groups = (await sim.get('/api/protocols/san/igroups?igroups.uuid=*&fields=igroups')).body.records;
      expect(
        groups.map((g: { name: string; igroups: { name: string }[] }) => [g.name, g.igroups.map((c) => c.name)]),
      ).toEqual([
        ['demo_cluster', ['demo_host']],
        ['demo_esx_farm', ['demo_fc_host']],
      ]);
      const cg = (await sim.get('/api/application/consistency-groups?name=demo_cg&fields=volumes')).body.records[0];
      expect(cg.volumes.map((v: { name: string }) => v.name)).toEqual(['demo_nfs', 'demo_san']);
      expect(
        (await sim.get('/api/snapmirror/policies?name=demo_vault&fields=scope,svm.name')).body.records[0],
      ).toMatchObject({ scope: 'svm', svm: { name: 'svm1' } });
      expect(
        (await sim.get('/api/storage/volumes?svm.name=svm1_dr&is_svm_root=false&fields=type')).body.records[0].type,
      ).toBe('dp');
    } finally {
      await sim.close();
    }
  });

  it('a fresh simulator always has the same SVM and aggregate ids; its cluster is named (and identified) after its port, so peers differ', async () => {
    const ids = async () => {
      const sim = await startSim();
      try {
        const cluster = (await sim.get('/api/cluster')).body;
        expect(cluster.name).toBe(`cluster_${sim.sim.port}`);
        expect(cluster.uuid).toBe(stableUuid(`cluster/cluster_${sim.sim.port}`));
        return {
          cluster: cluster.uuid,
          shared: [
            (await sim.get('/api/svm/svms')).body.records,
            (await sim.get('/api/storage/aggregates')).body.records,
          ],
        };
      } finally {
        await sim.close();
      }
    };
    const [one, two] = [await ids(), await ids()];
    expect(one.shared).toEqual(two.shared);
    expect(one.cluster).not.toBe(two.cluster);
  });

  it('the state file keeps volumes, content, snapshots, clone dependencies, maps and policies across a restart', async () => {
    const file = stateFile();
    let sim = await startSim({ stateFile: file });
    const v = await sim.volume(uniq('kept'));
    await sim.write(v, 'data', Buffer.from('persisted content'));
    const snap = await sim.snapshot(v, 'keep');
    await sim.done('POST', '/api/storage/volumes', {
      name: uniq('kept_clone'),
      svm: { name: 'svm1' },
      clone: { parent_volume: { uuid: v }, parent_snapshot: { uuid: snap } },
    });
    const lun = await sim.lun(v, 'kept_lun', MiB);
    await sim.writeLun(lun, Buffer.from('lun bytes'));
    const policy = (await sim.get('/api/snapmirror/policies?name=XDPDefault')).body.records[0].uuid;
    await sim.done('PATCH', `/api/snapmirror/policies/${policy}`, { comment: 'survives restarts' });
    await sim.close();

    sim = new TestSim(await startOntapSimulator({ port: 0, stateFile: file }));
    try {
      expect((await sim.read(v, 'data')).toString()).toBe('persisted content');
      expect((await sim.readSnapshot(v, snap, 'data')).toString()).toBe('persisted content');
      expect((await sim.readLun(lun)).toString()).toBe('lun bytes');
      expect((await sim.outcome('DELETE', `/api/storage/volumes/${v}/snapshots/${snap}`)).code).toBe('1638555');
      expect((await sim.get(`/api/snapmirror/policies/${policy}`)).body.comment).toBe('survives restarts');
      // A write after the restart still shares nothing it should not: the snapshot keeps the old bytes.
      await sim.write(v, 'data', Buffer.from('PERSISTED'));
      expect((await sim.readSnapshot(v, snap, 'data')).toString()).toBe('persisted content');
    } finally {
      await sim.close();
    }
  });

  it('a split running when the simulator stopped completes after the restart', async () => {
    const file = stateFile();
    let sim = await startSim({ stateFile: file });
    await sim.settings({ splitMinMs: 600 });
    const v = await sim.volume(uniq('splitting'));
    const snap = await sim.snapshot(v, 'base');
    const made = await sim.done('POST', '/api/storage/volumes?return_records=true', {
      name: uniq('sclone'),
      svm: { name: 'svm1' },
      clone: { parent_volume: { uuid: v }, parent_snapshot: { uuid: snap } },
    });
    const clone = made.body.records[0].uuid;
    await sim.done('PATCH', `/api/storage/volumes/${clone}`, { clone: { split_initiated: true } });
    await sim.close();
    sim = new TestSim(await startOntapSimulator({ port: 0, stateFile: file }));
    try {
      const done = await eventually(async () => {
        const c = (await sim.get(`/api/storage/volumes/${clone}?fields=clone`)).body.clone;
        return c.is_flexclone ? undefined : c;
      }, 5000);
      expect(done).toEqual({ is_flexclone: false });
    } finally {
      await sim.close();
    }
  });

  it('a corrupt state file is an error at start, never silently replaced', async () => {
    const file = stateFile();
    writeFileSync(file, '{"format": "ontap-simulator-state/1", "broken": ');
    await expect(startOntapSimulator({ port: 0, stateFile: file })).rejects.toThrow(
      /Cannot load ONTAP simulator state/,
    );
  });

  it('faults: a dropped connection, added latency, and settings that refuse nonsense', async () => {
    const sim = await startSim();
    try {
      await sim.post('/sim/faults', { dropNext: 1 });
      await expect(sim.get('/api/cluster')).rejects.toThrow();
      await sim.post('/sim/faults', { latencyMs: 150 });
      const started = Date.now();
      expect((await sim.get('/api/cluster')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await sim.del('/sim/faults');
      expect((await sim.post('/sim/faults', { nonsense: 1 })).status).toBe(400);
      expect((await sim.post('/sim/settings', { jobMs: -1 })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});
