// Scp-Api-Version chooses the version per request: none is the current 1.1, an unknown one is a 400, and 1.0 is
// served until its "supported until" day (2025-12-31) ends, with 1.0's own schemas, then refused with 410.
import { type RunningScpSimulator } from '../../simulators/scp/server';
import { call, ok, startTwoRegions, volume } from './sim-helpers';

const DAY = 24 * 3600 * 1000;

describe('SCP simulator: API versions', () => {
  let now = Date.now();
  let s: RunningScpSimulator;
  let url: string;
  let vid: string;
  beforeAll(async () => {
    s = await startTwoRegions({ now: () => now, opDelayMs: 0 });
    url = s.url;
    vid = await volume(url);
  });
  afterAll(() => s.close());
  afterEach(() => (now = Date.now()));

  it('answers a call without Scp-Api-Version with the current version, 1.1', async () => {
    const v = await ok<Record<string, unknown>>(url, `/v1/volumes/${vid}`, { version: null });
    expect(v).not.toHaveProperty('endpoint_path');
    expect(v).toMatchObject({ id: vid, state: 'available', encryption_enabled: true });
  });

  it('refuses filestorage 1.0 today (its support ended on 2025-12-31) with 410 saying which version to use', async () => {
    const res = await call<{ detail: string }>(url, `/v1/volumes/${vid}`, { version: 'filestorage 1.0' });
    expect(res.status).toBe(410);
    expect(res.body.detail).toMatch(/1\.0 .*supported until 2025-12-31.*filestorage 1\.1/);
  });

  it.each(['filestorage 9.9', 'blockstorage 1.1', 'filestorage', '1.1'])(
    'answers an unknown version (%s) with 400 and a ValidationErrorModel list',
    async (version) => {
      const res = await call<{ loc: string[]; msg: string; type_: string }[]>(url, '/v1/volumes', { version });
      expect(res.status).toBe(400);
      expect(res.body).toEqual([
        expect.objectContaining({ loc: ['header', 'Scp-Api-Version'], type_: 'value_error.api_version' }),
      ]);
      expect(res.body[0].msg).toMatch(/1\.0, 1\.1|1\.1, 1\.0/);
    },
  );

  it('served 1.0 through its last day, with the 1.0 schemas, and refuses it from the next day on', async () => {
    const lastDay = Date.parse('2025-12-31T23:59:00Z');
    now = lastDay;
    const v = await ok<Record<string, unknown>>(url, `/v1/volumes/${vid}`, {
      version: 'filestorage 1.0',
      timestamp: now,
    });
    // 1.0's VolumeShowResponse still had endpoint_path.
    expect(v.endpoint_path).toEqual(expect.any(String));
    // 1.0 set the schedule with modify_schedule; 1.1 calls it frequency.
    const rep = await ok<{ replication_id: string }>(url, '/v1/replications', {
      method: 'POST',
      version: 'filestorage 1.0',
      timestamp: now,
      body: {
        name: 'rep_v10',
        region: 'kr-east1',
        replication_frequency: 'daily',
        replication_type: 'replication',
        volume_id: vid,
        backup_retention_count: 100,
      },
    });
    const set = (version: string, type: string) =>
      call(url, `/v1/replications/${rep.replication_id}?volume_id=${vid}`, {
        method: 'PUT',
        version,
        timestamp: now,
        body: { replication_update_type: type, replication_frequency: 'weekly' },
      });
    expect((await set('filestorage 1.0', 'modify_schedule')).status).toBe(200);
    expect((await set('filestorage 1.0', 'frequency')).status).toBe(400);
    expect((await set('filestorage 1.1', 'frequency')).status).toBe(200);
    expect((await set('filestorage 1.1', 'modify_schedule')).status).toBe(400);
    const shown = await ok<Record<string, unknown>>(url, `/v1/replications/${rep.replication_id}?volume_id=${vid}`, {
      version: 'filestorage 1.0',
      timestamp: now,
    });
    expect(shown).toHaveProperty('backup_retention_count');
    expect(shown.replication_frequency).toBe('weekly');

    now = lastDay + DAY;
    const res = await call(url, `/v1/volumes/${vid}`, { version: 'filestorage 1.0', timestamp: now });
    expect(res.status).toBe(410);
  });

  it('1.1 keeps at most 2 backups where 1.0 kept up to 128', async () => {
    const res = await call<{ loc: string[]; type_: string }[]>(url, '/v1/replications', {
      method: 'POST',
      body: {
        name: 'bk_v11',
        region: 'kr-east1',
        replication_frequency: 'daily',
        replication_type: 'backup',
        volume_id: vid,
        backup_retention_count: 3,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      expect.objectContaining({ loc: ['body', 'backup_retention_count'], type_: 'less_than_equal' }),
    ]);
  });
});
