// The SCP wire client: the session's credentials as SCP's key (`<account id>/<access key>`, secret key), every call
// signed with a fresh timestamp and pinned to filestorage 1.1, the service's errors as the contract's, and 202
// operations waited for no longer than the call budget.
import { keyOf, signature } from '../../plugins/scp/client';
import { fromScp, scpVolumeName } from '../../plugins/scp/mapper';
import { ScpApiError } from '../../plugins/scp/errors';
import { StorageError } from '../../src/domain/errors';
import { CREDS, READ_ONLY_CREDS, driver, proxy, rig } from './adapter-helpers';
import { KEY, sdkSignature, startTwoRegions, volume } from './sim-helpers';

describe('SCP adapter: credentials and signing', () => {
  it('signs the URL as the SDK does, a default port left out as the Host header leaves it out', () => {
    const ts = '1605290625682';
    const key = keyOf(CREDS.username, CREDS.password);
    expect(signature('GET', 'https://fs.kr-west1.e.example.com:443/v1/volumes?limit=1', ts, key)).toBe(
      sdkSignature('GET', 'https://fs.kr-west1.e.example.com/v1/volumes?limit=1', ts, KEY),
    );
    expect(signature('PUT', 'http://127.0.0.1:8903/v1/snapshots/s/restore?volume_id=v', ts, key)).toBe(
      sdkSignature('PUT', 'http://127.0.0.1:8903/v1/snapshots/s/restore?volume_id=v', ts, KEY),
    );
  });

  it.each([
    ['a user name that is not <account id>/<access key>', { username: KEY.accessKey, password: KEY.secretKey }],
    ['an empty secret key', { username: CREDS.username, password: '' }],
  ])('refuses %s before any call, saying what the credentials are', async (_what, creds) => {
    await expect(driver().login({ ipAddress: '127.0.0.1', port: 9 }, creds)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/<account id>\/<access key>/),
    });
  });

  describe('against the simulator', () => {
    let sim: Awaited<ReturnType<typeof startTwoRegions>>;
    beforeAll(async () => (sim = await startTwoRegions({ opDelayMs: 0 })));
    afterAll(() => sim.close());
    const target = () => ({ ipAddress: '127.0.0.1', port: sim.regions[0].port });

    it.each([
      ['a wrong secret key', { ...CREDS, password: 'wrong' }],
      ['an unknown access key', { ...CREDS, username: `${KEY.accountId}/AKnobody` }],
      ['another account', { ...CREDS, username: `someoneelse0000000000000000000000/${KEY.accessKey}` }],
    ])('login with %s answers UNAUTHORIZED', async (_what, creds) => {
      await expect(driver().login(target(), creds)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('login is one signed read; every call is signed as the SDK signs it and carries Scp-Api-Version filestorage 1.1', async () => {
      const p = await proxy(sim.url);
      try {
        const d = driver();
        const t = { ipAddress: '127.0.0.1', port: p.port };
        const identity = await d.login(t, CREDS);
        expect(p.seen).toHaveLength(1);
        expect(p.seen[0]).toMatchObject({ method: 'GET', url: '/v1/volumes?limit=1&offset=0&sort=created_at%3Aasc' });
        const conn = d.connect(t, CREDS, identity);
        await conn.listVolumes('0', { start: 0 });
        await conn.listVolumes('0', { start: 0 });
        for (const r of p.seen) {
          expect(r.headers).toMatchObject({
            'scp-accesskey': KEY.accessKey,
            'scp-accountid': KEY.accountId,
            'scp-clienttype': 'Openapi',
            'scp-api-version': 'filestorage 1.1',
            'scp-timestamp': expect.stringMatching(/^\d{13}$/),
          });
          expect(r.headers).not.toHaveProperty('authorization');
          // The signature is the SDK's over the URL called (the proxy's origin), with the call's own timestamp.
          const url = `http://127.0.0.1:${p.port}${r.url}`;
          expect(r.headers['scp-signature']).toBe(sdkSignature(r.method, url, String(r.headers['scp-timestamp']), KEY));
        }
        await d.close();
      } finally {
        await p.close();
      }
    });

    it('a read-only key logs in, and a change is FORBIDDEN', async () => {
      const d = driver();
      const vid = await volume(sim.url, 'ro_target');
      const conn = d.connect(target(), READ_ONLY_CREDS, await d.login(target(), READ_ONLY_CREDS));
      await expect(conn.createSnapshot('0', vid, { name: 'nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await d.close();
    });
  });
});

describe('SCP adapter: the service’s errors and names', () => {
  it('maps each documented status to the contract’s error, a 400 with the fields it names', () => {
    const e400 = fromScp(
      new ScpApiError(400, 'x', [{ loc: ['body', 'name'], msg: 'bad', type_: 'string_pattern_mismatch' }]),
    );
    expect(e400).toMatchObject({ code: 'INVALID_ARGUMENT', details: [{ path: 'name', message: 'bad' }] });
    const codes = [401, 403, 404, 409, 410, 503].map((s) => (fromScp(new ScpApiError(s, 'm')) as StorageError).code);
    expect(codes).toEqual([
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'BACKEND_ERROR',
      'BACKEND_UNAVAILABLE',
    ]);
    expect(fromScp(new ScpApiError(404, 'm'), { kind: 'volume', id: 'v1' })).toMatchObject({
      message: "volume 'v1' does not exist",
    });
  });

  it.each([
    ['vol1-clone', 'vol1_clone'],
    ['conf_clone_12345_3', 'conf_clone_12345_3'],
    ['Payroll DB (daily)', 'payroll_db_daily'],
    ['1st', 'v1st'],
    ['x', 'x__'],
    ['cdmct_a1b2c3_restore_to_new_volume7', 'cdmct_a1b2c3_restore_'],
  ])('asks the service for a name it accepts: %s -> %s', (cdm, asked) => {
    expect(scpVolumeName(cdm)).toBe(asked);
    expect(asked).toMatch(/^[a-z]([a-z0-9_]){2,20}$/);
  });
});

describe('SCP adapter: 202 operations within the call budget', () => {
  it('answers BACKEND_TIMEOUT (504) saying the operation goes on when it does not settle in time', async () => {
    const r = await rig({ opDelayMs: 60_000, timeoutMs: 300 });
    try {
      const vid = await volume(r.west, 'slow_vol');
      const err = await r.conn.createSnapshot('0', vid, { name: 'slow' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BACKEND_TIMEOUT', message: expect.stringMatching(/goes on/) });
      // It did go on: the service has the snapshot, creating.
      const snaps = await r.conn.listSnapshots('0', vid, { start: 0 });
      expect(snaps.map((s) => s.name)).toEqual(['slow']);
    } finally {
      await r.close();
    }
  });
});
