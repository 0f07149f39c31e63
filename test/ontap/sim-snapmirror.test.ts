// SnapMirror relationships between two simulators: create on the destination, both sides listed, state changes
// (initialize, quiesce, resume, break, resync), delete, and the state file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pairSimulators } from '../../simulators/ontap/pairing';
import { type TestSim, startSim } from './sim-helpers';
import { MiB, type Pair, follow, relationship, settled, startPair, transfer } from './replication-helpers';

describe('SnapMirror relationships', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.close());

  it('are created on the destination, toward a DP volume of a peered SVM only', async () => {
    const name = 'sm_refused';
    await pair.src.volume(name);
    const rw = await pair.dst.volume(name);
    const body = {
      source: { path: `${pair.srcSvm}:${name}` },
      destination: { path: `svm1:${name}` },
      policy: { name: 'XDPDefault' },
    };
    const notDp = await pair.dst.post('/api/snapmirror/relationships', body);
    expect([notDp.status, notDp.body.error.code]).toEqual([400, '13303821']);
    await pair.dst.done('DELETE', `/api/storage/volumes/${rw}`);
    await pair.dst.volume(name, { type: 'dp' });
    const noPeer = await pair.dst.post('/api/snapmirror/relationships', {
      ...body,
      source: { path: `svm1_dr:${name}` },
    });
    expect(noPeer.status).toBe(400);
    expect(noPeer.body.error.message).toMatch(/not a peer/);
    const noVolume = await pair.dst.post('/api/snapmirror/relationships', {
      ...body,
      source: { path: `${pair.srcSvm}:no_such_volume` },
    });
    expect(noVolume.status).toBe(404);
    const sync = await pair.dst.post('/api/snapmirror/relationships', { ...body, policy: { name: 'Sync' } });
    expect(sync.status).toBe(400);
  });

  it('the destination lists them; the source lists its side with list_destinations_only=true', async () => {
    const { rel, name } = await relationship(pair);
    const onDst = (await pair.dst.get(`/api/snapmirror/relationships?destination.path=svm1:${name}&fields=*`)).body
      .records;
    expect(onDst).toEqual([
      expect.objectContaining({
        uuid: rel,
        source: expect.objectContaining({ path: `${pair.srcSvm}:${name}` }),
        destination: expect.objectContaining({ path: `svm1:${name}` }),
        policy: expect.objectContaining({ name: 'XDPDefault' }),
        state: 'uninitialized',
        healthy: true,
      }),
    ]);
    expect((await pair.src.get(`/api/snapmirror/relationships?source.path=svm1:${name}`)).body.records).toEqual([]);
    const onSrc = (
      await pair.src.get(
        `/api/snapmirror/relationships?list_destinations_only=true&source.path=svm1:${name}&fields=uuid,destination`,
      )
    ).body.records;
    expect(onSrc).toEqual([
      expect.objectContaining({ uuid: rel, destination: expect.objectContaining({ path: `svm1:${name}` }) }),
    ]);
    const twice = await pair.dst.post('/api/snapmirror/relationships', {
      source: { path: `${pair.srcSvm}:${name}` },
      destination: { path: `svm1:${name}` },
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, '13303845']);
  });

  it('initialize, quiesce, resume, break and resync through PATCH state, as jobs', async () => {
    const data = randomBytes(64 * 1024);
    const { rel, srcVol, dstVol } = await relationship(pair, 'MirrorLatest', data);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
    const ready = await settled(pair, rel);
    expect(ready).toMatchObject({
      state: 'snapmirrored',
      healthy: true,
      transfer: { state: 'success', bytes_transferred: 64 * 1024 },
      lag_time: expect.stringMatching(/^PT/),
    });
    const dstSnaps = (await pair.dst.get(`/api/storage/volumes/${dstVol}/snapshots?fields=name`)).body.records;
    expect(dstSnaps).toHaveLength(1);
    expect((await pair.dst.readSnapshot(dstVol, dstSnaps[0].uuid, 'data')).equals(data)).toBe(true);
    expect((await pair.dst.read(dstVol, 'data')).equals(data)).toBe(true);
    // A DP volume takes no writes of its own.
    expect((await pair.dst.write(dstVol, 'data', Buffer.from('x'))).status).toBe(400);

    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'paused' });
    expect((await pair.dst.get(`/api/snapmirror/relationships/${rel}`)).body.state).toBe('paused');
    const refused = await pair.dst.post(`/api/snapmirror/relationships/${rel}/transfers`, {});
    expect([refused.status, refused.body.error.code]).toEqual([409, '13303819']);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
    expect((await pair.dst.get(`/api/snapmirror/relationships/${rel}`)).body.state).toBe('snapmirrored');

    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'broken_off' });
    expect((await pair.dst.get(`/api/storage/volumes/${dstVol}?fields=type`)).body.type).toBe('rw');
    expect((await pair.dst.write(dstVol, 'data', Buffer.from('local'))).status).toBe(200);
    const bad = await pair.dst.patch(`/api/snapmirror/relationships/${rel}`, { state: 'synchronizing' });
    expect(bad.status).toBe(400);

    await pair.src.write(srcVol, 'data', Buffer.from('later'), 0);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
    await settled(pair, rel);
    expect((await pair.dst.get(`/api/storage/volumes/${dstVol}?fields=type`)).body.type).toBe('dp');
    const expected = Buffer.from(data);
    expected.write('later', 0);
    expect((await pair.dst.read(dstVol, 'data')).equals(expected)).toBe(true);
  });

  it('a relationship is deleted on the destination and the source side goes with it; the source refuses without source_info_only', async () => {
    const { rel } = await relationship(pair);
    const fromSource = await pair.src.del(`/api/snapmirror/relationships/${rel}`);
    expect(fromSource.status).toBe(400);
    await pair.dst.done('DELETE', `/api/snapmirror/relationships/${rel}`);
    expect((await pair.dst.get(`/api/snapmirror/relationships/${rel}`)).status).toBe(404);
    expect((await pair.src.get(`/api/snapmirror/relationships/${rel}`)).status).toBe(404);
  });

  it('transfers are listed on both sides with their bytes and times', async () => {
    const data = randomBytes(MiB);
    const { rel, srcVol } = await relationship(pair, 'XDPDefault', data);
    await pair.dst.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
    await settled(pair, rel);
    await pair.src.snapshot(srcVol, 'cdm_1');
    const t = await transfer(pair, rel, { source_snapshot: 'cdm_1' });
    const seen = await follow(pair.dst, rel, t);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({
      uuid: t,
      state: 'success',
      snapshot: 'cdm_1',
      bytes_transferred: MiB,
      total_bytes: MiB,
      end_time: expect.any(String),
      total_duration: expect.stringMatching(/^PT[\d.]+S$/),
    });
    const onSrc = (await pair.src.get(`/api/snapmirror/relationships/${rel}/transfers?snapshot=cdm_1&fields=*`)).body
      .records;
    expect(onSrc).toEqual([expect.objectContaining({ uuid: t, state: 'success', bytes_transferred: MiB })]);
    const unknown = await pair.dst.post(`/api/snapmirror/relationships/${rel}/transfers`, {
      source_snapshot: 'no_such_snapshot',
    });
    expect(unknown.status).toBe(404);
  });
});

describe('SnapMirror state across a restart', () => {
  it('peers, SVM peers, relationships and finished transfers are kept in the state file; the cluster keeps its name', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'ontap-sm-')), 'state.json');
    const pair = await startPair();
    const dst2 = await startSim({ stateFile });
    let restarted: TestSim | undefined;
    try {
      await pairSimulators(pair.src.url, dst2.url);
      const two: Pair = { src: pair.src, dst: dst2, close: async () => undefined };
      const { rel } = await relationship(two, 'XDPDefault', randomBytes(8192));
      await dst2.done('PATCH', `/api/snapmirror/relationships/${rel}`, { state: 'snapmirrored' });
      await settled(two, rel);
      const name = (await dst2.get('/api/cluster')).body.name;
      await dst2.close();
      restarted = await startSim({ stateFile });
      expect((await restarted.get('/api/cluster')).body.name).toBe(name);
      expect((await restarted.get('/api/cluster/peers')).body.num_records).toBe(1);
      expect((await restarted.get('/api/svm/peers')).body.num_records).toBe(1);
      expect((await restarted.get(`/api/snapmirror/relationships/${rel}`)).body).toMatchObject({
        state: 'snapmirrored',
      });
      expect((await restarted.get(`/api/snapmirror/relationships/${rel}/transfers`)).body.num_records).toBe(1);
    } finally {
      await Promise.all([pair.close(), dst2.close(), restarted?.close()]);
    }
  });
});
