import net from 'node:net';
import element from '../../plugins/element';
import { negotiateVersion } from '../../plugins/element/api';
import { ElementClient } from '../../plugins/element/client';
import { ElementApiError } from '../../plugins/element/errors';
import { fromElement } from '../../plugins/element/mapper';
import { createAgent } from '../../plugins/shared/http';
import { StorageError } from '../../src/domain/errors';
import { silentLogger } from '../../src/logs/logger';
import { type Adapter, CREDS, cdmName, startAdapter } from './adapter-helpers';
import { MiB } from './sim-helpers';

const codeOf = (e: unknown) => (e instanceof StorageError ? e.code : e);

describe('Element adapter: the JSON-RPC client against the simulator', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await startAdapter({
      admins: [
        { username: 'admin', password: 'simulator', access: 'administrator' },
        { username: 'viewer', password: 'viewer-password', access: 'read' },
      ],
    });
  });
  afterAll(() => a.close());
  afterEach(() => a.sim.sim('DELETE', '/faults'));

  const snapshotsNamed = async (volumeID: number, name: string) =>
    (await a.sim.ok('ListSnapshots', { volumeID })).snapshots.filter((s: { name: string }) => s.name === name).length;

  it('asks GetAPI on 7.0 first and then speaks 12.3, the version it is written for', async () => {
    const agent = createAgent({ connectTimeoutMs: 1000, tlsInsecure: false });
    try {
      const client: ElementClient = new ElementClient({
        origin: a.sim.url,
        ...CREDS,
        dispatcher: agent,
        timeoutMs: 2000,
        version: async () => '7.0',
      });
      expect(await negotiateVersion(client)).toBe('12.3');
      // On 7.0 the newer methods do not exist: the negotiated version matters.
      await expect(client.call('CopyVolume', { volumeID: 1, dstVolumeID: 2 })).rejects.toMatchObject({
        errorName: 'xUnknownAPIMethod',
      });
    } finally {
      await agent.close();
    }
  });

  it('wrong credentials are UNAUTHORIZED (the 401 page is never parsed as JSON)', async () => {
    await expect(a.driver.login(a.target, { username: 'admin', password: 'nope' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('a read-only cluster admin logs in and reads, and is FORBIDDEN to change anything', async () => {
    const viewer = { username: 'viewer', password: 'viewer-password' };
    const conn = a.driver.connect(a.target, viewer, await a.driver.login(a.target, viewer));
    const v = await a.sim.volume(cdmName('ro').replace(/_/g, '-'), MiB);
    expect((await conn.getVolume('0', String(v))).id).toBe(String(v));
    await expect(conn.createSnapshot('0', String(v), { name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a "try again" answer (xDBVersionMismatch) is retried, even for a create, which then happens exactly once', async () => {
    const v = await a.sim.volume('retry-create', MiB);
    await a.sim.sim('POST', '/faults', { failNext: 2, failStatus: 200 });
    await a.conn.createSnapshot('0', String(v), { name: 'after-two-refusals' });
    expect(await snapshotsNamed(v, 'after-two-refusals')).toBe(1);
  });

  it('a cluster that keeps saying "try again" ends as BACKEND_UNAVAILABLE, with nothing made', async () => {
    const v = await a.sim.volume('retry-give-up', MiB);
    await a.sim.sim('POST', '/faults', { failNext: 50, failStatus: 200 });
    const err = await a.conn.getVolume('0', String(v)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BACKEND_UNAVAILABLE', retryAfter: 5 });
  });

  it('an HTTP 503 is retried for a read, but a create is not sent twice', async () => {
    const v = await a.sim.volume('http-503', MiB);
    await a.sim.sim('POST', '/faults', { failNext: 1, failStatus: 503 });
    expect((await a.conn.getVolume('0', String(v))).id).toBe(String(v));
    // The snapshot's own checks are reads (retried): the refused call here is the CreateSnapshot itself.
    const api = a.api();
    await api.clusterInfo();
    await a.sim.sim('POST', '/faults', { failNext: 1, failStatus: 503 });
    expect(codeOf(await api.createSnapshot(v, 'refused-once').catch((e: unknown) => e))).toBe('BACKEND_UNAVAILABLE');
    expect(await snapshotsNamed(v, 'refused-once')).toBe(0);
  });

  it('a dropped connection is retried for a read; a create whose answer was lost is not sent again', async () => {
    const v = await a.sim.volume('dropped', MiB);
    await a.sim.sim('POST', '/faults', { dropNext: 1 });
    expect(await a.conn.listSnapshots('0', String(v), { start: 0 })).toEqual([]);
    const api = a.api();
    await api.clusterInfo();
    await a.sim.sim('POST', '/faults', { dropNext: 1 });
    expect(codeOf(await api.createSnapshot(v, 'maybe').catch((e: unknown) => e))).toBe('BACKEND_ERROR');
    expect(await snapshotsNamed(v, 'maybe')).toBe(0);
  });

  it('a garbled answer is BACKEND_ERROR, an answer that never comes is BACKEND_TIMEOUT within the budget', async () => {
    const v = await a.sim.volume('garbled', MiB);
    await a.sim.sim('POST', '/faults', { garbleNext: 1 });
    expect(codeOf(await a.conn.getVolume('0', String(v)).catch((e: unknown) => e))).toBe('BACKEND_ERROR');
    const quick = a.connectWith({}, 300);
    await quick.getVolume('0', String(v));
    await a.sim.sim('POST', '/faults', { hangNext: 1 });
    const started = Date.now();
    expect(codeOf(await quick.createSnapshot('0', String(v), { name: 'hung' }).catch((e: unknown) => e))).toBe(
      'BACKEND_TIMEOUT',
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('nothing listening at the address is BACKEND_UNAVAILABLE', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const driver = element.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 2000,
      connectTimeoutMs: 1000,
      logger: silentLogger(),
    });
    await expect(driver.login({ ipAddress: '127.0.0.1', port }, CREDS)).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
    });
    await driver.close();
  });

  it('logs method names and timings, never the password or the Authorization header', async () => {
    await a.conn.listVolumes('0', { start: 0 });
    const text = a.logs.join('');
    expect(text).toContain('"method":"ListActiveVolumes"');
    expect(text).not.toContain('simulator');
    expect(text).not.toContain(Buffer.from('admin:simulator').toString('base64'));
  });
});

describe('Element adapter: Element error names as domain errors', () => {
  const as = (name: string, what?: { kind: string; id: string }) =>
    fromElement(new ElementApiError(name, 'said so', 500), what) as StorageError;

  it.each([
    ['xVolumeIDDoesNotExist', 'NOT_FOUND'],
    ['xSnapshotIDDoesNotExist', 'NOT_FOUND'],
    // Trident spells this one with a lowercase "d": both are recognised.
    ['xVolumeAccessGroupIdDoesNotExist', 'NOT_FOUND'],
    ['xUnknownAccount', 'NOT_FOUND'],
    ['xMissingParameter', 'INVALID_ARGUMENT'],
    ['xInvalidParameter', 'INVALID_ARGUMENT'],
    ['xExceededLimit', 'INVALID_ARGUMENT'],
    ['xPermissionDenied', 'FORBIDDEN'],
    ['xCloneInProgress', 'CONFLICT'],
    ['xInitiatorExists', 'CONFLICT'],
    ['xClusterFull', 'INSUFFICIENT_SPACE'],
    ['xDBVersionMismatch', 'BACKEND_UNAVAILABLE'],
    ['xUnknownAPIMethod', 'BACKEND_ERROR'],
    ['xSomethingNew', 'BACKEND_ERROR'],
  ])('%s is %s', (name, code) => {
    expect(as(name).code).toBe(code);
  });

  it('"does not exist" names the object the call was about', () => {
    expect(as('xVolumeIDDoesNotExist', { kind: 'volume', id: '42' }).message).toBe("volume '42' does not exist");
  });
});
