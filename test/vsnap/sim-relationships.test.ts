// vSnap simulator, seed 13: relationships made on the primary with the replica volume made on the partner over HTTP,
// seen from both sides, deleted together.
import { expectError, startTestSim } from './sim-helpers';
import { type Pair, pairedSims, volumeWith } from './replication-sims';

describe('vSnap simulator: relationships', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await pairedSims();
  });
  afterAll(() => pair.close());

  it('creating one makes the replica volume on the partner, and each side reads it from its own role', async () => {
    const { a, b, aId, bId } = pair;
    const vol = await volumeWith(a, 'prim1', Buffer.from('primary'), {
      volume_type: 'lun',
      size_total: String(1 << 20),
    });
    const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, {
      partner_id: bId,
      remote_pool_id: '1',
      remote_vol_name: 'my_replica',
      reuse: false,
    });
    expect(rel).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      local_pool_id: '1',
      local_role: 'primary',
      local_vol_id: vol.id,
      local_vol_name: 'prim1',
      partner_id: bId,
      remote_pool_id: '1',
      remote_vol_id: expect.any(String),
      remote_vol_name: 'my_replica',
      last_sync_status: null,
      last_attempt_snap_id: null,
      last_success_snap_id: null,
      time_created: expect.stringMatching(/^\d+$/),
      time_updated: expect.stringMatching(/^\d+$/),
    });
    // The replica is a normal volume on B, of the same type and size, empty until the first session.
    const replica = await b.ok(`/api/volume/${rel.remote_vol_id}`);
    expect(replica).toMatchObject({
      name: 'my_replica',
      volume_type: 'lun',
      size_total: String(1 << 20),
      size_used: '0',
    });
    const onB = await b.ok(`/api/relationship/${rel.id}`);
    expect(onB).toMatchObject({
      id: rel.id,
      local_role: 'replica',
      local_vol_id: rel.remote_vol_id,
      local_vol_name: 'my_replica',
      partner_id: aId,
      remote_vol_id: vol.id,
      remote_vol_name: 'prim1',
      remote_pool_id: '1',
    });
    expect(await a.ok(`/api/relationship?id=${rel.id}`)).toEqual(rel);
  });

  it('lists by volume id, by volume name, and all of them', async () => {
    const { a, bId } = pair;
    const vol = await volumeWith(a, 'listed', Buffer.from('x'));
    const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: bId });
    // Without remote_vol_name the replica keeps the primary's name; without remote_pool_id it goes to the partner's
    // first pool.
    expect(rel).toMatchObject({ remote_vol_name: 'listed', remote_pool_id: '1' });
    expect(await a.ok(`/api/volume/${vol.id}/relationship`)).toEqual({ relationships: [rel], total: 1 });
    expect(await a.ok('/api/relationship?vol_name=listed')).toEqual({ relationships: [rel], total: 1 });
    const all = await a.ok('/api/relationship');
    expect(all.relationships.map((r: { id: string }) => r.id)).toContain(rel.id);
    expect(all.total).toBe(all.relationships.length);
    expectError(await a.get('/api/relationship?vol_name=no_such_volume'), 404, 'NotFoundError');
    expectError(await a.get('/api/relationship/ffffffffffffffffffffffffffffffff'), 404, 'NotFoundError');
  });

  it('an existing replica name answers 409 unless reuse: true, which re-attaches the volume', async () => {
    const { a, b, bId } = pair;
    const taken = await volumeWith(b, 'taken_name', Buffer.from('old replica content'));
    const vol = await volumeWith(a, 'wants_taken', Buffer.from('y'));
    const refused = await a.post(`/api/volume/${vol.id}/relationship`, {
      partner_id: bId,
      remote_vol_name: 'taken_name',
    });
    expectError(refused, 409, 'ObjectExistsError');
    expect(refused.body.error.message).toMatch(/reuse/);
    const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, {
      partner_id: bId,
      remote_vol_name: 'taken_name',
      reuse: true,
    });
    expect(rel.remote_vol_id).toBe(taken.id);
    // A volume already in a relationship cannot be reused by another.
    const other = await volumeWith(a, 'wants_taken_too', Buffer.from('z'));
    expectError(
      await a.post(`/api/volume/${other.id}/relationship`, {
        partner_id: bId,
        remote_vol_name: 'taken_name',
        reuse: true,
      }),
      409,
      'ObjectInUseError',
    );
  });

  it('bad requests: unknown partner 404, a second relationship to the same partner 409, a filebackedlun 400', async () => {
    const { a, bId } = pair;
    const vol = await volumeWith(a, 'badreq', Buffer.from('x'));
    expectError(
      await a.post(`/api/volume/${vol.id}/relationship`, { partner_id: 'nosuchpartner' }),
      404,
      'NotFoundError',
    );
    expectError(await a.post(`/api/volume/${vol.id}/relationship`, {}), 400, 'InvalidParameterError');
    await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: bId, remote_vol_name: 'badreq_r' });
    expectError(
      await a.post(`/api/volume/${vol.id}/relationship`, { partner_id: bId, remote_vol_name: 'badreq_r2' }),
      409,
      'ObjectExistsError',
    );
    const fbl = await a.must('POST', '/api/volume', {
      name: 'fbl',
      volume_type: 'filebackedlun',
      parent_id: vol.id,
      parent_path: 'disk.img',
    });
    expectError(await a.post(`/api/volume/${fbl.id}/relationship`, { partner_id: bId }), 400, 'InvalidParameterError');
    expectError(await a.post('/api/volume/987654/relationship', { partner_id: bId }), 404, 'NotFoundError');
  });

  it('volumes in a relationship cannot be deleted; the replica refuses client writes', async () => {
    const { a, b, bId } = pair;
    const vol = await volumeWith(a, 'guarded', Buffer.from('x'));
    const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: bId });
    expectError(await a.del(`/api/volume/${vol.id}`), 409, 'ObjectInUseError');
    expectError(await b.del(`/api/volume/${rel.remote_vol_id}`), 409, 'ObjectInUseError');
    expectError(await b.write(rel.remote_vol_id, 'scribble'), 409, 'ObjectInUseError');
    // The primary stays writable.
    expect((await a.write(vol.id, 'more')).status).toBe(200);
  });

  it('deleting one deletes the replica volume on the partner; with preserve_replica=1 the replica stays, writable again', async () => {
    const { a, b, bId } = pair;
    const v1 = await volumeWith(a, 'del_plain', Buffer.from('x'));
    const r1 = await a.must('POST', `/api/volume/${v1.id}/relationship`, { partner_id: bId });
    expect(await a.must('DELETE', `/api/relationship/${r1.id}`)).toEqual({});
    expectError(await a.get(`/api/relationship/${r1.id}`), 404, 'NotFoundError');
    expectError(await b.get(`/api/relationship/${r1.id}`), 404, 'NotFoundError');
    expectError(await b.get(`/api/volume/${r1.remote_vol_id}`), 404, 'NotFoundError');
    expect((await a.ok(`/api/volume/${v1.id}`)).name).toBe('del_plain'); // the primary is never deleted

    const v2 = await volumeWith(a, 'del_keep', Buffer.from('x'));
    const r2 = await a.must('POST', `/api/volume/${v2.id}/relationship`, { partner_id: bId });
    await a.must('DELETE', `/api/relationship/${r2.id}?preserve_replica=1`);
    expectError(await b.get(`/api/relationship/${r2.id}`), 404, 'NotFoundError');
    expect((await b.ok(`/api/volume/${r2.remote_vol_id}`)).name).toBe('del_keep');
    expect((await b.write(r2.remote_vol_id, 'now mine')).status).toBe(200);

    // From the replica side too, with preserve_replica=true.
    const v3 = await volumeWith(a, 'del_from_b', Buffer.from('x'));
    const r3 = await a.must('POST', `/api/volume/${v3.id}/relationship`, { partner_id: bId });
    await b.must('DELETE', `/api/relationship/${r3.id}?preserve_replica=true`);
    expectError(await a.get(`/api/relationship/${r3.id}`), 404, 'NotFoundError');
    expect((await b.ok(`/api/volume/${r3.remote_vol_id}`)).name).toBe('del_from_b');
  });

  it('a partner that does not answer blocks the delete (ConnectionError) unless force=true', async () => {
    const { a } = pair;
    const c = await startTestSim();
    const partner = await a.must('POST', '/api/partner', {
      remote_addr: '127.0.0.1',
      remote_api_port: String(c.sim.port),
      remote_user: 'admin',
      remote_pass: 'simulator',
    });
    const vol = await volumeWith(a, 'orphan', Buffer.from('x'));
    const rel = await a.must('POST', `/api/volume/${vol.id}/relationship`, { partner_id: partner.id });
    await c.close();
    expectError(await a.del(`/api/relationship/${rel.id}`), 500, 'ConnectionError');
    await a.must('DELETE', `/api/relationship/${rel.id}?force=true`);
    expectError(await a.get(`/api/relationship/${rel.id}`), 404, 'NotFoundError');
    await a.must('DELETE', `/api/partner/${partner.id}`);
  });
});
