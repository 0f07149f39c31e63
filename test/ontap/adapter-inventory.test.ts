// The ONTAP adapter's inventory over HTTP: SVMs as servers with their real service state, system figures, pools,
// networks, isolation.
import { DR_SVM_UUID } from '../../simulators/ontap/demo';
import { type Rig, startRig } from './adapter-helpers';
import { uniq } from './sim-helpers';

describe('ONTAP adapter: servers, system, pools and networks', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('every SVM is a server, by its stable uuid; the storage is the cluster, with its version', async () => {
    const storage = await rig.conn.storage();
    expect(storage).toMatchObject({
      name: expect.stringMatching(/^cluster_\d+$/),
      vendor: 'NetApp',
      version: '9.14.1',
      serverIds: [rig.svm, DR_SVM_UUID],
    });
    const servers = await rig.conn.listServers();
    expect(servers.map((s) => [s.id, s.name])).toEqual([
      [rig.svm, 'svm1'],
      [DR_SVM_UUID, 'svm1_dr'],
    ]);
  });

  it('config follows each SVM: the DR destination, and NFS/iSCSI service state as the services report it', async () => {
    expect((await rig.conn.getServer(rig.svm)).config).toEqual({
      isDpDestination: false,
      isNfsServiceEnabled: true,
      isIscsiServiceEnabled: true,
      isIncrementalConsistencyGroup: false,
    });
    expect((await rig.conn.getServer(DR_SVM_UUID)).config).toMatchObject({
      isDpDestination: true,
      isNfsServiceEnabled: true,
      isIscsiServiceEnabled: false,
    });
    await rig.sim.patch(`/api/protocols/nfs/services/${rig.svm}`, { enabled: false });
    try {
      expect((await rig.conn.getServer(rig.svm)).config.isNfsServiceEnabled).toBe(false);
    } finally {
      await rig.sim.patch(`/api/protocols/nfs/services/${rig.svm}`, { enabled: true });
    }
    await expect(rig.conn.getServer('no-such-svm')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('server'),
    });
  });

  it('pools are the SVM’s aggregates: the DR SVM sees only its own', async () => {
    expect((await rig.conn.listPools(rig.svm, { start: 0 })).map((p) => p.name)).toEqual(['aggr1', 'aggr2']);
    expect((await rig.conn.listPools(DR_SVM_UUID, { start: 0 })).map((p) => p.name)).toEqual(['aggr2']);
    const aggr1 = (await rig.conn.listPools(rig.svm, { start: 0, limit: 1 }))[0];
    await expect(rig.conn.getPool(DR_SVM_UUID, aggr1.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await rig.conn.getPool(rig.svm, aggr1.id)).freeSpace).toBeGreaterThan(100 * 1024 ** 3);
  });

  it('system figures come from the SVM’s aggregates and volumes, with the node’s model and serial', async () => {
    const sys = await rig.conn.getSystem(rig.svm);
    expect(sys).toMatchObject({
      parity: 'raid_dp,raid_tec',
      model: 'AFF-A250',
      serialNumber: '721819000123',
      version: '9.14.1',
      capacityInBytes: 300 * 1024 ** 3,
    });
    expect((await rig.conn.getSystem(DR_SVM_UUID)).parity).toBe('raid_tec');
  });

  it('networks are the SVM’s LIFs, IP then FC, with services, the iSCSI target name and WWPNs; paged across both', async () => {
    const nets = await rig.conn.listNetworks(rig.svm, { start: 0 });
    expect(nets.map((n) => [n.name, n.ipAddress, n.wwpn])).toEqual([
      ['svm1_data_nfs', '127.0.0.1', null],
      ['svm1_data_iscsi', '127.0.0.2', null],
      ['svm1_fc_1', null, '20:01:00:50:56:bb:01:01'],
    ]);
    expect(nets[0].config).toEqual({ nfs: true, cifs: true, iscsi: false, fc: false });
    expect(nets[1]).toMatchObject({
      iqn: expect.stringMatching(/^iqn\.1992-08\.com\.netapp:sn\./),
      config: { iscsi: true },
    });
    expect(nets[2].config.fc).toBe(true);
    expect(await rig.conn.listNetworks(rig.svm, { start: 1, limit: 2 })).toEqual(nets.slice(1, 3));
    expect(await rig.conn.listNetworks(rig.svm, { start: 2, limit: 5 })).toEqual(nets.slice(2));
    expect(await rig.conn.getNetwork(rig.svm, nets[2].id)).toEqual(nets[2]);
    await expect(rig.conn.getNetwork(DR_SVM_UUID, nets[0].id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a volume of another SVM is not found through this one', async () => {
    const res = await rig.sim.done('POST', '/api/storage/volumes?return_records=true', {
      name: uniq('drvol'),
      svm: { uuid: DR_SVM_UUID },
      size: 32 << 20,
      guarantee: { type: 'none' },
    });
    const id = res.body.records[0].uuid;
    expect((await rig.conn.getVolume(DR_SVM_UUID, id)).supports.revert).toBe(false);
    await expect(rig.conn.getVolume(rig.svm, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('volume'),
    });
    expect((await rig.conn.listVolumes(rig.svm, { start: 0 })).map((v) => v.id)).not.toContain(id);
  });

  it('SVM root volumes are not CDM volumes', async () => {
    const names = (await rig.conn.listVolumes(rig.svm, { start: 0 })).map((v) => v.name);
    expect(names).not.toContain('svm1_root');
  });
});
