import { MiB, type Sim, fill, sleep, startSim, until } from './sim-helpers';

const A = fill(30_000, 'A');
const B = fill(50_000, 'B');

describe('Element simulator: clones and copies are asynchronous full copies', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  const same = (a: Buffer, b: Buffer) => expect(a.equals(b)).toBe(true);
  /** Clones take `ms` from now on (however small). */
  const cloneTime = (ms: number) => sim.sim('POST', '/settings', { cloneMinMs: ms });
  const finished = (asyncHandle: number) =>
    until(async () => {
      const r = await sim.ok('GetAsyncResult', { asyncHandle, keepResult: true });
      return r.status === 'complete' ? r : undefined;
    });

  it('CloneVolume answers at once with the new volume and a handle; GetAsyncResult reports running, then complete', async () => {
    await cloneTime(600);
    const src = await sim.volume('clone-src', 4 * MiB, A);
    const snap = (await sim.ok('CreateSnapshot', { volumeID: src })).snapshotID;
    const c = await sim.ok('CloneVolume', { volumeID: src, snapshotID: snap, name: 'clone-1' });
    expect(c).toMatchObject({
      volumeID: expect.any(Number),
      cloneID: expect.any(Number),
      asyncHandle: expect.any(Number),
      volume: { name: 'clone-1', totalSize: 4 * MiB, status: 'active' },
    });
    const running = await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle });
    expect(running).toMatchObject({ status: 'running', resultType: 'Clone', details: { volumeID: c.volumeID } });
    expect(running.details.percentComplete).toBeGreaterThanOrEqual(0);
    expect(running.details.percentComplete).toBeLessThan(100);
    const done = await finished(c.asyncHandle);
    expect(done).toMatchObject({ status: 'complete', result: { volumeID: c.volumeID, cloneID: c.cloneID } });
    same(await sim.read(c.volumeID), A);
  });

  it('progress follows the clock', async () => {
    await cloneTime(1000);
    const src = await sim.volume('progress-src', MiB, A);
    const c = await sim.ok('CloneVolume', { volumeID: src, name: 'progress' });
    const first = (await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle, keepResult: true })).details
      .percentComplete;
    await sleep(500);
    const later = (await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle, keepResult: true })).details
      .percentComplete;
    expect(later).toBeGreaterThan(first);
  });

  it('a completed result is handed out once unless keepResult is true', async () => {
    await cloneTime(0);
    const src = await sim.volume('once-src', MiB);
    const c = await sim.ok('CloneVolume', { volumeID: src, name: 'once' });
    expect((await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle, keepResult: true })).status).toBe('complete');
    expect((await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle })).status).toBe('complete');
    expect((await sim.err('GetAsyncResult', { asyncHandle: c.asyncHandle })).name).toBe('xAsyncHandleDoesNotExist');
  });

  it('while the copy runs its source snapshot and source volume cannot be deleted; once complete they can, and the clone keeps its content', async () => {
    await cloneTime(800);
    const src = await sim.volume('busy-src', 4 * MiB, A);
    const snap = (await sim.ok('CreateSnapshot', { volumeID: src })).snapshotID;
    const c = await sim.ok('CloneVolume', { volumeID: src, snapshotID: snap, name: 'busy-clone' });
    const refusal = await sim.err('DeleteSnapshot', { snapshotID: snap });
    expect(refusal).toMatchObject({ name: 'xCloneInProgress', message: expect.stringContaining(`snapshot ${snap}`) });
    expect((await sim.err('DeleteVolume', { volumeID: src })).name).toBe('xCloneInProgress');
    expect((await sim.err('DeleteGroupSnapshot', { groupSnapshotID: 1, saveMembers: false })).name).toBe(
      'xGroupSnapshotIDDoesNotExist',
    );
    await finished(c.asyncHandle);
    await sim.ok('DeleteSnapshot', { snapshotID: snap });
    await sim.ok('DeleteVolume', { volumeID: src });
    await sim.ok('PurgeDeletedVolume', { volumeID: src });
    same(await sim.read(c.volumeID), A);
  });

  it('deleting the clone while it copies stops the copy with an error and frees its source', async () => {
    await cloneTime(5000);
    const src = await sim.volume('abandon-src', MiB, A);
    const snap = (await sim.ok('CreateSnapshot', { volumeID: src })).snapshotID;
    const c = await sim.ok('CloneVolume', { volumeID: src, snapshotID: snap, name: 'abandoned' });
    await sim.ok('DeleteVolume', { volumeID: c.volumeID });
    const r = await sim.ok('GetAsyncResult', { asyncHandle: c.asyncHandle, keepResult: true });
    expect(r).toMatchObject({ status: 'complete', error: { name: 'xVolumeIDDoesNotExist' } });
    await sim.ok('DeleteSnapshot', { snapshotID: snap });
  });

  it('a clone copies the source attributes and QoS unless the call gives its own, and may be larger', async () => {
    await cloneTime(0);
    const src = await sim.volume('attr-src', 2 * MiB);
    await sim.ok('ModifyVolume', {
      volumeID: src,
      attributes: { team: 'db' },
      qos: { minIOPS: 500, maxIOPS: 1000, burstIOPS: 2000 },
    });
    const inherited = (await sim.ok('CloneVolume', { volumeID: src, name: 'inherits' })).volume;
    expect(inherited).toMatchObject({ attributes: { team: 'db' }, qos: { minIOPS: 500 } });
    const own = (
      await sim.ok('CloneVolume', { volumeID: src, name: 'own', attributes: { team: 'qa' }, newSize: 8 * MiB })
    ).volume;
    expect(own).toMatchObject({ attributes: { team: 'qa' }, totalSize: 8 * MiB });
    expect((await sim.err('CloneVolume', { volumeID: src, name: 'smaller', newSize: MiB })).name).toBe(
      'xInvalidParameter',
    );
    expect((await sim.err('CloneVolume', { volumeID: src, name: 'bad_name' })).name).toBe('xInvalidParameter');
  });

  it('a clone of the live volume holds the content of that moment; later writes to either stay apart', async () => {
    await cloneTime(0);
    const src = await sim.volume('live-src', MiB, A);
    const c = await sim.ok('CloneVolume', { volumeID: src, name: 'live-clone' });
    await sim.write(src, B);
    same(await sim.read(c.volumeID), A);
    await sim.write(c.volumeID, fill(1000, 'Z'));
    same(await sim.read(src), B);
  });

  it('a snapshot of another volume cannot be cloned from this one', async () => {
    const a = await sim.volume('snap-owner-a', MiB);
    const b = await sim.volume('snap-owner-b', MiB);
    const snapOfB = (await sim.ok('CreateSnapshot', { volumeID: b })).snapshotID;
    expect((await sim.err('CloneVolume', { volumeID: a, snapshotID: snapOfB, name: 'nope' })).name).toBe(
      'xInvalidParameter',
    );
  });

  it('CopyVolume overwrites an existing volume of the same size with a snapshot; the target keeps its IQN and snapshots', async () => {
    await cloneTime(300);
    const src = await sim.volume('copy-src', 4 * MiB, A);
    const snap = (await sim.ok('CreateSnapshot', { volumeID: src })).snapshotID;
    await sim.write(src, B);
    const dst = await sim.volume('copy-dst', 4 * MiB, B);
    const dstSnap = (await sim.ok('CreateSnapshot', { volumeID: dst })).snapshotID;
    const iqn = (await sim.ok('ListVolumes', { volumeIDs: [dst] })).volumes[0].iqn;
    const c = await sim.ok('CopyVolume', { volumeID: src, dstVolumeID: dst, snapshotID: snap });
    expect(c).toEqual({ cloneID: expect.any(Number), asyncHandle: expect.any(Number) });
    await finished(c.asyncHandle);
    same(await sim.read(dst), A);
    same(await sim.readSnapshot(dstSnap), B);
    expect((await sim.ok('ListVolumes', { volumeIDs: [dst] })).volumes[0].iqn).toBe(iqn);
    const other = await sim.volume('copy-other-size', 8 * MiB);
    expect((await sim.err('CopyVolume', { volumeID: src, dstVolumeID: other, snapshotID: snap })).message).toMatch(
      /same size/,
    );
  });

  it('ListAsyncResults lists clone results, running and complete, and filters by type', async () => {
    await cloneTime(3000);
    const src = await sim.volume('list-src', MiB);
    const c = await sim.ok('CloneVolume', { volumeID: src, name: 'listed' });
    const handles = (await sim.ok('ListAsyncResults', { asyncResultTypes: ['Clone'] })).asyncHandles;
    expect(handles.find((h: { asyncResultID: number }) => h.asyncResultID === c.asyncHandle)).toMatchObject({
      completed: false,
      resultType: 'Clone',
      data: { volumeID: c.volumeID },
    });
    expect((await sim.ok('ListAsyncResults', { asyncResultTypes: ['DriveAdd'] })).asyncHandles).toEqual([]);
    await sim.ok('DeleteVolume', { volumeID: c.volumeID });
  });
});
