// SnapMirror transfers between two simulators: progress, abort, the policy rules that decide what is sent and kept, the
// throttle, and a partner that stops answering.
import { randomBytes } from 'node:crypto';
import { type Json, startSim, uniq } from './sim-helpers';
import { MiB, type Pair, follow, relationship, settled, startPair, transfer } from './replication-helpers';
import { pairSimulators } from '../../simulators/ontap/pairing';

const snapNames = async (sim: Pair['dst'], vol: string): Promise<string[]> =>
  (await sim.get(`/api/storage/volumes/${vol}/snapshots?fields=name`)).body.records.map((s: Json) => s.name);
const setRate = (sim: Pair['src'], replicationRate: number) => sim.post('/sim/faults', { replicationRate });

describe('SnapMirror transfers', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());
  afterEach(() => setRate(pair.src, 0));

  /** An initialized relationship of a volume holding `data`. */
  async function mirrored(policy: string, data: Buffer<ArrayBufferLike>) {
    const r = await relationship(pair, policy, data);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${r.rel}`, { state: 'snapmirrored' });
    await settled(pair, r.rel);
    return r;
  }

  it('progress grows at the rate in force, and the destination snapshot holds the source snapshot by name and content', async () => {
    const data = randomBytes(MiB);
    const { rel, srcVol, dstVol } = await mirrored('XDPDefault', data);
    await pair.src.snapshot(srcVol, 'first');
    await setRate(pair.src, 2 * MiB);
    const t = await transfer(pair, rel, { source_snapshot: 'first' });
    const seen = await follow(pair.dst, rel, t);
    const sent = seen.map((s) => s.bytes_transferred);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    expect(seen.some((s) => s.state === 'transferring' && s.bytes_transferred > 0 && s.bytes_transferred < MiB)).toBe(
      true,
    );
    expect(seen[seen.length - 1]).toMatchObject({ state: 'success', bytes_transferred: MiB });
    const snap = (await pair.dst.get(`/api/storage/volumes/${dstVol}/snapshots?name=first`)).body.records[0].uuid;
    expect((await pair.dst.readSnapshot(dstVol, snap, 'data')).equals(data)).toBe(true);

    // Only the changed blocks go the second time.
    await pair.src.write(srcVol, 'data', randomBytes(8192), 4096);
    await pair.src.snapshot(srcVol, 'second');
    const t2 = await transfer(pair, rel, { source_snapshot: 'second' });
    expect((await follow(pair.dst, rel, t2)).pop()).toMatchObject({
      state: 'success',
      bytes_transferred: 8192,
      total_bytes: 8192,
    });
    expect((await pair.dst.read(dstVol, 'data')).equals(await pair.src.read(srcVol, 'data'))).toBe(true);
  });

  it('an abort on the destination stops the source, and leaves the destination volume as it was', async () => {
    const { rel, srcVol, dstVol } = await mirrored('XDPDefault', Buffer.alloc(0));
    await pair.src.write(srcVol, 'data', randomBytes(2 * MiB));
    await pair.src.snapshot(srcVol, 'slow');
    await setRate(pair.src, 256 * 1024);
    const t = await transfer(pair, rel, { source_snapshot: 'slow' });
    const path = `/api/snapmirror/relationships/${rel}/transfers/${t}`;
    while ((await pair.dst.get(path)).body.bytes_transferred === 0) await new Promise((r) => setTimeout(r, 20));
    expect((await pair.dst.patch(path, { state: 'aborted' })).status).toBe(200);
    const onDst = (await pair.dst.get(path)).body;
    expect(onDst).toMatchObject({ state: 'aborted', error_info: { message: expect.stringMatching(/abort/i) } });
    const onSrc = (await follow(pair.src, rel, t)).pop();
    expect(onSrc.state).toBe('aborted');
    expect(onSrc.bytes_transferred).toBeLessThan(2 * MiB);
    expect(await snapNames(pair.dst, dstVol)).not.toContain('slow');
    expect((await pair.dst.get(`/api/snapmirror/relationships/${rel}?fields=healthy`)).body.healthy).toBe(false);
    expect((await pair.dst.patch(path, { state: 'aborted' })).status).toBe(409);
  });

  it('create_snapshot_on_source: the policy makes snapmirror.<uuid>_<n>.<time> on the source and sends it', async () => {
    const data = randomBytes(16 * 1024);
    const { rel, srcVol, dstVol } = await mirrored('Asynchronous', data);
    const first = (await snapNames(pair.src, srcVol)).filter((n) => n.startsWith('snapmirror.'));
    expect(first).toEqual([expect.stringMatching(new RegExp(`^snapmirror\\.${rel}_1\\.\\d{4}-\\d{2}-\\d{2}_\\d{6}$`))]);
    expect(await snapNames(pair.dst, dstVol)).toEqual(first);
    // The next update makes _2; the source keeps only its newest (the common snapshot), the destination keeps
    // sm_created: 1.
    await follow(pair.dst, rel, await transfer(pair, rel));
    const second = (await snapNames(pair.src, srcVol)).filter((n) => n.startsWith('snapmirror.'));
    expect(second).toEqual([expect.stringMatching(new RegExp(`^snapmirror\\.${rel}_2\\.`))]);
    expect(await snapNames(pair.dst, dstVol)).toEqual(second);
  });

  it('copy_latest_source_snapshot sends only the newest source snapshot', async () => {
    const { rel, srcVol, dstVol } = await mirrored('XDPDefault', randomBytes(4096));
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { policy: { name: 'MirrorLatest' } });
    await pair.src.snapshot(srcVol, 'older');
    await pair.src.snapshot(srcVol, 'newer');
    await follow(pair.dst, rel, await transfer(pair, rel));
    const names = await snapNames(pair.dst, dstVol);
    expect(names).not.toContain('older');
    expect(names).not.toContain('newer');
    // MirrorLatest also creates its own snapshot first: that is the latest, and the one sent.
    expect(names).toEqual([expect.stringMatching(/^snapmirror\./)]);
  });

  it('retention: snapshots carrying a rule label are kept on the destination up to its count, oldest pruned', async () => {
    const policy = uniq('keep2');
    await pair.dst.done('POST', '/api/snapmirror/policies', {
      name: policy,
      create_snapshot_on_source: false,
      retention: [{ label: 'hourly', count: 2 }],
    });
    const { rel, srcVol, dstVol } = await mirrored(policy, randomBytes(4096));
    for (const n of ['h1', 'h2', 'h3']) {
      await pair.src.done('POST', `/api/storage/volumes/${srcVol}/snapshots`, { name: n, snapmirror_label: 'hourly' });
    }
    await pair.src.done('POST', `/api/storage/volumes/${srcVol}/snapshots`, { name: 'unlabelled' });
    await follow(pair.dst, rel, await transfer(pair, rel));
    expect(await snapNames(pair.dst, dstVol)).toEqual(['h2', 'h3']);
    // A relationship uses the policy now: it cannot be deleted.
    const uuid = (await pair.dst.get(`/api/snapmirror/policies?name=${policy}`)).body.records[0].uuid;
    const del = await pair.dst.del(`/api/snapmirror/policies/${uuid}?return_timeout=5`);
    expect([del.status, del.body.error.code]).toEqual([409, '13303844']);
  });

  it('the policy throttle (KB/s) slows a transfer; a relationship throttle that differs blocks a policy throttle change', async () => {
    const policy = uniq('slow');
    await pair.dst.done('POST', '/api/snapmirror/policies', {
      name: policy,
      create_snapshot_on_source: false,
      retention: [{ label: 'daily', count: 7 }],
      throttle: 256,
    });
    const { rel, srcVol } = await mirrored(policy, Buffer.alloc(0));
    await pair.src.write(srcVol, 'data', randomBytes(512 * 1024));
    await pair.src.snapshot(srcVol, 'throttled');
    const started = Date.now();
    const t = await transfer(pair, rel, { source_snapshot: 'throttled' });
    const last = (await follow(pair.dst, rel, t)).pop();
    const took = Date.now() - started;
    expect(last).toMatchObject({ state: 'success', throttle: 256, bytes_transferred: 512 * 1024 });
    // 512 KiB at 256 KiB/s: about two seconds (the unthrottled rate would take under 10 ms).
    expect(took).toBeGreaterThan(1700);

    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { throttle: 100 });
    const uuid = (await pair.dst.get(`/api/snapmirror/policies?name=${policy}`)).body.records[0].uuid;
    const res = await pair.dst.patch(`/api/snapmirror/policies/${uuid}`, { throttle: 500 });
    expect([res.status, res.body.error.code]).toEqual([400, '13303843']);
  }, 20_000);
});

describe('SnapMirror transfers when a partner stops answering', () => {
  it('a destination that goes away fails the transfer on the source, with a message, source data untouched', async () => {
    const pair = await startPair();
    try {
      const data = randomBytes(MiB);
      const { rel, srcVol } = await relationship(pair, 'XDPDefault', data);
      await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
      await settled(pair, rel);
      await pair.src.snapshot(srcVol, 'doomed');
      await setRate(pair.src, 128 * 1024);
      const t = await transfer(pair, rel, { source_snapshot: 'doomed' });
      while ((await pair.src.get(`/api/snapmirror/relationships/${rel}/transfers/${t}`)).body.bytes_transferred === 0)
        await new Promise((r) => setTimeout(r, 20));
      await pair.dst.close();
      const last = (await follow(pair.src, rel, t)).pop();
      expect(last).toMatchObject({ state: 'failed', error_info: { message: expect.stringMatching(/unreachable/) } });
      expect(last.bytes_transferred).toBeLessThan(MiB);
      expect((await pair.src.read(srcVol, 'data')).equals(data)).toBe(true);
    } finally {
      await pair.close();
    }
  });

  it('a source that goes away fails the transfer on the destination', async () => {
    const [src, dst] = await Promise.all([startSim(), startSim()]);
    try {
      await pairSimulators(src.url, dst.url);
      const pair: Pair = { src, dst, close: async () => undefined };
      const { rel, srcVol } = await relationship(pair, 'XDPDefault', randomBytes(MiB));
      await dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
      await settled(pair, rel);
      await src.snapshot(srcVol, 'orphan');
      await setRate(src, 64 * 1024);
      const t = await transfer(pair, rel, { source_snapshot: 'orphan' });
      while ((await dst.get(`/api/snapmirror/relationships/${rel}/transfers/${t}`)).body.bytes_transferred === 0)
        await new Promise((r) => setTimeout(r, 20));
      await src.close();
      const last = (await follow(dst, rel, t, 10_000)).pop();
      expect(last).toMatchObject({
        state: 'failed',
        error_info: { message: expect.stringMatching(/does not answer/) },
      });
    } finally {
      await Promise.all([src.close(), dst.close()]);
    }
  }, 20_000);
});
