import { MiB, type Sim, fill, startSim } from './sim-helpers';

const A = fill(40_000, 'A');
const B = fill(90_000, 'B');
const C = fill(10_000, 'C');

describe('Element simulator: snapshots and group snapshots, proven by content', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const same = (a: Buffer, b: Buffer) => expect(a.equals(b)).toBe(true);

  it('a snapshot keeps the content of its moment while the volume moves on', async () => {
    const id = await sim.volume('snap-content', 4 * MiB, A);
    const { snapshotID, snapshot } = await sim.ok('CreateSnapshot', { volumeID: id, name: 'first' });
    expect(snapshot).toMatchObject({
      snapshotID,
      volumeID: id,
      name: 'first',
      groupID: 0,
      status: 'done',
      totalSize: 4 * MiB,
      volumeName: 'snap-content',
    });
    await sim.write(id, B);
    same(await sim.readSnapshot(snapshotID), A);
    same(await sim.read(id), B);
  });

  it('a snapshot without a name is named after its time; Element allows two snapshots of one name', async () => {
    const id = await sim.volume('snap-names');
    const unnamed = (await sim.ok('CreateSnapshot', { volumeID: id })).snapshot;
    expect(unnamed.name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await sim.ok('CreateSnapshot', { volumeID: id, name: 'twin' });
    await sim.ok('CreateSnapshot', { volumeID: id, name: 'twin' });
    expect(
      (await sim.ok('ListSnapshots', { volumeID: id })).snapshots.filter((s: { name: string }) => s.name === 'twin'),
    ).toHaveLength(2);
  });

  it('RollbackToSnapshot brings back an older snapshot and keeps the newer ones, with their content', async () => {
    const id = await sim.volume('rollback', 4 * MiB, A);
    const older = (await sim.ok('CreateSnapshot', { volumeID: id, name: 'older' })).snapshotID;
    await sim.write(id, B);
    const newer = (await sim.ok('CreateSnapshot', { volumeID: id, name: 'newer' })).snapshotID;
    await sim.write(id, C);
    const r = await sim.ok('RollbackToSnapshot', { volumeID: id, snapshotID: older, saveCurrentState: false });
    expect(r.snapshotID).toBe(0);
    same(await sim.read(id), A);
    expect(
      (await sim.ok('ListSnapshots', { volumeID: id })).snapshots.map((s: { snapshotID: number }) => s.snapshotID),
    ).toEqual([older, newer]);
    same(await sim.readSnapshot(newer), B);
  });

  it('saveCurrentState keeps what the rollback overwrites as a new snapshot', async () => {
    const id = await sim.volume('rollback-save', 4 * MiB, A);
    const snap = (await sim.ok('CreateSnapshot', { volumeID: id, name: 's' })).snapshotID;
    await sim.write(id, B);
    const saved = await sim.ok('RollbackToSnapshot', {
      volumeID: id,
      snapshotID: snap,
      saveCurrentState: true,
      name: 'before-rollback',
    });
    expect(saved.snapshot.name).toBe('before-rollback');
    same(await sim.readSnapshot(saved.snapshotID), B);
    same(await sim.read(id), A);
  });

  it('rollback needs saveCurrentState and a snapshot of that very volume', async () => {
    const a = await sim.volume('rb-a', MiB, A);
    const b = await sim.volume('rb-b', MiB, B);
    const snapOfB = (await sim.ok('CreateSnapshot', { volumeID: b })).snapshotID;
    expect((await sim.err('RollbackToSnapshot', { volumeID: a, snapshotID: snapOfB })).name).toBe('xMissingParameter');
    expect(
      (await sim.err('RollbackToSnapshot', { volumeID: a, snapshotID: snapOfB, saveCurrentState: false })).name,
    ).toBe('xInvalidParameter');
    same(await sim.read(a), A);
  });

  it('a volume holds at most 32 snapshots', async () => {
    const id = await sim.volume('many-snaps');
    for (let i = 0; i < 32; i++) await sim.ok('CreateSnapshot', { volumeID: id, name: `s${i}` });
    expect((await sim.err('CreateSnapshot', { volumeID: id, name: 'one-too-many' })).name).toBe('xExceededLimit');
    expect((await sim.err('CreateGroupSnapshot', { volumes: [id] })).name).toBe('xExceededLimit');
  });

  it('deleting a snapshot that does not exist is xSnapshotIDDoesNotExist', async () => {
    expect((await sim.err('DeleteSnapshot', { snapshotID: 777777 })).name).toBe('xSnapshotIDDoesNotExist');
    expect((await sim.err('ModifySnapshot', { snapshotID: 777777 })).name).toBe('xSnapshotIDDoesNotExist');
  });

  it('a group snapshot takes every volume at one instant: members point back to it and hold their content', async () => {
    const v1 = await sim.volume('grp-1', MiB, A);
    const v2 = await sim.volume('grp-2', MiB, B);
    const r = await sim.ok('CreateGroupSnapshot', { volumes: [v1, v2], name: 'nightly', attributes: { app: 'db' } });
    expect(r.members).toEqual([
      expect.objectContaining({ volumeID: v1, snapshotID: expect.any(Number), checksum: expect.any(String) }),
      expect.objectContaining({ volumeID: v2, snapshotID: expect.any(Number), checksum: expect.any(String) }),
    ]);
    expect(r.groupSnapshot).toMatchObject({
      groupSnapshotID: r.groupSnapshotID,
      name: 'nightly',
      attributes: { app: 'db' },
    });
    await sim.write(v1, C);
    await sim.write(v2, C);
    same(await sim.readSnapshot(r.members[0].snapshotID), A);
    same(await sim.readSnapshot(r.members[1].snapshotID), B);
    const listed = (await sim.ok('ListSnapshots', { volumeID: v1 })).snapshots.find(
      (s: { snapshotID: number }) => s.snapshotID === r.members[0].snapshotID,
    );
    expect(listed).toMatchObject({ groupID: r.groupSnapshotID, name: 'nightly' });
    expect(
      (await sim.ok('ListGroupSnapshots', { volumes: [v2] })).groupSnapshots.map(
        (g: { groupSnapshotID: number }) => g.groupSnapshotID,
      ),
    ).toEqual([r.groupSnapshotID]);
  });

  it('a group snapshot names each volume once, and only volumes that exist, or nothing is taken', async () => {
    const v = await sim.volume('grp-bad');
    expect((await sim.err('CreateGroupSnapshot', { volumes: [v, v] })).name).toBe('xInvalidParameter');
    expect((await sim.err('CreateGroupSnapshot', { volumes: [v, 999999] })).name).toBe('xVolumeIDDoesNotExist');
    expect((await sim.ok('ListSnapshots', { volumeID: v })).snapshots).toEqual([]);
  });

  it('RollbackToGroupSnapshot puts every member volume back to the same instant', async () => {
    const v1 = await sim.volume('grb-1', MiB, A);
    const v2 = await sim.volume('grb-2', MiB, B);
    const g = await sim.ok('CreateGroupSnapshot', { volumes: [v1, v2] });
    await sim.write(v1, C);
    await sim.write(v2, C);
    await sim.ok('RollbackToGroupSnapshot', { groupSnapshotID: g.groupSnapshotID, saveCurrentState: false });
    same(await sim.read(v1), A);
    same(await sim.read(v2), B);
  });

  it('DeleteGroupSnapshot with saveMembers keeps the member snapshots as ordinary ones; without, they go', async () => {
    const v = await sim.volume('gdel', MiB, A);
    const kept = await sim.ok('CreateGroupSnapshot', { volumes: [v], name: 'kept' });
    const gone = await sim.ok('CreateGroupSnapshot', { volumes: [v], name: 'gone' });
    await sim.ok('DeleteGroupSnapshot', { groupSnapshotID: kept.groupSnapshotID, saveMembers: true });
    await sim.ok('DeleteGroupSnapshot', { groupSnapshotID: gone.groupSnapshotID, saveMembers: false });
    const snaps = (await sim.ok('ListSnapshots', { volumeID: v })).snapshots;
    expect(snaps.map((s: { name: string; groupID: number }) => [s.name, s.groupID])).toEqual([['kept', 0]]);
    expect(
      (await sim.err('DeleteGroupSnapshot', { groupSnapshotID: kept.groupSnapshotID, saveMembers: true })).name,
    ).toBe('xGroupSnapshotIDDoesNotExist');
  });

  it('one member of a group snapshot may be deleted alone; the group goes with its last member', async () => {
    const v1 = await sim.volume('gm-1', MiB, A);
    const v2 = await sim.volume('gm-2', MiB, B);
    const g = await sim.ok('CreateGroupSnapshot', { volumes: [v1, v2] });
    await sim.ok('DeleteSnapshot', { snapshotID: g.members[0].snapshotID });
    const left = (await sim.ok('ListGroupSnapshots', { groupSnapshotID: g.groupSnapshotID })).groupSnapshots[0];
    expect(left.members.map((m: { volumeID: number }) => m.volumeID)).toEqual([v2]);
    await sim.ok('DeleteSnapshot', { snapshotID: g.members[1].snapshotID });
    expect((await sim.err('ListGroupSnapshots', { groupSnapshotID: g.groupSnapshotID })).name).toBe(
      'xGroupSnapshotIDDoesNotExist',
    );
  });
});
