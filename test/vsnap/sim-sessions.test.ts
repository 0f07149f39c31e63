// vSnap simulator, seed 14: sessions move a snapshot's bytes to the partner over HTTP at the set rate; cancel, failure,
// incremental, restart.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCK, MiB, type TestSim, expectError, startTestSim } from './sim-helpers';
import { type Pair, pairedSims, partnerBody, settle, snapshotNamed, until, volumeWith } from './replication-sims';

async function setRate(sim: TestSim, replicationRate: number): Promise<void> {
  await sim.must('POST', '/sim/faults', { replicationRate });
}

/** A volume with `data` on A in a relationship with B. */
async function protectedVolume(
  pair: Pair,
  name: string,
  data: Buffer,
): Promise<{ vol: { id: string }; rel: { id: string; remote_vol_id: string } }> {
  const vol = await volumeWith(pair.a, name, data);
  const rel = await pair.a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: pair.bId });
  return { vol, rel };
}

describe('vSnap simulator: replication sessions', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await pairedSims();
  });
  afterAll(() => pair.close());
  afterEach(() => setRate(pair.a, 0));

  it('a session sends the snapshot: PENDING, then COMPLETED with every byte on the replica under the given name', async () => {
    const { a, b } = pair;
    const data = randomBytes(300_000);
    const { vol, rel } = await protectedVolume(pair, 'sess_full', data);
    const snap = await a.snapshot(vol.id, 'nightly');
    await a.write(vol.id, randomBytes(1000)); // the live volume moves on; the session sends the snapshot
    const started = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: snap.id,
      remote_snap_name: 'nightly_copy',
    });
    expect(started).toEqual({
      id: expect.stringMatching(/^\d+$/),
      rel_id: rel.id,
      local_snap_id: snap.id,
      remote_snap_id: null,
      local_snap_name: 'nightly',
      remote_snap_name: 'nightly_copy',
      repl_address: '127.0.0.1',
      size_sent: null,
      size_total: null,
      status: 'PENDING',
      time_queued: expect.stringMatching(/^\d+$/),
      time_started: null,
      time_ended: null,
      message: null,
    });
    const seen = await settle(a, started.id);
    const done = seen[seen.length - 1];
    expect(done).toMatchObject({
      status: 'COMPLETED',
      size_sent: String(data.length),
      size_total: String(data.length),
      message: null,
      time_started: expect.stringMatching(/^\d+$/),
      time_ended: expect.stringMatching(/^\d+$/),
    });
    const replicaSnap = await snapshotNamed(b, rel.remote_vol_id, 'nightly_copy');
    expect(replicaSnap?.id).toBe(done.remote_snap_id);
    expect((await b.read('snapshot', replicaSnap!.id)).equals(data)).toBe(true);
    expect((await b.read('volume', rel.remote_vol_id)).equals(data)).toBe(true);
    expect(await a.ok(`/api/relationship/${rel.id}`)).toMatchObject({
      last_sync_status: 'COMPLETED',
      last_attempt_snap_id: snap.id,
      last_success_snap_id: snap.id,
    });
    expect((await a.ok('/api/session')).sessions.map((s: { id: string }) => s.id)).toContain(started.id);
  });

  it('without snap_id a new snapshot is taken and sent under its own name', async () => {
    const { a, b } = pair;
    const data = Buffer.from('taken by the session itself');
    const { vol, rel } = await protectedVolume(pair, 'sess_auto', data);
    const started = await a.must('POST', `/api/relationship/${rel.id}/session`, {});
    const local = await a.ok(`/api/snapshot/${started.local_snap_id}`);
    expect(local.parent_id).toBe(vol.id);
    expect(started.remote_snap_name).toBe(local.name);
    expect((await settle(a, started.id)).pop().status).toBe('COMPLETED');
    const replicaSnap = await snapshotNamed(b, rel.remote_vol_id, local.name);
    expect((await b.read('snapshot', replicaSnap!.id)).equals(data)).toBe(true);
  });

  it('the next session sends only the blocks changed since the last one, and size_sent says so', async () => {
    const { a, b } = pair;
    const data = randomBytes(MiB);
    const { vol, rel } = await protectedVolume(pair, 'sess_incr', data);
    const s1 = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'day1')).id,
    });
    expect((await settle(a, s1.id)).pop().size_sent).toBe(String(MiB));
    const patch = randomBytes(2 * BLOCK);
    await a.write(vol.id, patch, BLOCK);
    const s2 = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'day2')).id,
    });
    expect((await settle(a, s2.id)).pop()).toMatchObject({
      status: 'COMPLETED',
      size_sent: String(2 * BLOCK),
      size_total: String(2 * BLOCK),
    });
    const expected = Buffer.from(data);
    patch.copy(expected, BLOCK);
    expect((await b.read('snapshot', (await snapshotNamed(b, rel.remote_vol_id, 'day2'))!.id)).equals(expected)).toBe(
      true,
    );
    expect((await b.read('snapshot', (await snapshotNamed(b, rel.remote_vol_id, 'day1'))!.id)).equals(data)).toBe(true);
    // The replica shares the unchanged blocks between its two snapshots, as ZFS does.
    expect(Number((await b.ok(`/api/volume/${rel.remote_vol_id}`)).size_used)).toBe(MiB);
  });

  it('honours the rate: progress is visible, and sessions of one relationship run one after the other', async () => {
    const { a } = pair;
    const { vol, rel } = await protectedVolume(pair, 'sess_rate', randomBytes(MiB));
    await setRate(a, 2 * MiB);
    const t0 = Date.now();
    const s1 = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'r1')).id,
    });
    const s2 = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'r2')).id,
    });
    const midway = await until(a, s1.id, (s) => s.status === 'ACTIVE' && Number(s.size_sent) > 0);
    expect(Number(midway.size_sent)).toBeLessThan(MiB);
    expect((await a.ok(`/api/session/${s2.id}`)).status).toBe('PENDING');
    const seen1 = await settle(a, s1.id);
    expect(seen1.pop().status).toBe('COMPLETED');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // 1 MiB at 2 MiB/s
    // r2 holds the same blocks as r1: an incremental with nothing to send.
    expect((await settle(a, s2.id)).pop()).toMatchObject({ status: 'COMPLETED', size_sent: '0' });
  });

  it('cancel answers FAILED "Canceled" at once; the replica gets no snapshot and neither side’s data changes', async () => {
    const { a, b } = pair;
    const data = randomBytes(MiB);
    const { vol, rel } = await protectedVolume(pair, 'sess_cancel', data);
    await setRate(a, 256 * 1024);
    const snap = await a.snapshot(vol.id, 'to_cancel');
    const started = await a.must('POST', `/api/relationship/${rel.id}/session`, { snap_id: snap.id });
    await until(a, started.id, (s) => Number(s.size_sent) > 0);
    const canceled = await a.must('POST', `/api/session/${started.id}`, { action: 'cancel' });
    expect(canceled).toMatchObject({
      id: started.id,
      status: 'FAILED',
      message: 'Canceled',
      time_ended: expect.stringMatching(/^\d+$/),
    });
    await new Promise((r) => setTimeout(r, 300));
    const after = await a.ok(`/api/session/${started.id}`);
    expect(after).toMatchObject({ status: 'FAILED', message: 'Canceled' });
    expect(Number(after.size_sent)).toBeLessThan(MiB);
    expect(await snapshotNamed(b, rel.remote_vol_id, 'to_cancel')).toBeUndefined();
    expect((await b.read('volume', rel.remote_vol_id)).length).toBe(0);
    expect((await a.read('snapshot', snap.id)).equals(data)).toBe(true);
    expect(await a.ok(`/api/relationship/${rel.id}`)).toMatchObject({
      last_sync_status: 'FAILED',
      last_attempt_snap_id: snap.id,
      last_success_snap_id: null,
    });
    expectError(await a.post(`/api/session/${started.id}`, { action: 'cancel' }), 400, 'InvalidParameterError');
    expectError(await a.post(`/api/session/${started.id}`, { action: 'pause' }), 400, 'InvalidParameterError');
    // What the partner staged is gone: a new session of the same snapshot completes.
    await setRate(a, 0);
    const again = await a.must('POST', `/api/relationship/${rel.id}/session`, { snap_id: snap.id });
    expect((await settle(a, again.id)).pop().status).toBe('COMPLETED');
    expect((await b.read('snapshot', (await snapshotNamed(b, rel.remote_vol_id, 'to_cancel'))!.id)).equals(data)).toBe(
      true,
    );
  });

  it('a partner that stops answering fails the session with a message; the source is untouched', async () => {
    const a = await startTestSim({ replicationRate: 256 * 1024 });
    const c = await startTestSim();
    try {
      const partner = await a.must('POST', '/api/partner', partnerBody(c));
      const data = randomBytes(MiB);
      const vol = await volumeWith(a, 'doomed', data);
      const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: partner.id });
      const snap = await a.snapshot(vol.id, 'lost');
      const started = await a.must('POST', `/api/relationship/${rel.id}/session`, { snap_id: snap.id });
      await until(a, started.id, (s) => Number(s.size_sent) > 0);
      await c.close();
      const failed = (await settle(a, started.id)).pop();
      expect(failed).toMatchObject({ status: 'FAILED', message: expect.stringContaining(`127.0.0.1:${c.sim.port}`) });
      expect(Number(failed.size_sent)).toBeLessThan(MiB);
      expect(await a.ok(`/api/relationship/${rel.id}`)).toMatchObject({
        last_sync_status: 'FAILED',
        last_success_snap_id: null,
      });
      expect((await a.read('volume', vol.id)).equals(data)).toBe(true);
      expect((await a.read('snapshot', snap.id)).equals(data)).toBe(true);
    } finally {
      await Promise.allSettled([a.close(), c.close()]);
    }
  });

  it('refuses what cannot be sent: a snapshot of another volume, a replica-side start, a name the replica already has', async () => {
    const { a, b } = pair;
    const { vol, rel } = await protectedVolume(pair, 'sess_bad', Buffer.from('x'));
    const other = await volumeWith(a, 'sess_bad_other', Buffer.from('y'));
    expectError(
      await a.post(`/api/relationship/${rel.id}/session`, { snap_id: (await a.snapshot(other.id)).id }),
      400,
      'InvalidParameterError',
    );
    expectError(await a.post(`/api/relationship/${rel.id}/session`, { snap_id: '987654' }), 404, 'NotFoundError');
    expectError(await b.post(`/api/relationship/${rel.id}/session`, {}), 400, 'InvalidParameterError');
    expectError(await a.get('/api/session/987654'), 404, 'NotFoundError');
    const first = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'dup')).id,
    });
    await settle(a, first.id);
    const dup = await a.must('POST', `/api/relationship/${rel.id}/session`, {
      snap_id: (await a.snapshot(vol.id, 'dup2')).id,
      remote_snap_name: 'dup',
    });
    expect((await settle(a, dup.id)).pop()).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/Snapshot dup of volume \S+ already exists/),
    });
  });

  it('deleting a relationship is refused while a session runs; cancel first', async () => {
    const { a } = pair;
    const { vol, rel } = await protectedVolume(pair, 'sess_busy', randomBytes(MiB));
    await setRate(a, 256 * 1024);
    const s = await a.must('POST', `/api/relationship/${rel.id}/session`, { snap_id: (await a.snapshot(vol.id)).id });
    expectError(await a.del(`/api/relationship/${rel.id}`), 409, 'ObjectInUseError');
    await a.must('POST', `/api/session/${s.id}`, { action: 'cancel' });
    await a.must('DELETE', `/api/relationship/${rel.id}`);
  });

  it('sessions survive a restart; one cut short by the restart reads FAILED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsnap-sess-'));
    let a: TestSim | undefined;
    let b: TestSim | undefined;
    try {
      a = await startTestSim({ stateFile: join(dir, 'a.json') });
      b = await startTestSim({ stateFile: join(dir, 'b.json') });
      const partner = await a.must('POST', '/api/partner', partnerBody(b));
      const vol = await volumeWith(a, 'durable', randomBytes(MiB));
      const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: partner.id });
      const done = await a.must('POST', `/api/relationship/${rel.id}/session`, {
        snap_id: (await a.snapshot(vol.id, 'kept')).id,
      });
      await settle(a, done.id);
      await setRate(a, 128 * 1024);
      await a.write(vol.id, randomBytes(MiB)); // so "cut" has 1 MiB to send: 8 s at this rate
      const cut = await a.must('POST', `/api/relationship/${rel.id}/session`, {
        snap_id: (await a.snapshot(vol.id, 'cut')).id,
      });
      await until(a, cut.id, (s) => s.status === 'ACTIVE');
      const port = a.sim.port;
      await a.close(); // stops the transfer: jest would hang on a live timer
      a = await startTestSim({ stateFile: join(dir, 'a.json'), port });
      expect((await a.ok(`/api/session/${done.id}`)).status).toBe('COMPLETED');
      expect(await a.ok(`/api/session/${cut.id}`)).toMatchObject({
        status: 'FAILED',
        message: expect.stringMatching(/restart/),
      });
      expect(await a.ok(`/api/relationship/${rel.id}`)).toMatchObject({
        last_sync_status: 'FAILED',
        last_success_snap_id: done.local_snap_id,
      });
      expect((await b.ok(`/api/relationship/${rel.id}`)).local_role).toBe('replica');
      // Replication resumes from the last good snapshot.
      const next = await a.must('POST', `/api/relationship/${rel.id}/session`, {
        snap_id: cut.local_snap_id,
        remote_snap_name: 'cut_retry',
      });
      expect((await settle(a, next.id)).pop().status).toBe('COMPLETED');
    } finally {
      await Promise.allSettled([a?.close(), b?.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
