// Element simulator: volume pairing and replication between two simulators over HTTP, proven by content on the target.
import { randomBytes } from 'node:crypto';
import {
  MiB,
  type Sim,
  decodeKey,
  pairClusters,
  pairOf,
  pairVolumes,
  remoteStatus,
  settled,
  sleep,
  snapshotNamed,
  startPairedClusters,
  startSim,
  until,
} from './sim-helpers';

describe('Element simulator: volume pairs and replication', () => {
  let a: Sim;
  let b: Sim;
  beforeAll(async () => ({ a, b } = await startPairedClusters()));
  afterAll(() => Promise.allSettled([a?.close(), b?.close()]));
  afterEach(() => a.sim('POST', '/faults', { replicationRate: 0 }));

  const same = (x: Buffer, y: Buffer) => expect(x.equals(y)).toBe(true);

  it('StartVolumePairing answers a key {mvip, volumeID, volumeName, volumePairUUID}, Async by default; the pair is recorded on both sides', async () => {
    const source = await a.volume('vp-key');
    const target = await b.volume('vp-key-replica');
    const { volumePairingKey } = await a.ok('StartVolumePairing', { volumeID: source });
    const key = decodeKey(volumePairingKey);
    expect(key).toEqual({
      mvip: `127.0.0.1:${a.port}`,
      volumeID: source,
      volumeName: 'vp-key',
      volumePairUUID: expect.any(String),
    });
    // Pending until completed on the target.
    expect(await pairOf(a, source)).toMatchObject({
      clusterPairID: 0,
      remoteReplication: { mode: 'Async', state: 'PausedDisconnected' },
    });

    // Only a replicationTarget volume may complete it.
    expect((await b.err('CompleteVolumePairing', { volumeID: target, volumePairingKey })).message).toMatch(
      /replicationTarget/,
    );
    await b.ok('ModifyVolume', { volumeID: target, access: 'replicationTarget' });
    await b.ok('CompleteVolumePairing', { volumeID: target, volumePairingKey });

    const [cpA] = (await a.ok('ListClusterPairs')).clusterPairs;
    const [cpB] = (await b.ok('ListClusterPairs')).clusterPairs;
    const onA = await pairOf(a, source);
    const onB = await pairOf(b, target);
    expect(onA).toMatchObject({
      clusterPairID: cpA.clusterPairID,
      remoteVolumeID: target,
      remoteVolumeName: 'vp-key-replica',
      volumePairUUID: key.volumePairUUID,
      remoteReplication: { mode: 'Async', snapshotReplication: { state: 'Idle' } },
    });
    expect(onB).toMatchObject({
      clusterPairID: cpB.clusterPairID,
      remoteVolumeID: source,
      remoteVolumeName: 'vp-key',
      volumePairUUID: key.volumePairUUID,
    });
    await until(async () => ((await pairOf(a, source)).remoteReplication.state === 'Active' ? true : undefined));
    // ListVolumes shows the pair too.
    expect((await a.ok('ListVolumes', { volumeIDs: [source] })).volumes[0].volumePairs).toEqual([
      expect.objectContaining({ volumePairUUID: key.volumePairUUID }),
    ]);
  });

  it('only one side is the target, and a volume is paired once', async () => {
    const { source, target } = await pairVolumes(a, b, 'vp-once', 'SnapshotsOnly');
    expect((await a.err('StartVolumePairing', { volumeID: source })).name).toBe('xVolumeAlreadyPaired');
    expect((await b.err('StartVolumePairing', { volumeID: target })).message).toMatch(/replicationTarget/);
    // A key whose source is a replication target is refused by the source cluster.
    const other = await a.volume('vp-both-targets');
    const { volumePairingKey } = await a.ok('StartVolumePairing', { volumeID: other });
    await a.ok('ModifyVolume', { volumeID: other, access: 'replicationTarget' });
    const t2 = await b.volume('vp-both-targets-r');
    await b.ok('ModifyVolume', { volumeID: t2, access: 'replicationTarget' });
    expect((await b.err('CompleteVolumePairing', { volumeID: t2, volumePairingKey })).message).toMatch(
      /only one volume of a pair is the target/,
    );
    expect(await pairOf(b, t2)).toBeUndefined();
    // ModifyVolumePair belongs to the source.
    expect((await b.err('ModifyVolumePair', { volumeID: target, pausedManual: true })).message).toMatch(/source/);
  });

  it('Sync: a write is on the target when the write is answered', async () => {
    const first = randomBytes(64 * 1024);
    const { source, target } = await pairVolumes(a, b, 'vp-sync', 'Sync', first);
    await until(async () => ((await pairOf(a, source)).remoteReplication.state === 'Active' ? true : undefined));
    same((await b.read(target)).subarray(0, first.length), first);
    // The target answers slowly: the write is answered only once the target has it.
    await b.sim('POST', '/faults', { latencyMs: 300 });
    try {
      const next = randomBytes(8192);
      const started = Date.now();
      await a.write(source, next, 4096);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      same((await b.read(target)).subarray(4096, 4096 + next.length), next);
    } finally {
      await b.sim('DELETE', '/faults');
    }
  });

  it('Async: writes reach the target shortly after; SnapshotsOnly: only snapshots do', async () => {
    const data = randomBytes(32 * 1024);
    const asyncPair = await pairVolumes(a, b, 'vp-async', 'Async');
    await b.sim('POST', '/faults', { latencyMs: 300 });
    try {
      // Answered at once; on the target a little later.
      const started = Date.now();
      await a.write(asyncPair.source, data);
      expect(Date.now() - started).toBeLessThan(250);
      expect((await b.read(asyncPair.target)).subarray(0, data.length).equals(data)).toBe(false);
      expect((await pairOf(a, asyncPair.source)).remoteReplication.state).toBe('ResumeDataTransfer');
      await until(async () =>
        (await b.read(asyncPair.target)).subarray(0, data.length).equals(data) ? true : undefined,
      );
      await until(async () =>
        (await pairOf(a, asyncPair.source)).remoteReplication.state === 'Active' ? true : undefined,
      );
    } finally {
      await b.sim('DELETE', '/faults');
    }

    const snapOnly = await pairVolumes(a, b, 'vp-snaponly', 'SnapshotsOnly');
    await a.write(snapOnly.source, data);
    const snap = await a.ok('CreateSnapshot', {
      volumeID: snapOnly.source,
      name: 'so-1',
      enableRemoteReplication: true,
    });
    await settled(a, snap.snapshotID);
    expect((await b.read(snapOnly.target)).equals(Buffer.alloc((await b.read(snapOnly.target)).length))).toBe(true);
    same(
      await b.readSnapshot((await snapshotNamed(b, snapOnly.target, 'so-1')).snapshotID),
      await a.readSnapshot(snap.snapshotID),
    );
  });

  it('a snapshot with enableRemoteReplication reaches the target under its name, then only its changed blocks travel', async () => {
    const data = randomBytes(MiB);
    const { source, target, uuid } = await pairVolumes(a, b, 'vp-snap', 'SnapshotsOnly', data);
    const plain = await a.ok('CreateSnapshot', { volumeID: source, name: 'local-only' });
    expect(plain.snapshot).toMatchObject({ enableRemoteReplication: false, remoteStatuses: [] });
    const first = await a.ok('CreateSnapshot', { volumeID: source, name: 'rep-1', enableRemoteReplication: true });
    expect(first.snapshot.enableRemoteReplication).toBe(true);
    const done = await settled(a, first.snapshotID);
    expect(done).toMatchObject({
      remoteStatus: 'Present',
      volumePairUUID: uuid,
      bytesTransferred: MiB,
      totalBytes: MiB,
      stateDetails: '',
    });
    expect(Date.parse(done.endTime)).toBeGreaterThanOrEqual(Date.parse(done.startTime));
    const replica = await snapshotNamed(b, target, 'rep-1');
    same(await b.readSnapshot(replica.snapshotID), data);
    expect(await snapshotNamed(b, target, 'local-only')).toBeUndefined();

    await a.write(source, Buffer.alloc(8192, 7), 4096);
    const second = await a.ok('CreateSnapshot', { volumeID: source, name: 'rep-2', enableRemoteReplication: true });
    expect(await settled(a, second.snapshotID)).toMatchObject({ remoteStatus: 'Present', totalBytes: 8192 });
    same(
      await b.readSnapshot((await snapshotNamed(b, target, 'rep-2')).snapshotID),
      await a.readSnapshot(second.snapshotID),
    );
    same(await b.readSnapshot(replica.snapshotID), data);
  });

  it('honours the replication rate in force when the transfer starts', async () => {
    const data = randomBytes(512 * 1024);
    const { source } = await pairVolumes(a, b, 'vp-rate', 'SnapshotsOnly', data);
    await a.sim('POST', '/faults', { replicationRate: 512 * 1024 });
    const snap = await a.ok('CreateSnapshot', { volumeID: source, name: 'paced', enableRemoteReplication: true });
    const midway = await until(async () => {
      const r = await remoteStatus(a, snap.snapshotID);
      return r.bytesTransferred > 0 && r.bytesTransferred < data.length ? r : undefined;
    });
    expect(midway.remoteStatus).toBe('Syncing');
    const done = await settled(a, snap.snapshotID);
    // 512 KiB at 512 KiB/s: about a second, however fast the loopback is.
    expect(Date.parse(done.endTime) - Date.parse(done.startTime)).toBeGreaterThanOrEqual(900);
  });

  it('CreateGroupSnapshot with enableRemoteReplication sends each member to its own pair', async () => {
    const d1 = randomBytes(20_000);
    const d2 = randomBytes(30_000);
    const p1 = await pairVolumes(a, b, 'vp-g1', 'SnapshotsOnly', d1);
    const p2 = await pairVolumes(a, b, 'vp-g2', 'SnapshotsOnly', d2);
    const g = await a.ok('CreateGroupSnapshot', {
      volumes: [p1.source, p2.source],
      name: 'grp-rep',
      enableRemoteReplication: true,
    });
    for (const m of g.members) await settled(a, m.snapshotID);
    expect((await a.ok('ListGroupSnapshots', { groupSnapshotID: g.groupSnapshotID })).groupSnapshots[0]).toMatchObject({
      enableRemoteReplication: true,
      remoteStatuses: [
        expect.objectContaining({ remoteStatus: 'Present' }),
        expect.objectContaining({ remoteStatus: 'Present' }),
      ],
    });
    same((await b.readSnapshot((await snapshotNamed(b, p1.target, 'grp-rep')).snapshotID)).subarray(0, d1.length), d1);
    same((await b.readSnapshot((await snapshotNamed(b, p2.target, 'grp-rep')).snapshotID)).subarray(0, d2.length), d2);
  });

  it('pausing stops a transfer (PausedManual), resuming carries it on where it stopped', async () => {
    const data = randomBytes(MiB);
    const { source, target } = await pairVolumes(a, b, 'vp-pause', 'SnapshotsOnly', data);
    await a.sim('POST', '/faults', { replicationRate: 256 * 1024 });
    const snap = await a.ok('CreateSnapshot', { volumeID: source, name: 'paused', enableRemoteReplication: true });
    await until(async () => ((await remoteStatus(a, snap.snapshotID)).bytesTransferred > 0 ? true : undefined));
    expect((await pairOf(a, source)).remoteReplication.snapshotReplication.state).toBe('Syncing');
    await a.ok('ModifyVolumePair', { volumeID: source, pausedManual: true });
    expect((await pairOf(a, source)).remoteReplication.state).toBe('PausedManual');
    expect((await pairOf(b, target)).remoteReplication.state).toBe('PausedManual');
    const held = (await remoteStatus(a, snap.snapshotID)).bytesTransferred;
    await sleep(600);
    const still = await remoteStatus(a, snap.snapshotID);
    expect(still).toMatchObject({ remoteStatus: 'Syncing', bytesTransferred: held });
    expect(held).toBeLessThan(MiB);
    await a.sim('POST', '/faults', { replicationRate: 0 });
    await a.ok('ModifyVolumePair', { volumeID: source, pausedManual: false });
    expect(await settled(a, snap.snapshotID)).toMatchObject({ remoteStatus: 'Present', bytesTransferred: MiB });
    same(await b.readSnapshot((await snapshotNamed(b, target, 'paused')).snapshotID), data);
  });

  it('ModifyVolumePair changes the mode: from SnapshotsOnly to Async the target catches up', async () => {
    const data = randomBytes(16_384);
    const { source, target } = await pairVolumes(a, b, 'vp-mode', 'SnapshotsOnly', data);
    await a.ok('ModifyVolumePair', { volumeID: source, mode: 'Async' });
    expect((await pairOf(a, source)).remoteReplication.mode).toBe('Async');
    await until(async () => ((await b.read(target)).subarray(0, data.length).equals(data) ? true : undefined));
    expect((await a.err('ModifyVolumePair', { volumeID: source, mode: 'Sometimes' })).name).toBe('xInvalidParameter');
  });

  it('RemoveVolumePair on the target removes that side only and cancels the running transfer; the source shows StoppedMisconfigured until removed there', async () => {
    const { source, target } = await pairVolumes(a, b, 'vp-remove', 'SnapshotsOnly', randomBytes(MiB));
    await a.sim('POST', '/faults', { replicationRate: 128 * 1024 });
    const snap = await a.ok('CreateSnapshot', { volumeID: source, name: 'cut', enableRemoteReplication: true });
    await until(async () => ((await remoteStatus(a, snap.snapshotID)).bytesTransferred > 0 ? true : undefined));
    await b.ok('RemoveVolumePair', { volumeID: target });
    expect(await pairOf(b, target)).toBeUndefined();
    expect((await pairOf(a, source)).remoteReplication).toMatchObject({
      state: 'StoppedMisconfigured',
      stateDetails: expect.stringMatching(/removed on the paired cluster/),
    });
    const r = await settled(a, snap.snapshotID);
    expect(r).toMatchObject({ remoteStatus: 'Unknown', stateDetails: expect.stringMatching(/Canceled/) });
    expect(await snapshotNamed(b, target, 'cut')).toBeUndefined();
    // Nothing more travels over the broken half.
    const after = await a.ok('CreateSnapshot', { volumeID: source, name: 'after', enableRemoteReplication: true });
    await sleep(300);
    expect((await remoteStatus(a, after.snapshotID)).remoteStatus).toBe('NotPresent');
    // The second call, on the other cluster, succeeds and removes the last half.
    await a.ok('RemoveVolumePair', { volumeID: source });
    expect(await pairOf(a, source)).toBeUndefined();
    expect((await a.err('RemoveVolumePair', { volumeID: source })).name).toBe('xVolumePairDoesNotExist');
    expect((await b.err('RemoveVolumePair', { volumeID: target })).name).toBe('xVolumePairDoesNotExist');
  });

  it('a target that stops answering fails the transfer (remoteStatus Unknown with the reason) and the pair shows it', async () => {
    const c = await startSim();
    try {
      await pairClusters(a, c);
      const data = randomBytes(MiB);
      const { source } = await pairVolumes(a, c, 'vp-gone', 'SnapshotsOnly', data);
      await a.sim('POST', '/faults', { replicationRate: 256 * 1024 });
      const snap = await a.ok('CreateSnapshot', { volumeID: source, name: 'lost', enableRemoteReplication: true });
      await until(async () => ((await remoteStatus(a, snap.snapshotID)).bytesTransferred > 0 ? true : undefined));
      await c.close();
      const r = await settled(a, snap.snapshotID);
      expect(r).toMatchObject({ remoteStatus: 'Unknown', stateDetails: expect.stringMatching(/did not answer/) });
      expect(r.bytesTransferred).toBeLessThan(MiB);
      const pair = await pairOf(a, source);
      expect(pair.remoteReplication).toMatchObject({
        state: 'PausedDisconnected',
        stateDetails: expect.stringMatching(/did not answer/),
      });
      expect(
        (await a.ok('ListClusterPairs')).clusterPairs.find((p: { mvip: string }) => p.mvip === `127.0.0.1:${c.port}`)
          .status,
      ).toBe('Disconnected');
      same((await a.read(source)).subarray(0, MiB), data);
      same((await a.readSnapshot(snap.snapshotID)).subarray(0, MiB), data);
    } finally {
      await c.close().catch(() => undefined);
    }
  });
});
