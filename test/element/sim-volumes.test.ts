import { GiB, MiB, type Sim, fill, startSim } from './sim-helpers';

describe('Element simulator: volumes behave like a thin, replicated cluster', () => {
  let sim: Sim;
  let accountID: number;
  beforeAll(async () => {
    sim = await startSim({ capacityBytes: 8 * GiB });
    accountID = (await sim.ok('AddAccount', { username: 'tenant-a' })).accountID;
  });
  afterAll(() => sim.close());

  const create = (name: string, totalSize = 8 * MiB, extra: object = {}) =>
    sim.ok('CreateVolume', { name, accountID, totalSize, enable512e: true, ...extra });

  it('a new volume carries its IQN, SCSI ids, QoS with its curve, and a size rounded up to a MiB', async () => {
    const { volumeID, volume } = await create('Vol-A', 5 * MiB + 1);
    const { clusterInfo } = await sim.ok('GetClusterInfo');
    expect(volume).toMatchObject({
      volumeID,
      name: 'Vol-A',
      accountID,
      status: 'active',
      access: 'readWrite',
      totalSize: 6 * MiB,
      blockSize: 4096,
    });
    expect(volume.iqn).toBe(`iqn.2010-01.com.solidfire:${clusterInfo.uniqueID}.vol-a.${volumeID}`);
    expect(volume.scsiNAADeviceID).toMatch(/^6f47acc100000000[0-9a-f]{16}$/);
    expect(volume.scsiNAADeviceID.endsWith(volumeID.toString(16).padStart(8, '0'))).toBe(true);
    expect(volume.qos).toMatchObject({
      minIOPS: 50,
      maxIOPS: 15000,
      burstIOPS: 15000,
      burstTime: 60,
      curve: { 4096: 100 },
    });
    expect(Date.parse(volume.createTime)).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('refuses names Element refuses (an underscore), QoS out of order, and sizes above 16 TiB', async () => {
    expect((await sim.err('CreateVolume', { name: 'has_underscore', accountID, totalSize: MiB })).name).toBe(
      'xInvalidParameter',
    );
    expect(
      (await sim.err('CreateVolume', { name: 'qos', accountID, totalSize: MiB, qos: { minIOPS: 1000, maxIOPS: 500 } }))
        .name,
    ).toBe('xInvalidParameter');
    expect((await sim.err('CreateVolume', { name: 'huge', accountID, totalSize: 17 * 1024 ** 4 })).name).toBe(
      'xExceededLimit',
    );
    expect((await sim.err('CreateVolume', { name: 'orphan', accountID: 999, totalSize: MiB })).name).toBe(
      'xAccountIDDoesNotExist',
    );
  });

  it('thin provisioning stops at maxProvisionedSpace, not at the drives', async () => {
    const cap = (await sim.ok('GetClusterCapacity')).clusterCapacity;
    const room = cap.maxProvisionedSpace - cap.provisionedSpace;
    expect((await sim.err('CreateVolume', { name: 'too-much', accountID, totalSize: room + MiB })).name).toBe(
      'xExceededLimit',
    );
    const big = await create('big-but-thin', 16 * GiB);
    expect(big.volume.totalSize).toBe(16 * GiB);
  });

  it('lists volumes in id order, paged by startVolumeID and limit', async () => {
    const ids = [];
    for (const n of ['p1', 'p2', 'p3', 'p4']) ids.push((await create(n)).volumeID);
    const all = (await sim.ok('ListActiveVolumes')).volumes.map((v: { volumeID: number }) => v.volumeID);
    expect(all).toEqual([...all].sort((a: number, b: number) => a - b));
    const page = (await sim.ok('ListActiveVolumes', { startVolumeID: ids[1], limit: 2 })).volumes.map(
      (v: { volumeID: number }) => v.volumeID,
    );
    expect(page).toEqual([ids[1], ids[2]]);
    expect((await sim.ok('ListVolumes', { volumeIDs: [ids[3]] })).volumes).toHaveLength(1);
    expect((await sim.err('ListVolumes', { volumeIDs: [ids[3], 987654] })).name).toBe('xVolumeIDDoesNotExist');
    expect(
      (await sim.ok('ListVolumes', { volumeName: 'p2' })).volumes.map((v: { volumeID: number }) => v.volumeID),
    ).toEqual([ids[1]]);
  });

  it('space follows the data: writes take blocks twice (Double Helix), stats count non-zero blocks', async () => {
    const id = (await create('fill-me', 64 * MiB)).volumeID;
    const before = (await sim.ok('GetClusterCapacity')).clusterCapacity;
    await sim.write(id, fill(4 * MiB, 'x'));
    const after = (await sim.ok('GetClusterCapacity')).clusterCapacity;
    expect(after.usedSpace - before.usedSpace).toBe(2 * 4 * MiB);
    expect(after.uniqueBlocks - before.uniqueBlocks).toBe(1024);
    const stats = (await sim.ok('GetVolumeStats', { volumeID: id })).volumeStats;
    expect(stats).toMatchObject({ volumeID: id, nonZeroBlocks: 1024, zeroBlocks: 16384 - 1024, volumeSize: 64 * MiB });
    expect((await sim.ok('ListVolumeStats', { volumeIDs: [id] })).volumeStats[0].nonZeroBlocks).toBe(1024);
  });

  it('a snapshot pins the blocks it shares: overwriting them takes new space, deleting it gives it back', async () => {
    const id = (await create('pinned', 16 * MiB)).volumeID;
    await sim.write(id, fill(2 * MiB, 'old'));
    const { snapshotID } = await sim.ok('CreateSnapshot', { volumeID: id, name: 'pin' });
    const used = async () => (await sim.ok('GetClusterCapacity')).clusterCapacity.uniqueBlocks;
    const before = await used();
    await sim.write(id, fill(2 * MiB, 'new'));
    expect((await used()) - before).toBe(512);
    await sim.ok('DeleteSnapshot', { snapshotID });
    expect(await used()).toBe(before);
  });

  it('DeleteVolume holds the volume until it is purged: listed as deleted, still provisioned, restorable with its content', async () => {
    const content = fill(100_000, 'keep');
    const { volumeID } = await create('held');
    await sim.write(volumeID, content);
    const provisioned = async () => (await sim.ok('GetClusterCapacity')).clusterCapacity.provisionedSpace;
    const before = await provisioned();
    const deleted = (await sim.ok('DeleteVolume', { volumeID })).volume;
    expect(deleted).toMatchObject({
      status: 'deleted',
      deleteTime: expect.stringMatching(/Z$/),
      purgeTime: expect.stringMatching(/Z$/),
    });
    expect((await sim.ok('ListActiveVolumes')).volumes.map((v: { volumeID: number }) => v.volumeID)).not.toContain(
      volumeID,
    );
    expect((await sim.ok('ListDeletedVolumes')).volumes.map((v: { volumeID: number }) => v.volumeID)).toContain(
      volumeID,
    );
    expect(await provisioned()).toBe(before);
    expect((await sim.err('GetVolumeStats', { volumeID })).name).toBe('xVolumeIDDoesNotExist');
    expect((await sim.err('DeleteVolume', { volumeID })).name).toBe('xVolumeIDDoesNotExist');
    await sim.ok('RestoreDeletedVolume', { volumeID });
    expect((await sim.read(volumeID)).equals(content)).toBe(true);
  });

  it('PurgeDeletedVolume frees the blocks and the provisioned size; an active volume cannot be purged', async () => {
    const { volumeID } = await create('purged', 32 * MiB);
    await sim.write(volumeID, fill(MiB, 'gone'));
    await sim.ok('CreateSnapshot', { volumeID, name: 'goes-too' });
    expect((await sim.err('PurgeDeletedVolume', { volumeID })).name).toBe('xInvalidParameter');
    const before = (await sim.ok('GetClusterCapacity')).clusterCapacity;
    await sim.ok('DeleteVolume', { volumeID });
    await sim.ok('PurgeDeletedVolume', { volumeID });
    const after = (await sim.ok('GetClusterCapacity')).clusterCapacity;
    expect(before.provisionedSpace - after.provisionedSpace).toBe(32 * MiB);
    expect(before.uniqueBlocks - after.uniqueBlocks).toBe(256);
    expect((await sim.ok('ListSnapshots')).snapshots.some((s: { volumeID: number }) => s.volumeID === volumeID)).toBe(
      false,
    );
    expect((await sim.err('RestoreDeletedVolume', { volumeID })).name).toBe('xVolumeIDDoesNotExist');
  });

  it('a deleted volume is purged on its own once its purge time has passed', async () => {
    await sim.sim('POST', '/settings', { purgeDelayMs: 0 });
    try {
      const { volumeID } = await create('auto-purge');
      await sim.ok('DeleteVolume', { volumeID });
      expect((await sim.ok('ListDeletedVolumes')).volumes.map((v: { volumeID: number }) => v.volumeID)).not.toContain(
        volumeID,
      );
    } finally {
      await sim.sim('POST', '/settings', { purgeDelayMs: 8 * 3600 * 1000 });
    }
  });

  it('ModifyVolume grows a volume, replaces its attributes and QoS, and never shrinks it', async () => {
    const { volumeID } = await create('modify-me', 8 * MiB, { attributes: { owner: 'a' } });
    const { volume } = await sim.ok('ModifyVolume', {
      volumeID,
      totalSize: 16 * MiB,
      attributes: { owner: 'b' },
      qos: { minIOPS: 100, maxIOPS: 1000, burstIOPS: 2000 },
    });
    expect(volume).toMatchObject({
      totalSize: 16 * MiB,
      attributes: { owner: 'b' },
      qos: { minIOPS: 100, maxIOPS: 1000, burstIOPS: 2000 },
    });
    expect((await sim.err('ModifyVolume', { volumeID, totalSize: 8 * MiB })).name).toBe('xInvalidParameter');
  });

  it('a write past the end of the volume, or to a read-only one, is refused', async () => {
    const { volumeID } = await create('small', MiB);
    expect((await sim.sim('PUT', `/volume/${volumeID}/data?offset=${MiB - 10}`, Buffer.alloc(20, 1))).status).toBe(400);
    await sim.ok('ModifyVolume', { volumeID, access: 'readOnly' });
    expect((await sim.sim('PUT', `/volume/${volumeID}/data`, Buffer.alloc(20, 1))).json.error.message).toMatch(
      /readOnly/,
    );
    expect((await sim.sim('GET', '/volume/424242/data')).status).toBe(404);
  });

  it('a full cluster refuses the write that does not fit, and keeps what was there', async () => {
    const tiny = await startSim({ capacityBytes: 4 * MiB });
    try {
      const id = await tiny.volume('fills-up', 16 * MiB, fill(3 * MiB, 'a'));
      const r = await tiny.sim('PUT', `/volume/${id}/data?offset=${3 * MiB}`, fill(2 * MiB, 'b'));
      expect([r.status, r.json.error.name]).toEqual([507, 'xClusterFull']);
      // Buffer.equals: jest's deep equality walks big buffers byte by byte.
      expect((await tiny.read(id)).equals(fill(3 * MiB, 'a'))).toBe(true);
    } finally {
      await tiny.close();
    }
  });
});
