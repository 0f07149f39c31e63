import { type Sim, startSim } from './sim-helpers';

describe('Element simulator: the JSON-RPC envelope and its errors', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim({
      admins: [
        { username: 'admin', password: 'simulator', access: 'administrator' },
        { username: 'auditor', password: 'readonly-pw', access: 'read' },
      ],
    });
  });
  afterAll(() => sim.close());

  it('GetAPI on 7.0 tells a client which version to switch to, as the SDK expects', async () => {
    const r = await sim.rpc('GetAPI', {}, { version: '7.0' });
    expect(r.status).toBe(200);
    // Numbers, as Element answers them.
    expect(r.body).toMatchObject({ id: 1, result: { currentVersion: 12.3 } });
    expect(r.body.result.supportedVersions).toEqual(expect.arrayContaining([7, 8, 11, 12.3]));
    expect(r.body.result.supportedVersions.every((v: unknown) => typeof v === 'number')).toBe(true);
  });

  it.each(['7.0', '8.0', '11.0', '12.3', '12.3/', '8.0/'])('answers on /json-rpc/%s', async (version) => {
    const r = await sim.rpc('GetClusterInfo', {}, { version });
    expect([r.status, typeof r.body.result.clusterInfo.uniqueID]).toEqual([200, 'string']);
  });

  it('echoes the request id, and answers id null when the client sent none', async () => {
    expect((await sim.rpc('GetAPI', {}, { id: 'abc-7' })).body.id).toBe('abc-7');
    const r = await sim.rpc('GetAPI', {}, { raw: JSON.stringify({ method: 'GetAPI', params: {} }) });
    expect(r.body).toMatchObject({ id: null, result: { currentVersion: 12.3 } });
  });

  it('parses the body as JSON whatever the Content-Type says, or when there is none', async () => {
    const raw = JSON.stringify({ method: 'GetClusterCapacity', params: {}, id: 3 });
    expect((await sim.rpc('', {}, { raw })).body.result.clusterCapacity.maxUsedSpace).toBeGreaterThan(0);
    expect((await sim.rpc('', {}, { raw, headers: { 'content-type': 'text/plain' } })).body.id).toBe(3);
    expect(
      (await sim.rpc('', {}, { raw, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status,
    ).toBe(200);
  });

  it('an unknown method is an error of HTTP 200 named xUnknownAPIMethod, with code 500', async () => {
    const r = await sim.rpc('ExplodeCluster');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: 1,
      error: { code: 500, name: 'xUnknownAPIMethod', message: expect.stringContaining('ExplodeCluster') },
    });
  });

  it('a method newer than the endpoint version does not exist there', async () => {
    expect((await sim.rpc('CopyVolume', { volumeID: 1, dstVolumeID: 2 }, { version: '8.0' })).body.error.name).toBe(
      'xUnknownAPIMethod',
    );
    expect((await sim.rpc('CopyVolume', { volumeID: 1, dstVolumeID: 2 }, { version: '12.3' })).body.error.name).toBe(
      'xVolumeIDDoesNotExist',
    );
  });

  it('an unknown version is xUnknownAPIVersion, a path without a version is a 404', async () => {
    expect((await sim.rpc('GetAPI', {}, { version: '99.0' })).body.error.name).toBe('xUnknownAPIVersion');
    expect((await sim.rpc('GetAPI', {}, { version: 'latest' })).status).toBe(404);
  });

  it('missing, mistyped and invalid parameters have their own names', async () => {
    expect((await sim.err('GetVolumeStats', {})).name).toBe('xMissingParameter');
    expect((await sim.err('GetVolumeStats', { volumeID: 'seven' })).name).toBe('xInvalidParameterType');
    expect((await sim.err('ListAsyncResults', { asyncResultTypes: ['Teleport'] })).name).toBe('xInvalidParameter');
    expect((await sim.err('GetVolumeStats', { volumeID: 4242 })).name).toBe('xVolumeIDDoesNotExist');
    expect((await sim.err('ListSnapshots', { volumeID: 4242 })).message).toContain('4242');
  });

  it('a body that is not a request is answered as a JSON-RPC error, not dropped', async () => {
    expect((await sim.rpc('', {}, { raw: '{"method": ' })).body).toMatchObject({
      id: null,
      error: { name: 'xInvalidRequest' },
    });
    expect((await sim.rpc('', {}, { raw: '[1,2]' })).body.error.name).toBe('xInvalidRequest');
    expect(
      (await sim.rpc('', {}, { raw: JSON.stringify({ method: 'GetAPI', params: [1], id: 9 }) })).body,
    ).toMatchObject({ id: 9, error: { name: 'xInvalidParameter' } });
  });

  it('only authentication failures are HTTP 401, with an HTML page and a Basic challenge', async () => {
    for (const auth of [null, { user: 'admin', password: 'wrong' }, { user: 'nobody', password: 'simulator' }]) {
      const r = await sim.rpc('GetAPI', {}, { auth });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Basic/);
      expect(r.text).toMatch(/<html>/);
    }
  });

  it('a read-only cluster admin may list but not change anything', async () => {
    const auditor = { user: 'auditor', password: 'readonly-pw' };
    expect((await sim.rpc('ListActiveVolumes', {}, { auth: auditor })).body.result.volumes).toEqual([]);
    const r = await sim.rpc('AddAccount', { username: 'sneaky' }, { auth: auditor });
    expect([r.status, r.body.error.name]).toEqual([200, 'xPermissionDenied']);
    expect((await sim.ok('ListAccounts')).accounts.map((a: { username: string }) => a.username)).not.toContain(
      'sneaky',
    );
  });

  it('JSON-RPC requests are POSTed: another verb answers 405', async () => {
    const res = await fetch(`${sim.url}/json-rpc/12.3`, {
      headers: { authorization: `Basic ${Buffer.from('admin:simulator').toString('base64')}` },
    });
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
