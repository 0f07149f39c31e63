// Element simulator: the per-side state machines of a volume pair and a cluster pair, on both paired clusters: removal
// one side at a time, and a paired volume deleted, restored or purged.
import {
  MiB,
  type Sim,
  pairClusters,
  pairOf,
  pairVolumes,
  settled,
  snapshotNamed,
  startPairedClusters,
  startSim,
  until,
} from './sim-helpers';

describe('Element simulator: volume and cluster pairs change one side at a time', () => {
  let a: Sim;
  let b: Sim;
  beforeAll(async () => ({ a, b } = await startPairedClusters()));
  afterAll(() => Promise.allSettled([a?.close(), b?.close()]));

  const stateOf = async (sim: Sim, volumeID: number) => (await pairOf(sim, volumeID))?.remoteReplication.state;

  /** Both sides of a fresh pair: `first`/`second` name which cluster acts first. */
  async function freshPair(name: string) {
    const { source, target } = await pairVolumes(a, b, name, 'SnapshotsOnly');
    return {
      source: { sim: a, volumeID: source },
      target: { sim: b, volumeID: target },
    };
  }

  it.each(['source', 'target'] as const)(
    'RemoveVolumePair on the %s removes only that side; the other reports StoppedMisconfigured until its own call succeeds',
    async (firstSide) => {
      const pair = await freshPair(`rm-${firstSide}`);
      const first = pair[firstSide];
      const second = pair[firstSide === 'source' ? 'target' : 'source'];
      expect(await stateOf(first.sim, first.volumeID)).toBe('Active');
      expect(await stateOf(second.sim, second.volumeID)).toBe('Active');

      await first.sim.ok('RemoveVolumePair', { volumeID: first.volumeID });
      expect(await pairOf(first.sim, first.volumeID)).toBeUndefined();
      const broken = await pairOf(second.sim, second.volumeID);
      expect(broken.remoteReplication).toMatchObject({
        state: 'StoppedMisconfigured',
        stateDetails: expect.stringMatching(/RemoveVolumePair here/),
      });

      // A client calling RemoveVolumePair on each cluster and stopping at the first error gets through.
      expect(await second.sim.ok('RemoveVolumePair', { volumeID: second.volumeID })).toEqual({});
      expect(await pairOf(second.sim, second.volumeID)).toBeUndefined();
      for (const side of [first, second])
        expect((await side.sim.err('RemoveVolumePair', { volumeID: side.volumeID })).name).toBe(
          'xVolumePairDoesNotExist',
        );
    },
  );

  it('deleting the paired source pauses both sides (PausedMisconfigured); RestoreDeletedVolume resumes replication', async () => {
    const { source, target } = await pairVolumes(a, b, 'del-src', 'SnapshotsOnly', Buffer.alloc(MiB, 7));
    const deleted = await a.ok('DeleteVolume', { volumeID: source });
    expect(deleted.volume.status).toBe('deleted');
    const held = await pairOf(b, target);
    expect(held.remoteReplication).toMatchObject({
      state: 'PausedMisconfigured',
      stateDetails: expect.stringMatching(/deleted on the paired cluster/),
    });
    expect(await stateOf(a, source)).toBe('PausedMisconfigured');

    await a.ok('RestoreDeletedVolume', { volumeID: source });
    expect(await stateOf(b, target)).toBe('Active');
    expect(await stateOf(a, source)).toBe('Active');
    // Replication really runs again: a snapshot reaches the target.
    const snap = await a.ok('CreateSnapshot', {
      volumeID: source,
      name: 'after-restore',
      enableRemoteReplication: true,
    });
    expect((await settled(a, snap.snapshotID)).remoteStatus).toBe('Present');
    expect(await snapshotNamed(b, target, 'after-restore')).toBeDefined();
  });

  it('a transfer held by a delete resumes after RestoreDeletedVolume and completes', async () => {
    const { source, target } = await pairVolumes(a, b, 'del-held', 'SnapshotsOnly', Buffer.alloc(2 * MiB, 3), 2 * MiB);
    await a.sim('POST', '/faults', { replicationRate: 256 * 1024 });
    try {
      const snap = await a.ok('CreateSnapshot', { volumeID: source, name: 'held', enableRemoteReplication: true });
      await until(async () =>
        (await pairOf(a, source)).remoteReplication.snapshotReplication.state === 'Syncing' ? true : undefined,
      );
      await a.ok('DeleteVolume', { volumeID: source });
      expect(await stateOf(b, target)).toBe('PausedMisconfigured');
      await a.sim('POST', '/faults', { replicationRate: 0 });
      await a.ok('RestoreDeletedVolume', { volumeID: source });
      expect((await settled(a, snap.snapshotID)).remoteStatus).toBe('Present');
      expect(await snapshotNamed(b, target, 'held')).toBeDefined();
    } finally {
      await a.sim('POST', '/faults', { replicationRate: 0 });
    }
  });

  it('purging the deleted source leaves the target StoppedMisconfigured; RemoveVolumePair there then succeeds', async () => {
    const { source, target } = await pairVolumes(a, b, 'purge-src', 'SnapshotsOnly');
    await a.ok('DeleteVolume', { volumeID: source });
    expect(await stateOf(b, target)).toBe('PausedMisconfigured');
    await a.ok('PurgeDeletedVolume', { volumeID: source });
    const stopped = await pairOf(b, target);
    expect(stopped.remoteReplication).toMatchObject({
      state: 'StoppedMisconfigured',
      stateDetails: expect.stringMatching(/purged/),
    });
    // A purged volume cannot be restored, so the pair cannot come back: only removal is left.
    expect((await a.err('RestoreDeletedVolume', { volumeID: source })).name).toBe('xVolumeIDDoesNotExist');
    await b.ok('RemoveVolumePair', { volumeID: target });
    expect(await pairOf(b, target)).toBeUndefined();
  });

  it('deleting the target is seen the same way from the source side', async () => {
    const { source, target } = await pairVolumes(a, b, 'del-tgt', 'SnapshotsOnly');
    await b.ok('DeleteVolume', { volumeID: target });
    expect(await stateOf(a, source)).toBe('PausedMisconfigured');
    await b.ok('RestoreDeletedVolume', { volumeID: target });
    expect(await stateOf(a, source)).toBe('Active');
    await b.ok('DeleteVolume', { volumeID: target });
    await b.ok('PurgeDeletedVolume', { volumeID: target });
    expect(await stateOf(a, source)).toBe('StoppedMisconfigured');
    await a.ok('RemoveVolumePair', { volumeID: source });
  });
});

describe('Element simulator: RemoveClusterPair one side at a time', () => {
  it.each(['originating', 'completing'] as const)(
    'RemoveClusterPair on the %s cluster removes its half; the other shows Misconfigured, then removes its own',
    async (firstSide) => {
      const a = await startSim();
      const b = await startSim();
      try {
        const ids = await pairClusters(a, b);
        const [first, firstID, second, secondID] =
          firstSide === 'originating' ? [a, ids.a, b, ids.b] : [b, ids.b, a, ids.a];
        await first.ok('RemoveClusterPair', { clusterPairID: firstID });
        expect((await first.ok('ListClusterPairs')).clusterPairs).toEqual([]);
        const [left] = (await second.ok('ListClusterPairs')).clusterPairs;
        expect(left).toMatchObject({ clusterPairID: secondID, status: 'Misconfigured' });
        expect(await second.ok('RemoveClusterPair', { clusterPairID: secondID })).toEqual({});
        expect((await second.ok('ListClusterPairs')).clusterPairs).toEqual([]);
        // Both clusters may pair again afresh.
        await pairClusters(a, b);
      } finally {
        await Promise.allSettled([a.close(), b.close()]);
      }
    },
  );
});
