// Element simulator: answers carry every field the 12.3 reference and the SDK's 12.x models declare required, and
// enumerated parameters such as `mode` are taken in any case.
import { GiB, type Sim, pairOf, pairVolumes, startPairedClusters, startSim } from './sim-helpers';

const CURVE_KEYS = ['4096', '8192', '16384', '32768', '65536', '131072', '262144', '524288', '1048576'];

describe('Element simulator: 12.3 answer shapes', () => {
  let sim: Sim;
  let accountID: number;
  beforeAll(async () => {
    sim = await startSim();
    accountID = (await sim.ok('AddAccount', { username: 'shapes' })).accountID;
  });
  afterAll(() => sim.close());

  const expectCurve = (curve: Record<string, number>) => {
    expect(Object.keys(curve).sort((x, y) => Number(x) - Number(y))).toEqual(CURVE_KEYS);
    expect(curve['4096']).toBe(100);
  };

  it('CreateVolume answers volumeID, the full volume and the QoS curve', async () => {
    const r = await sim.ok('CreateVolume', { name: 'shape-v', accountID, totalSize: GiB });
    expect(r.volume).toMatchObject({ volumeID: r.volumeID, name: 'shape-v', status: 'active', totalSize: GiB });
    for (const key of ['iqn', 'scsiEUIDeviceID', 'scsiNAADeviceID', 'qos', 'volumeAccessGroups', 'volumePairs'])
      expect(r.volume).toHaveProperty(key);
    expectCurve(r.curve);
    expectCurve((await sim.ok('ModifyVolume', { volumeID: r.volumeID, totalSize: 2 * GiB })).curve);
  });

  it('CloneVolume answers cloneID, volumeID, asyncHandle, the volume and the curve', async () => {
    const { volumeID } = await sim.ok('CreateVolume', { name: 'shape-src', accountID, totalSize: GiB });
    const r = await sim.ok('CloneVolume', { volumeID, name: 'shape-clone' });
    expect(r).toMatchObject({
      cloneID: expect.any(Number),
      volumeID: expect.any(Number),
      asyncHandle: expect.any(Number),
      volume: expect.objectContaining({ name: 'shape-clone' }),
    });
    expect(r.volume.volumeID).toBe(r.volumeID);
    expectCurve(r.curve);
  });

  it('GetClusterInfo carries the 12.x protection scheme and encryption fields', async () => {
    const { clusterInfo } = await sim.ok('GetClusterInfo');
    expect(clusterInfo).toMatchObject({
      enabledProtectionSchemes: ['doubleHelix'],
      supportedProtectionSchemes: ['doubleHelix'],
      defaultProtectionScheme: 'doubleHelix',
      encryptionAtRestState: 'disabled',
      softwareEncryptionAtRestState: 'disabled',
    });
    for (const key of [
      'ensemble',
      'mvip',
      'mvipNodeID',
      'name',
      'repCount',
      'svip',
      'svipNodeID',
      'uniqueID',
      'uuid',
      'attributes',
    ])
      expect(clusterInfo).toHaveProperty(key);
  });

  it('GetAPI answers its versions as numbers', async () => {
    const r = await sim.ok('GetAPI');
    expect(typeof r.currentVersion).toBe('number');
    expect(r.supportedVersions).toContain(r.currentVersion);
    expect(r.supportedVersions.every((v: unknown) => typeof v === 'number')).toBe(true);
  });

  it('GetVolumeStats carries the 12.x per-sample fields', async () => {
    const { volumeID } = await sim.ok('CreateVolume', { name: 'shape-stats', accountID, totalSize: GiB });
    const { volumeStats } = await sim.ok('GetVolumeStats', { volumeID });
    for (const key of [
      'normalizedIOPS',
      'readBytesLastSample',
      'readLatencyUSec',
      'samplePeriodMSec',
      'writeLatencyUSec',
      'writeOpsLastSample',
      'metadataHosts',
    ])
      expect(volumeStats).toHaveProperty(key);
  });

  it('RollbackToGroupSnapshot with saveCurrentState answers the saved group snapshot', async () => {
    const { volumeID } = await sim.ok('CreateVolume', { name: 'shape-grp', accountID, totalSize: GiB });
    const g = await sim.ok('CreateGroupSnapshot', { volumes: [volumeID], name: 'g1' });
    expect(g.groupSnapshot).toMatchObject({ groupSnapshotID: g.groupSnapshotID, name: 'g1' });
    const r = await sim.ok('RollbackToGroupSnapshot', { groupSnapshotID: g.groupSnapshotID, saveCurrentState: true });
    expect(r.groupSnapshot).toMatchObject({ groupSnapshotID: r.groupSnapshotID });
    expect(r.members).toHaveLength(1);
  });
});

describe('Element simulator: replication modes in any case', () => {
  let a: Sim;
  let b: Sim;
  beforeAll(async () => ({ a, b } = await startPairedClusters()));
  afterAll(() => Promise.allSettled([a?.close(), b?.close()]));

  it('ModifyVolumePair takes "sync" as in the reference example, and answers the documented spelling', async () => {
    const { source, target } = await pairVolumes(a, b, 'mode-case', 'SnapshotsOnly');
    expect(await a.ok('ModifyVolumePair', { volumeID: source, pausedManual: false, mode: 'sync' })).toEqual({});
    expect((await pairOf(a, source)).remoteReplication.mode).toBe('Sync');
    expect((await pairOf(b, target)).remoteReplication.mode).toBe('Sync');
    await a.ok('ModifyVolumePair', { volumeID: source, mode: 'SNAPSHOTSONLY' });
    expect((await pairOf(a, source)).remoteReplication.mode).toBe('SnapshotsOnly');
    expect((await a.err('ModifyVolumePair', { volumeID: source, mode: 'synchronous' })).name).toBe('xInvalidParameter');
  });

  it('StartVolumePairing takes its mode in any case too', async () => {
    const volumeID = await a.volume('mode-case-start');
    await a.ok('StartVolumePairing', { volumeID, mode: 'async' });
    expect((await pairOf(a, volumeID)).remoteReplication.mode).toBe('Async');
    await a.ok('StartVolumePairing', { volumeID, mode: 'snapshotsonly' });
    expect((await pairOf(a, volumeID)).remoteReplication.mode).toBe('SnapshotsOnly');
  });
});
