// The errors the filestorage OpenAPI documents, with its bodies: 400 is a list of ValidationErrorModel (loc, msg,
// type_) naming every problem; 401, 403, 404, 409, 410 and 503 carry {detail}.
import { request } from 'undici';
import { type RunningScpSimulator } from '../../simulators/scp/server';
import { KEY, call, ok, sdkSignature, settle, sim, startTwoRegions, volume } from './sim-helpers';

type Errors = { loc: string[]; msg: string; type_: string }[];

describe('SCP simulator: documented errors', () => {
  let s: RunningScpSimulator;
  let url: string;
  let vid: string;
  beforeAll(async () => {
    s = await startTwoRegions();
    url = s.url;
    vid = await volume(url, 'err_vol');
  });
  afterAll(() => s.close());

  const locs = (body: Errors) => body.map((e) => [e.loc.join('.'), e.type_]);

  it.each<[string, string, 'GET' | 'POST' | 'PUT', unknown, [string, string][]]>([
    [
      'a volume with a bad name, protocol and type',
      '/v1/volumes',
      'POST',
      { name: 'Bad-Name', protocol: 'SMB', type_name: 'NVMe' },
      [
        ['body.name', 'string_pattern_mismatch'],
        ['body.protocol', 'string_pattern_mismatch'],
        ['body.type_name', 'string_pattern_mismatch'],
      ],
    ],
    [
      'a volume named too short, and nothing else',
      '/v1/volumes',
      'POST',
      { name: 'ab' },
      [
        ['body.name', 'string_pattern_mismatch'],
        ['body.protocol', 'missing'],
        ['body.type_name', 'missing'],
      ],
    ],
    [
      'a CIFS volume without a password',
      '/v1/volumes',
      'POST',
      { name: 'cifs_vol', protocol: 'CIFS', type_name: 'HDD' },
      [['body.cifs_password', 'missing']],
    ],
    [
      'a volume with 51 tags',
      '/v1/volumes',
      'POST',
      {
        name: 'tagged',
        protocol: 'NFS',
        type_name: 'HDD',
        tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}` })),
      },
      [['body.tags', 'too_long']],
    ],
    [
      'a list with a limit that is no number',
      '/v1/volumes?limit=many&sort=size',
      'GET',
      undefined,
      [
        ['query.limit', 'int_parsing'],
        ['query.sort', 'string_pattern_mismatch'],
      ],
    ],
    ['snapshots without volume_id', '/v1/snapshots', 'GET', undefined, [['query.volume_id', 'missing']]],
    ['a snapshot without a body', '/v1/snapshots', 'POST', undefined, [['body', 'missing']]],
    [
      'an access rule with a bad action and object type',
      '/v1/volumes/{vid}/access-rules',
      'PUT',
      { action: 'grant', object_type: 'LAPTOP', object_id: 'x' },
      [
        ['body.action', 'string_pattern_mismatch'],
        ['body.object_type', 'string_pattern_mismatch'],
      ],
    ],
    [
      'a replication with a bad frequency and type',
      '/v1/replications',
      'POST',
      {
        name: 'rep_bad',
        region: 'kr-east1',
        replication_frequency: 'yearly',
        replication_type: 'mirror',
        volume_id: '{vid}',
      },
      [
        ['body.replication_frequency', 'string_pattern_mismatch'],
        ['body.replication_type', 'string_pattern_mismatch'],
      ],
    ],
    [
      'replication regions without their parameters',
      '/v1/replications/regions',
      'GET',
      undefined,
      [
        ['query.type_name', 'missing'],
        ['query.source_region_name', 'missing'],
        ['query.replication_type', 'missing'],
      ],
    ],
    [
      'a schedule at hour 24 on no day',
      '/v1/snapshot-schedules',
      'POST',
      { volume_id: '{vid}', snapshot_schedule: { frequency: 'WEEKLY', hour: '24' } },
      [
        ['body.snapshot_schedule.hour', 'string_pattern_mismatch'],
        ['body.snapshot_schedule.day_of_week', 'missing'],
      ],
    ],
    ['a body that is not JSON', '/v1/volumes', 'POST', '{not json', [['body', 'json_invalid']]],
  ])('400 for %s, naming each problem', async (_what, path, method, body, expected) => {
    const fill = (x: string) => x.replace('{vid}', vid);
    const res =
      typeof body === 'string'
        ? await rawPost(fill(path), body)
        : await call<Errors>(url, fill(path), {
            method,
            body: body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body))),
          });
    expect(res.status).toBe(400);
    expect(locs(res.body)).toEqual(expected);
    for (const e of res.body) expect(e.msg).toEqual(expect.stringMatching(/\S/));
  });

  /** A POST whose body is raw text, signed like any call (the body is not signed). */
  async function rawPost(path: string, text: string): Promise<{ status: number; body: Errors }> {
    const ts = String(Date.now());
    const r = await request(`${url}${path}`, {
      method: 'POST',
      headers: {
        'Scp-AccessKey': KEY.accessKey,
        'Scp-AccountId': KEY.accountId,
        'Scp-Timestamp': ts,
        'Scp-ClientType': 'Openapi',
        'Scp-Signature': sdkSignature('POST', `${url}${path}`, ts, KEY),
        'Content-Type': 'application/json',
      },
      body: text,
    });
    return { status: r.statusCode, body: JSON.parse(await r.body.text()) as Errors };
  }

  it.each<[string, string, 'GET' | 'POST' | 'PUT' | 'DELETE', unknown]>([
    ['an unknown volume', '/v1/volumes/no-such-volume', 'GET', undefined],
    ['deleting an unknown volume', '/v1/volumes/no-such-volume', 'DELETE', undefined],
    ['the access rules of an unknown volume', '/v1/volumes/no-such-volume/access-rules', 'GET', undefined],
    ['a snapshot of an unknown volume', '/v1/snapshots', 'POST', { volume_id: 'no-such-volume' }],
    ['deleting an unknown snapshot', '/v1/snapshots/no-such-snapshot?volume_id={vid}', 'DELETE', undefined],
    ['restoring from an unknown snapshot', '/v1/snapshots/no-such-snapshot/restore?volume_id={vid}', 'PUT', undefined],
    [
      'a volume made from an unknown snapshot',
      '/v1/volumes',
      'POST',
      {
        name: 'from_nothing',
        protocol: 'NFS',
        type_name: 'HDD',
        snapshot_id: 'no-such-snapshot',
      },
    ],
    ['an unknown replication', '/v1/replications/no-such-replication?volume_id={vid}', 'GET', undefined],
    [
      'a replication to an unknown region',
      '/v1/replications',
      'POST',
      {
        name: 'rep_nowhere',
        region: 'eu-nowhere1',
        replication_frequency: 'daily',
        replication_type: 'replication',
        volume_id: '{vid}',
      },
    ],
    ['an unknown schedule', '/v1/snapshot-schedules/no-such-schedule?volume_id={vid}', 'DELETE', undefined],
    ['an unknown path', '/v1/teapots', 'GET', undefined],
  ])('404 for %s, with a detail', async (_what, path, method, body) => {
    const fill = (x: string) => x.replace('{vid}', vid);
    const res = await call<{ detail: string }>(url, fill(path), {
      method,
      body: body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body))),
    });
    expect([res.status, res.body.detail]).toEqual([404, expect.stringMatching(/\S/)]);
  });

  it('a snapshot of another volume is not found at this volume', async () => {
    const other = await volume(url, 'err_other');
    const snap = (
      await ok<{ snapshot: { id: string } }>(url, '/v1/snapshots', { method: 'POST', body: { volume_id: other } })
    ).snapshot;
    await settle(url);
    expect((await call(url, `/v1/snapshots/${snap.id}?volume_id=${vid}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(url, `/v1/snapshots/${snap.id}/restore?volume_id=${vid}`, { method: 'PUT' })).status).toBe(404);
  });

  it('409 for a second replication of a volume, and for a HighPerformanceSSD volume', async () => {
    const body = (volume_id: string, name: string) => ({
      name,
      region: 'kr-east1',
      replication_frequency: '5min',
      replication_type: 'replication',
      volume_id,
    });
    expect((await call(url, '/v1/replications', { method: 'POST', body: body(vid, 'rep_one') })).status).toBe(202);
    const twice = await call<{ detail: string }>(url, '/v1/replications', {
      method: 'POST',
      body: body(vid, 'rep_two'),
    });
    expect([twice.status, twice.body.detail]).toEqual([409, expect.stringMatching(/already has replication/)]);
    const fast = await volume(url, 'err_fast', { type_name: 'HighPerformanceSSD' });
    const res = await call<{ detail: string }>(url, '/v1/replications', {
      method: 'POST',
      body: body(fast, 'rep_fast'),
    });
    expect([res.status, res.body.detail]).toEqual([409, expect.stringMatching(/does not replicate/)]);
  });

  it('injected failures answer in the API’s shape: a list for 400, {detail} otherwise', async () => {
    await sim(url, 'POST', '/sim/faults', { failNext: 1, failStatus: 500 });
    const e500 = await call<{ detail: string }>(url, '/v1/volumes');
    expect([e500.status, e500.body.detail]).toEqual([500, expect.stringMatching(/fault injection/)]);
    await sim(url, 'POST', '/sim/faults', { failNext: 1, failStatus: 400 });
    const e400 = await call<Errors>(url, '/v1/volumes');
    expect([e400.status, Array.isArray(e400.body)]).toEqual([400, true]);
    expect((await call(url, '/v1/volumes')).status).toBe(200);
  });

  it('the data plane wants the account key as Basic credentials', async () => {
    const res = await request(`${url}/sim/volume/${vid}/data`);
    expect(res.statusCode).toBe(401);
    await res.body.dump();
  });
});
