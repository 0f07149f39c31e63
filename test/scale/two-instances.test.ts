/** Two plugin processes on different ports sharing one Redis: any instance answers any request. */
import { simulatorNamed, startPartner } from '../../simulators';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { backendNamed } from '../../plugins';
import type { ArrayFixture, RunningSimulator } from '../../simulators';
import { faults } from '../helpers/faults';
import { type PluginProcess, spawnPlugin, waitForOutput } from '../helpers/process';
import { freePort } from '../helpers/redis-server';

interface Instance {
  proc: PluginProcess;
  api: string;
}

async function call(inst: Instance, method: 'GET' | 'POST' | 'DELETE', path: string, sid?: string, body?: object) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (sid) headers['x-storageplugin-sessionid'] = sid;
  if (body) headers['content-type'] = 'application/json';
  if (!sid && path === '/session') headers.authorization = `Basic ${Buffer.from('admin:simulator').toString('base64')}`;
  const res = await request(inst.api + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe('scale-out: two plugin instances behind one Redis', () => {
  const backend = backendNamed('vsnap');
  const kit = simulatorNamed(backend.name);
  let sim: RunningSimulator;
  let fixture: ArrayFixture;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    sim = await kit.start({ port: 0, demo: false });
    fixture = kit.fixture(sim.url);
    const key = randomBytes(32).toString('hex');
    const start = async (): Promise<Instance> => {
      const port = await freePort();
      // Other suites log in from the same address to the same Redis: the rate limit is not under test here.
      const proc = spawnPlugin({
        PORT: String(port),
        HOST: '127.0.0.1',
        SIMULATOR: 'off',
        ARRAY_SCHEME: 'http',
        SESSION_ENCRYPTION_KEY: key,
        SESSION_RATE_LIMIT: '1000000',
        LOGIN_FAILURES_PER_CLIENT: '1000000',
        LOGIN_FAILURES_PER_ARRAY: '1000000',
      });
      await waitForOutput(proc, 'listening on http://');
      return { proc, api: `http://127.0.0.1:${port}/storageplugin/api` };
    };
    [a, b] = await Promise.all([start(), start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([a?.proc.stop(), b?.proc.stop(), fixture?.close(), sim?.close()]);
  });

  const target = () => ({ ipAddress: '127.0.0.1', port: sim.port });

  it('a session created on one instance works on the other, and logging out on one ends it on both', async () => {
    const sid = (await call(a, 'POST', '/session', undefined, target())).body.sessionId;
    expect((await call(b, 'GET', '/storage', sid)).status).toBe(200);
    expect((await call(b, 'DELETE', '/session', sid)).status).toBe(204);
    expect((await call(a, 'GET', '/storage', sid)).status).toBe(401);
  });

  it('what one instance does, the other sees at once: a snapshot created through A is listed and deleted through B', async () => {
    const sid = (await call(a, 'POST', '/session', undefined, target())).body.sessionId;
    const vol = await fixture.createVolume({ name: 'scale_vol', type: 'lun', sizeBytes: 1 << 20 });
    const snap = await call(a, 'POST', `/server/0/volume/${vol.id}/snapshot`, sid, { name: 'through_a' });
    expect(snap.status).toBe(201);
    const listed = await call(b, 'GET', `/server/0/volume/${vol.id}/snapshot`, sid);
    expect(listed.body.snapshots.map((s: { id: string }) => s.id)).toContain(snap.body.id);
    // A repeat of the same create through B is the same create.
    expect((await call(b, 'POST', `/server/0/volume/${vol.id}/snapshot`, sid, { name: 'through_a' })).body.id).toBe(
      snap.body.id,
    );
    expect((await call(b, 'DELETE', `/server/0/volume/${vol.id}/snapshot/${snap.body.id}`, sid)).status).toBe(204);
  });

  it('a volume busy with a restore through A answers 409 to a delete through B, at once', async () => {
    const sid = (await call(a, 'POST', '/session', undefined, target())).body.sessionId;
    const vol = await fixture.createVolume({ name: 'scale_busy', type: 'lun', sizeBytes: 1 << 20 });
    const snap = (await call(a, 'POST', `/server/0/volume/${vol.id}/snapshot`, sid, { name: 's' })).body;
    // Every array call now takes 400 ms: the restore through A holds the volume for a while.
    await faults({ sim, kit }, { latencyMs: 400 });
    try {
      const restore = call(a, 'POST', `/server/0/volume/${vol.id}?action=restore`, sid, { snapshotId: snap.id });
      await new Promise((r) => setTimeout(r, 150));
      const started = Date.now();
      const del = await call(b, 'DELETE', `/server/0/volume/${vol.id}`, sid);
      expect([del.status, del.body.error.type]).toEqual([409, 'CONFLICT']);
      expect(Date.now() - started).toBeLessThan(300);
      expect((await restore).status).toBe(200);
    } finally {
      await faults({ sim, kit }, null);
    }
    expect((await call(b, 'DELETE', `/server/0/volume/${vol.id}`, sid)).status).toBe(200);
  });

  it('a replication started through A is followed to completion through B: progress lives on the arrays', async () => {
    const partner = await startPartner(kit, sim.url, 0, { demo: false });
    try {
      await kit.pair!(sim.url, partner.url);
      const sid = (await call(a, 'POST', '/session', undefined, target())).body.sessionId;
      const vol = await fixture.createVolume({ name: 'scale_repl', type: 'filesystem', sizeBytes: 1 << 20 });
      await fixture.write(vol.id, randomBytes(256 * 1024));
      await fixture.protect!(vol.id, partner.url);
      // Slow enough that the transfer is still running when B is first asked.
      await faults({ sim, kit }, { replicationRate: 256 * 1024 });
      const snap = await call(a, 'POST', `/server/0/volume/${vol.id}/snapshot`, sid, {
        name: 'repl_through_a',
        replicate: true,
      });
      expect(snap.status).toBe(201);
      const states: string[] = [];
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await call(
          b,
          'POST',
          `/server/0/volume/${vol.id}/snapshot/${snap.body.id}?action=get-Progress`,
          sid,
          {},
        );
        expect(res.status).toBe(200);
        states.push(res.body.snapshotReplicationStatus.state);
        if (!res.body.snapshotReplicationStatus.inProgress) break;
        if (Date.now() > deadline) throw new Error(`still ${states[states.length - 1]}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(states).toContain('transferring');
      expect(states[states.length - 1]).toBe('completed');
    } finally {
      await faults({ sim, kit }, null);
      await partner.close();
    }
  }, 30_000);
});
