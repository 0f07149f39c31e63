// Every 202 operation passes through the states the API shows, and settles (here when told: POST /sim/settle);
// an object that is busy refuses what needs it settled with 409.
import { type RunningScpSimulator } from '../../simulators/scp/server';
import { call, ok, settle, sim, startTwoRegions, volume } from './sim-helpers';

interface Vol {
  id: string;
  state: string;
  path: string | null;
  file_unit_recovery_enabled: boolean;
}
interface Snap {
  id: string;
  name: string;
  state: string;
}

describe('SCP simulator: 202 operations and their states', () => {
  let s: RunningScpSimulator;
  let url: string;
  beforeAll(async () => {
    s = await startTwoRegions();
    url = s.url;
  });
  afterAll(() => s.close());

  const show = (id: string) => ok<Vol>(url, `/v1/volumes/${id}`);
  const snaps = async (vid: string) =>
    (await ok<{ snapshots: Snap[] }>(url, `/v1/snapshots?volume_id=${vid}`)).snapshots;

  it('a volume is creating (no path yet) until it settles, then available', async () => {
    const made = await call<{ volume_id: string; volume_name: string }>(url, '/v1/volumes', {
      method: 'POST',
      body: { name: 'states_a', protocol: 'NFS', type_name: 'SSD' },
    });
    expect(made.status).toBe(202);
    expect(made.body.volume_name).toMatch(/^states_a[a-z0-9]{6}$/);
    expect(await show(made.body.volume_id)).toMatchObject({ state: 'creating', path: null });
    // Busy: nothing that needs it available is done.
    expect((await call(url, `/v1/volumes/${made.body.volume_id}`, { method: 'DELETE' })).status).toBe(409);
    expect(
      (await call(url, '/v1/snapshots', { method: 'POST', body: { volume_id: made.body.volume_id } })).status,
    ).toBe(409);
    await settle(url);
    expect(await show(made.body.volume_id)).toMatchObject({ state: 'available', path: expect.stringMatching(/:\//) });
  });

  it('set answers 202 and changes file-unit recovery', async () => {
    const vid = await volume(url, 'states_set');
    const res = await call(url, `/v1/volumes/${vid}`, { method: 'PUT', body: { file_unit_recovery_enabled: true } });
    expect(res.status).toBe(202);
    expect((await show(vid)).file_unit_recovery_enabled).toBe(true);
  });

  it('delete is deleting until it settles, then the volume and its snapshots are gone', async () => {
    const vid = await volume(url, 'states_del');
    await ok(url, '/v1/snapshots', { method: 'POST', body: { volume_id: vid } });
    await settle(url);
    expect((await call(url, `/v1/volumes/${vid}`, { method: 'DELETE' })).status).toBe(202);
    expect((await show(vid)).state).toBe('deleting');
    expect((await call(url, `/v1/volumes/${vid}`, { method: 'DELETE' })).status).toBe(409);
    await settle(url);
    expect((await call(url, `/v1/volumes/${vid}`)).status).toBe(404);
    expect((await call(url, `/v1/snapshots?volume_id=${vid}`)).status).toBe(404);
  });

  it('a snapshot is creating, then available; deleting, then gone', async () => {
    const vid = await volume(url, 'states_snap');
    const made = await call<{ snapshot: Snap & { volume_id: string } }>(url, '/v1/snapshots', {
      method: 'POST',
      body: { volume_id: vid },
    });
    expect(made.status).toBe(202);
    expect(made.body.snapshot).toMatchObject({ state: 'creating', volume_id: vid });
    expect(made.body.snapshot.name).toMatch(/^states_snap[a-z0-9]{6}\.\d{4}-\d\d-\d\d_\d{6}/);
    expect((await snaps(vid)).map((x) => x.state)).toEqual(['creating']);
    await settle(url);
    expect((await snaps(vid)).map((x) => x.state)).toEqual(['available']);
    const del = await call(url, `/v1/snapshots/${made.body.snapshot.id}?volume_id=${vid}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    expect((await snaps(vid)).map((x) => x.state)).toEqual(['deleting']);
    await settle(url);
    expect(await snaps(vid)).toEqual([]);
  });

  it('restore is restoring, then available, with the snapshot content and every snapshot kept', async () => {
    const vid = await volume(url, 'states_rest');
    await sim(url, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('first'));
    const older = (await ok<{ snapshot: Snap }>(url, '/v1/snapshots', { method: 'POST', body: { volume_id: vid } }))
      .snapshot;
    await settle(url);
    await sim(url, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('SECOND'));
    await ok(url, '/v1/snapshots', { method: 'POST', body: { volume_id: vid } });
    await settle(url);
    const res = await call<{ snapshot: Snap }>(url, `/v1/snapshots/${older.id}/restore?volume_id=${vid}`, {
      method: 'PUT',
    });
    expect([res.status, res.body.snapshot.id]).toEqual([202, older.id]);
    expect((await show(vid)).state).toBe('restoring');
    expect((await call(url, `/v1/snapshots/${older.id}/restore?volume_id=${vid}`, { method: 'PUT' })).status).toBe(409);
    await settle(url);
    expect((await show(vid)).state).toBe('available');
    expect((await sim(url, 'GET', `/sim/volume/${vid}/data`)).toString()).toBe('first');
    expect(await snaps(vid)).toHaveLength(2);
  });

  it('a volume made from a snapshot is creating (its snapshot cannot go meanwhile), then holds the content', async () => {
    const vid = await volume(url, 'states_src');
    await sim(url, 'PUT', `/sim/volume/${vid}/data`, Buffer.from('from the snapshot'));
    const snap = (await ok<{ snapshot: Snap }>(url, '/v1/snapshots', { method: 'POST', body: { volume_id: vid } }))
      .snapshot;
    await settle(url);
    const made = await ok<{ volume_id: string; snapshot_id: string }>(url, '/v1/volumes', {
      method: 'POST',
      body: { name: 'states_new', protocol: 'NFS', type_name: 'HDD', snapshot_id: snap.id },
    });
    expect(made.snapshot_id).toBe(snap.id);
    expect((await show(made.volume_id)).state).toBe('creating');
    expect((await call(url, `/v1/snapshots/${snap.id}?volume_id=${vid}`, { method: 'DELETE' })).status).toBe(409);
    await settle(url);
    expect((await sim(url, 'GET', `/sim/volume/${made.volume_id}/data`)).toString()).toBe('from the snapshot');
    // Independent at once: the snapshot may go now, and the new volume keeps its content.
    expect((await call(url, `/v1/snapshots/${snap.id}?volume_id=${vid}`, { method: 'DELETE' })).status).toBe(202);
    await settle(url);
    expect((await sim(url, 'GET', `/sim/volume/${made.volume_id}/data`)).toString()).toBe('from the snapshot');
  });

  it('an access rule is creating, then active; removed, it is deleting, then gone', async () => {
    const vid = await volume(url, 'states_acl');
    const rules = async () =>
      (
        await ok<{ access_rules: { object_id: string; access_rule_state: string }[]; count: number }>(
          url,
          `/v1/volumes/${vid}/access-rules`,
        )
      ).access_rules.map((r) => r.access_rule_state);
    const put = (action: string) =>
      call<Record<string, string>>(url, `/v1/volumes/${vid}/access-rules`, {
        method: 'PUT',
        body: { action, object_type: 'VM', object_id: 'vm-0001' },
      });
    const added = await put('add');
    expect(added).toEqual({
      status: 202,
      body: { action: 'add', object_id: 'vm-0001', object_type: 'VM', volume_id: vid },
    });
    expect(await rules()).toEqual(['creating']);
    expect((await put('remove')).status).toBe(409);
    await settle(url);
    expect(await rules()).toEqual(['active']);
    expect((await put('add')).status).toBe(409);
    expect((await put('remove')).status).toBe(202);
    expect(await rules()).toEqual(['deleting']);
    await settle(url);
    expect(await rules()).toEqual([]);
    expect((await put('remove')).status).toBe(404);
  });

  it('snapshot schedules: create, list, set and delete answer 202; a firing takes a snapshot and keeps the newest', async () => {
    const vid = await volume(url, 'states_sch');
    const made = await call<{ snapshot_schedule: { frequency: string }; snapshot_retention_count: string }>(
      url,
      '/v1/snapshot-schedules',
      {
        method: 'POST',
        body: { volume_id: vid, snapshot_schedule: { frequency: 'DAILY', hour: '3' }, snapshot_retention_count: '2' },
      },
    );
    expect([made.status, made.body.snapshot_retention_count]).toEqual([202, '2']);
    const list = await ok<{
      snapshot_schedule: { id: string; frequency: string; hour: string; day_of_week: string | null }[];
      snapshot_policy_enabled: boolean;
    }>(url, `/v1/snapshot-schedules?volume_id=${vid}`);
    expect(list.snapshot_policy_enabled).toBe(true);
    const [sched] = list.snapshot_schedule;
    expect(sched).toMatchObject({ frequency: 'DAILY', hour: '3', day_of_week: null });
    const set = await call(url, `/v1/snapshot-schedules/${sched.id}?volume_id=${vid}`, {
      method: 'PUT',
      body: { snapshot_schedule: { frequency: 'WEEKLY', hour: '23', day_of_week: 'SUN' } },
    });
    expect(set.status).toBe(202);
    const clock = s.regions[0].context.schedules;
    for (let i = 0; i < 3; i++) {
      clock.fire(sched.id);
      await settle(url);
    }
    // Three firings, retention 2: the oldest scheduled snapshot went.
    expect((await snaps(vid)).map((x) => x.state)).toEqual(['available', 'available']);
    expect((await call(url, `/v1/snapshot-schedules/${sched.id}?volume_id=${vid}`, { method: 'DELETE' })).status).toBe(
      202,
    );
    expect(
      (await ok<{ snapshot_schedule: unknown[] }>(url, `/v1/snapshot-schedules?volume_id=${vid}`)).snapshot_schedule,
    ).toEqual([]);
  });
});
