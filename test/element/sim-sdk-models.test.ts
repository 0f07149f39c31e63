// Element simulator: every public method answers what the SolidFire SDK's result model needs, nested objects included.
import { METHODS } from '../../simulators/element/server';
import { MODELS, RESULT_MODELS, problems } from './sdk-models';
import { GiB, type Json, MiB, type Sim, fill, startSim, until } from './sim-helpers';

/** Methods whose answer was checked against its model in this file. */
const checked = new Set<string>();

/** Calls a method and checks its answer against the SDK model the method's result is read into. */
async function call(sim: Sim, method: string, params?: object): Promise<Json> {
  const result = await sim.ok(method, params);
  const model = RESULT_MODELS[method];
  if (!model) throw new Error(`No SDK result model is listed for ${method}`);
  expect(problems(model, result, method)).toEqual([]);
  checked.add(method);
  return result;
}

const IQN = (n: number) => `iqn.1998-01.com.vmware:sdk-host-${n}`;

describe('the SDK model checker', () => {
  const qos = { minIOPS: 50, maxIOPS: 100, burstIOPS: 100, burstTime: 60, curve: { 4096: 100 } };

  it('reports a missing required field, a wrong type and a malformed UUID, nested ones by path', () => {
    expect(problems('VolumeQOS', qos)).toEqual([]);
    const noBurstTime: Record<string, unknown> = { ...qos };
    delete noBurstTime.burstTime;
    expect(problems('VolumeQOS', noBurstTime)).toEqual(['VolumeQOS.burstTime: expected int, got missing']);
    expect(problems('VolumeQOS', { ...qos, minIOPS: '50' })).toEqual(['VolumeQOS.minIOPS: expected int, got "50"']);
    expect(problems('SnapshotRemoteStatus', { remoteStatus: 'Present', volumePairUUID: '' })).toEqual([
      'SnapshotRemoteStatus.volumePairUUID: expected uuid, got ""',
    ]);
    expect(problems('GetVolumeStatsResult', { volumeStats: { metadataHosts: null } })).toContain(
      'GetVolumeStatsResult.volumeStats.accountID: expected int, got missing',
    );
    expect(problems('ListVolumesResult', { volumes: [{ qos: { ...qos, curve: null } }] })).toContain(
      'ListVolumesResult.volumes[0].qos.curve: expected dict, got null',
    );
  });

  it('lets an optional field be absent or null, but not of the wrong type', () => {
    expect(problems('AddAccountResult', { accountID: 1 })).toEqual([]);
    expect(problems('AddAccountResult', { accountID: 1, account: null })).toEqual([]);
    expect(problems('AddAccountResult', { accountID: 1, account: 'x' })).toEqual([
      'AddAccountResult.account: expected a Account object, got "x"',
    ]);
  });

  it('lists a model for every public method of the simulator, and only known models', () => {
    const publicMethods = Object.entries(METHODS)
      .filter(([, spec]) => !spec.internal)
      .map(([name]) => name)
      .sort();
    expect(Object.keys(RESULT_MODELS).sort()).toEqual(publicMethods);
    for (const model of Object.values(RESULT_MODELS)) expect(MODELS).toHaveProperty([model]);
  });
});

describe('Element simulator answers read as SDK models', () => {
  let sim: Sim;
  let accountID: number;
  beforeAll(async () => {
    sim = await startSim();
    accountID = (await call(sim, 'AddAccount', { username: 'sdk-models', attributes: { team: 'a' } })).accountID;
  });
  afterAll(() => sim.close());

  it('cluster identity, version, capacity and the active nodes agree with each other', async () => {
    await call(sim, 'GetAPI');
    const { clusterInfo } = await call(sim, 'GetClusterInfo');
    const version = await call(sim, 'GetClusterVersionInfo');
    await call(sim, 'GetClusterCapacity');
    const { nodes } = await call(sim, 'ListActiveNodes');
    expect(nodes).toHaveLength(1);
    const [node] = nodes;
    expect(node.nodeID).toBe(clusterInfo.mvipNodeID);
    expect(node.nodeID).toBe(clusterInfo.svipNodeID);
    expect(clusterInfo.ensemble).toEqual([node.cip]);
    expect(node.mip).toBe(clusterInfo.mvip);
    expect(node.sip).toBe(clusterInfo.svip);
    expect(node.softwareVersion).toBe(version.clusterVersion);
    expect(version.clusterVersionInfo.map((n: Json) => n.nodeID)).toEqual([node.nodeID]);
    // The node keeps its identity from one call to the next.
    expect((await call(sim, 'ListActiveNodes')).nodes[0].uuid).toBe(node.uuid);
  });

  it('accounts', async () => {
    await call(sim, 'GetAccountByID', { accountID });
    await call(sim, 'GetAccountByName', { username: 'sdk-models' });
    await call(sim, 'ModifyAccount', { accountID, status: 'active', attributes: { team: 'b' } });
    const { accounts } = await call(sim, 'ListAccounts');
    expect(accounts.map((a: Json) => a.accountID)).toContain(accountID);
    const spare = (await call(sim, 'AddAccount', { username: 'sdk-models-spare' })).accountID;
    await call(sim, 'RemoveAccount', { accountID: spare });
  });

  it('volumes, in every list, and their statistics', async () => {
    const created = await call(sim, 'CreateVolume', {
      name: 'sdk-vol',
      accountID,
      totalSize: GiB,
      enable512e: true,
      qos: { minIOPS: 100, maxIOPS: 1000, burstIOPS: 2000 },
      attributes: { owner: 'sdk' },
    });
    const volumeID = created.volumeID;
    await sim.write(volumeID, fill(3 * MiB, 'sdk'));
    await call(sim, 'ModifyVolume', { volumeID, totalSize: 2 * GiB });
    await call(sim, 'ListVolumes', {});
    await call(sim, 'ListVolumes', { volumeIDs: [volumeID] });
    await call(sim, 'ListActiveVolumes', { startVolumeID: 0, limit: 10 });
    await call(sim, 'ListVolumesForAccount', { accountID });
    const stats = (await call(sim, 'GetVolumeStats', { volumeID })).volumeStats;
    expect(stats.nonZeroBlocks).toBe((3 * MiB) / 4096);
    expect(stats.volumeSize).toBe(2 * GiB);
    await call(sim, 'ListVolumeStats', { volumeIDs: [volumeID] });
    await call(sim, 'ListVolumeStatsByVolume');
  });

  it('ListVolumeStats without volumeIDs answers every active volume, as the SDK may call it', async () => {
    const kept = (await call(sim, 'CreateVolume', { name: 'stats-all-kept', accountID, totalSize: GiB })).volumeID;
    const gone = (await call(sim, 'CreateVolume', { name: 'stats-all-gone', accountID, totalSize: GiB })).volumeID;
    await call(sim, 'DeleteVolume', { volumeID: gone });
    const ids = (await call(sim, 'ListVolumeStats', {})).volumeStats.map((s: Json) => s.volumeID);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(gone);
    const byVolume = (await call(sim, 'ListVolumeStatsByVolume')).volumeStats.map((s: Json) => s.volumeID);
    expect(ids).toEqual(byVolume);
  });

  it('access groups, their LUNs and initiators, with deleted volumes kept in place', async () => {
    const a = (await call(sim, 'CreateVolume', { name: 'vag-a', accountID, totalSize: GiB })).volumeID;
    const b = (await call(sim, 'CreateVolume', { name: 'vag-b', accountID, totalSize: GiB })).volumeID;
    const c = (await call(sim, 'CreateVolume', { name: 'vag-c', accountID, totalSize: GiB })).volumeID;
    const group = await call(sim, 'CreateVolumeAccessGroup', {
      name: 'sdk-vag',
      initiators: [IQN(1)],
      volumes: [a, b],
      attributes: { site: 'x' },
    });
    const volumeAccessGroupID = group.volumeAccessGroupID;
    await call(sim, 'AddVolumesToVolumeAccessGroup', { volumeAccessGroupID, volumes: [c] });
    await call(sim, 'RemoveVolumesFromVolumeAccessGroup', { volumeAccessGroupID, volumes: [c] });
    await call(sim, 'AddInitiatorsToVolumeAccessGroup', { volumeAccessGroupID, initiators: [IQN(2)] });
    await call(sim, 'RemoveInitiatorsFromVolumeAccessGroup', { volumeAccessGroupID, initiators: [IQN(2)] });
    await call(sim, 'ModifyVolumeAccessGroup', { volumeAccessGroupID, name: 'sdk-vag-renamed' });
    await call(sim, 'DeleteVolume', { volumeID: b });
    const listed = await call(sim, 'ListVolumeAccessGroups', { volumeAccessGroups: [volumeAccessGroupID, 9999] });
    expect(listed.volumeAccessGroups[0].deletedVolumes).toEqual([b]);
    expect(listed.volumeAccessGroupsNotFound).toEqual([9999]);
    const luns = await call(sim, 'GetVolumeAccessGroupLunAssignments', { volumeAccessGroupID });
    expect(luns.volumeAccessGroupLunAssignments.deletedLunAssignments).toEqual([
      expect.objectContaining({ volumeID: b }),
    ]);
    await call(sim, 'ModifyVolumeAccessGroupLunAssignments', {
      volumeAccessGroupID,
      lunAssignments: [{ volumeID: a, lun: 7 }],
    });
    // A deleted volume is listed with the access group it still belongs to.
    const deleted = (await call(sim, 'ListDeletedVolumes')).volumes.find((v: Json) => v.volumeID === b);
    expect(deleted.volumeAccessGroups).toEqual([volumeAccessGroupID]);
    await call(sim, 'RestoreDeletedVolume', { volumeID: b });
    await call(sim, 'DeleteVolumeAccessGroup', { volumeAccessGroupID, force: true });
  });

  it('initiator objects', async () => {
    const group = (await call(sim, 'CreateVolumeAccessGroup', { name: 'init-vag' })).volumeAccessGroupID;
    const { initiators } = await call(sim, 'CreateInitiators', {
      initiators: [{ name: IQN(3), alias: 'host-3', attributes: { rack: 2 }, volumeAccessGroupID: group }],
    });
    const listed = (await call(sim, 'ListInitiators', { initiators: [initiators[0].initiatorID] })).initiators;
    expect(listed[0].volumeAccessGroups).toEqual([group]);
    await call(sim, 'ListInitiators');
    await call(sim, 'DeleteInitiators', { initiators: [initiators[0].initiatorID] });
  });

  it('snapshots and rollbacks', async () => {
    const volumeID = (await call(sim, 'CreateVolume', { name: 'sdk-snap', accountID, totalSize: GiB })).volumeID;
    const snap = await call(sim, 'CreateSnapshot', { volumeID, name: 's1', retention: '01:00:00' });
    expect(snap.snapshot.expirationTime).toEqual(expect.any(String));
    await call(sim, 'ListSnapshots', { volumeID });
    await call(sim, 'ModifySnapshot', { snapshotID: snap.snapshotID, name: 's1-renamed' });
    const saved = await call(sim, 'RollbackToSnapshot', {
      volumeID,
      snapshotID: snap.snapshotID,
      saveCurrentState: true,
      name: 'before-rollback',
    });
    expect(saved.snapshot.name).toBe('before-rollback');
    await call(sim, 'RollbackToSnapshot', { volumeID, snapshotID: snap.snapshotID, saveCurrentState: false });
    await call(sim, 'DeleteSnapshot', { snapshotID: saved.snapshotID });
  });

  it('group snapshots and their rollbacks', async () => {
    const a = (await call(sim, 'CreateVolume', { name: 'grp-a', accountID, totalSize: GiB })).volumeID;
    const b = (await call(sim, 'CreateVolume', { name: 'grp-b', accountID, totalSize: GiB })).volumeID;
    const g = await call(sim, 'CreateGroupSnapshot', { volumes: [a, b], name: 'g1', attributes: { app: 'db' } });
    expect(g.members).toHaveLength(2);
    expect(g.groupSnapshot.members.map((m: Json) => m.groupSnapshotUUID)).toEqual([
      g.groupSnapshot.groupSnapshotUUID,
      g.groupSnapshot.groupSnapshotUUID,
    ]);
    await call(sim, 'ListGroupSnapshots', { volumes: [a] });
    await call(sim, 'ModifyGroupSnapshot', { groupSnapshotID: g.groupSnapshotID, name: 'g1-renamed' });
    const saved = await call(sim, 'RollbackToGroupSnapshot', {
      groupSnapshotID: g.groupSnapshotID,
      saveCurrentState: true,
    });
    await call(sim, 'RollbackToGroupSnapshot', { groupSnapshotID: g.groupSnapshotID, saveCurrentState: false });
    await call(sim, 'DeleteGroupSnapshot', { groupSnapshotID: saved.groupSnapshotID, saveMembers: false });
  });

  it('clones, copies and their asynchronous results, running and complete', async () => {
    const src = (await call(sim, 'CreateVolume', { name: 'clone-src', accountID, totalSize: 16 * MiB })).volumeID;
    await sim.write(src, fill(2 * MiB, 'clone'));
    const clone = await call(sim, 'CloneVolume', { volumeID: src, name: 'clone-dst' });
    const running = await call(sim, 'GetAsyncResult', { asyncHandle: clone.asyncHandle, keepResult: true });
    expect(running.status).toBe('running');
    const listedRunning = (await call(sim, 'ListAsyncResults', {})).asyncHandles.find(
      (h: Json) => h.asyncResultID === clone.asyncHandle,
    );
    expect(listedRunning).toMatchObject({ completed: false, success: false });
    const done = await until(async () => {
      const r = await call(sim, 'GetAsyncResult', { asyncHandle: clone.asyncHandle, keepResult: true });
      return r.status === 'complete' ? r : undefined;
    });
    expect(done.result).toMatchObject({ cloneID: clone.cloneID, volumeID: clone.volumeID });
    const listedDone = (await call(sim, 'ListAsyncResults', { asyncResultTypes: ['Clone'] })).asyncHandles.find(
      (h: Json) => h.asyncResultID === clone.asyncHandle,
    );
    expect(listedDone).toMatchObject({ completed: true, success: true });
    await call(sim, 'GetAsyncResult', { asyncHandle: clone.asyncHandle });
    const dst = (await call(sim, 'CreateVolume', { name: 'copy-dst', accountID, totalSize: 16 * MiB })).volumeID;
    const copy = await call(sim, 'CopyVolume', { volumeID: src, dstVolumeID: dst });
    await until(async () => {
      const r = await call(sim, 'GetAsyncResult', { asyncHandle: copy.asyncHandle, keepResult: true });
      return r.status === 'complete' ? r : undefined;
    });
  });

  it('a clone whose volume is deleted first ends in an error the SDK reads too', async () => {
    await sim.sim('POST', '/settings', { cloneMinMs: 5000 });
    const src = (await call(sim, 'CreateVolume', { name: 'abandon-src', accountID, totalSize: 16 * MiB })).volumeID;
    const clone = await call(sim, 'CloneVolume', { volumeID: src, name: 'abandon-dst' });
    await call(sim, 'DeleteVolume', { volumeID: clone.volumeID });
    const failed = await call(sim, 'GetAsyncResult', { asyncHandle: clone.asyncHandle, keepResult: true });
    expect(failed.error).toEqual(expect.objectContaining({ name: expect.any(String) }));
    const listed = (await call(sim, 'ListAsyncResults', {})).asyncHandles.find(
      (h: Json) => h.asyncResultID === clone.asyncHandle,
    );
    expect(listed).toMatchObject({ completed: true, success: false });
    await sim.sim('POST', '/settings', { cloneMinMs: 200 });
  });

  it('deleted volumes, purges', async () => {
    const one = (await call(sim, 'CreateVolume', { name: 'purge-one', accountID, totalSize: GiB })).volumeID;
    const two = (await call(sim, 'CreateVolume', { name: 'purge-two', accountID, totalSize: GiB })).volumeID;
    const deleted = (await call(sim, 'DeleteVolume', { volumeID: one })).volume;
    expect(deleted.deleteTime).not.toBe('');
    expect(deleted.purgeTime).not.toBe('');
    await call(sim, 'DeleteVolume', { volumeID: two });
    await call(sim, 'ListDeletedVolumes');
    await call(sim, 'ListVolumes', { volumeStatus: 'deleted' });
    await call(sim, 'PurgeDeletedVolume', { volumeID: one });
    await call(sim, 'PurgeDeletedVolumes', { volumeIDs: [two] });
  });
});

describe('Element simulator replication answers read as SDK models', () => {
  let a: Sim;
  let b: Sim;
  beforeAll(async () => {
    a = await startSim();
    b = await startSim();
  });
  afterAll(async () => {
    await Promise.allSettled([a.close(), b.close()]);
  });

  it('cluster pairs, requested and connected, on both sides', async () => {
    const started = await call(a, 'StartClusterPairing');
    const requested = (await call(a, 'ListClusterPairs')).clusterPairs;
    expect(requested).toEqual([expect.objectContaining({ clusterPairID: started.clusterPairID, status: 'Requested' })]);
    const completed = await call(b, 'CompleteClusterPairing', { clusterPairingKey: started.clusterPairingKey });
    const onA = (await call(a, 'ListClusterPairs')).clusterPairs[0];
    const onB = (await call(b, 'ListClusterPairs')).clusterPairs[0];
    expect(onB.clusterPairID).toBe(completed.clusterPairID);
    // Each side names the other, and both share the pair's UUID.
    expect(onA.clusterName).toBe((await b.ok('GetClusterInfo')).clusterInfo.name);
    expect(onB.clusterName).toBe((await a.ok('GetClusterInfo')).clusterInfo.name);
    expect(onA.clusterPairUUID).toBe(onB.clusterPairUUID);
  });

  it('volume pairs, pending and active, replicated snapshots, and their removal', async () => {
    const source = await a.volume('sdk-pair-src', 4 * MiB, fill(MiB, 'pair'));
    const target = await b.volume('sdk-pair-dst', 4 * MiB);
    await call(b, 'ModifyVolume', { volumeID: target, access: 'replicationTarget' });
    const { volumePairingKey } = await call(a, 'StartVolumePairing', { volumeID: source, mode: 'Async' });
    const pending = (await call(a, 'ListActivePairedVolumes')).volumes.find((v: Json) => v.volumeID === source);
    expect(pending.volumePairs).toHaveLength(1);
    await call(b, 'CompleteVolumePairing', { volumeID: target, volumePairingKey });
    const onA = (await call(a, 'ListActivePairedVolumes')).volumes.find((v: Json) => v.volumeID === source);
    const onB = (await call(b, 'ListActivePairedVolumes')).volumes.find((v: Json) => v.volumeID === target);
    expect(onA.volumePairs[0].remoteVolumeID).toBe(target);
    expect(onB.volumePairs[0].remoteVolumeID).toBe(source);
    await call(a, 'ListVolumes', { volumeIDs: [source] });
    const snap = await call(a, 'CreateSnapshot', { volumeID: source, enableRemoteReplication: true });
    await until(async () => {
      const [s] = (await call(a, 'ListSnapshots', { snapshotID: snap.snapshotID })).snapshots;
      return s.remoteStatuses[0]?.remoteStatus === 'Present' ? s : undefined;
    }, 15_000);
    await call(a, 'ModifyVolumePair', { volumeID: source, pausedManual: true });
    await call(a, 'RemoveVolumePair', { volumeID: source });
    await call(b, 'RemoveVolumePair', { volumeID: target });
    const pairID = (await call(a, 'ListClusterPairs')).clusterPairs[0].clusterPairID;
    await call(a, 'RemoveClusterPair', { clusterPairID: pairID });
  });
});

describe('coverage', () => {
  it('every public method was called and its answer checked above', () => {
    const publicMethods = Object.entries(METHODS)
      .filter(([, spec]) => !spec.internal)
      .map(([name]) => name);
    expect(publicMethods.filter((m) => !checked.has(m))).toEqual([]);
  });
});
