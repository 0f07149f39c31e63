import { closeSync, openSync, utimesSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import * as undici from 'undici';
import type { RunningSimulator } from '../../simulators';
import { forEachBackend } from '../helpers/backends';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';
import { unzip, unzipEntries } from '../helpers/zip';

/** The body of a GET /log, as a Buffer. */
const zipOf = (t: request.Test) =>
  t
    .set('accept', 'application/zip')
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });

forEachBackend('GET /log', (ctx) => {
  it('returns a zip of the plugin logs in which no password, Authorization or session id appears', async () => {
    const sid = await ctx.p.login();
    // Leave traces that must not leak: a failed login with a password, and calls with the session.
    await request(ctx.p.app)
      .post(`${API}/session`)
      .send({ ...ctx.p.target, username: 'admin', password: 'leaky-password-123' });
    await ctx.p.get('/storage', sid).expect(200);
    await new Promise((r) => setTimeout(r, 300)); // the file logger writes asynchronously
    const res = await zipOf(ctx.p.get('/log', sid)).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/zip/);
    const files = unzip(res.body as Buffer);
    expect(Object.keys(files)).toContain('plugin.log');
    const text = Object.values(files).join('\n');
    expect(text).toContain('session created');
    expect(text).toContain('"path":"/storageplugin/api/storage"');
    expect(text).not.toContain('leaky-password-123');
    expect(text).not.toContain(sid);
    expect(text).not.toContain(ctx.p.auth.split(' ')[1]);
  });

  it('accepts application/octet-stream too', async () => {
    const sid = await ctx.p.login();
    const res = await ctx.p.get('/log', sid).set('accept', 'application/octet-stream').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/octet-stream/);
  });

  it('answers 415 when the client only accepts JSON', async () => {
    const sid = await ctx.p.login();
    expect((await ctx.p.get('/log', sid).set('accept', 'application/json').expect(415)).body.error.type).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});

describe('GET /log: each caller sees its own array only', () => {
  let p: TestPlugin;
  let other: RunningSimulator;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    other = await p.kit.start({ port: 0, demo: false });
  });
  afterAll(async () => {
    await other.close();
    await p.close();
  });

  it("a session on another array sees none of the first array's lines, address or user", async () => {
    const a = await p.login();
    const b = await p.login({ ipAddress: '127.0.0.1', port: other.port });
    // A failed login on array A, and a call with session A, leave lines about A.
    await request(p.app)
      .post(`${API}/session`)
      .auth('someone-on-a', 'wrong')
      .send({ ...p.target });
    await p.get('/storage', a).expect(200);
    await p.get('/storage', b).expect(200);
    await new Promise((r) => setTimeout(r, 300));
    const seenByB = Object.values(unzip((await zipOf(p.get('/log', b)).expect(200)).body as Buffer)).join('\n');
    const seenByA = Object.values(unzip((await zipOf(p.get('/log', a)).expect(200)).body as Buffer)).join('\n');
    const labelA = `vsnap@127.0.0.1:${p.target.port}`;
    const labelB = `vsnap@127.0.0.1:${other.port}`;
    // Each sees its own array's lines...
    expect(seenByA).toContain(`"array":"${labelA}"`);
    expect(seenByA).toContain('the array refused the credentials');
    expect(seenByB).toContain(`"array":"${labelB}"`);
    // ... and nothing of the other's: not its label, not its address, not its user.
    expect(seenByB).not.toContain(labelA);
    expect(seenByB).not.toContain(`:${p.target.port}`);
    expect(seenByB).not.toContain('the array refused the credentials');
    expect(seenByB.match(/session created/g)).toHaveLength(1);
    expect(seenByA).not.toContain(labelB);
    // Every line about a session names its array: the access lines of both sessions carry one.
    for (const line of seenByA.split('\n').filter((l) => l.includes('"session":"')))
      expect(line).toContain(`"array":"${labelA}"`);
  });
});

describe('GET /log on a large log', () => {
  const CAP = 24 * 1024 ** 2;
  let p: TestPlugin;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap', { config: { logDownloadMaxBytes: CAP } });
  });
  afterAll(() => p.close());

  it('streams in bounded memory and holds the newest lines up to the cap', async () => {
    // 64 MiB of older, rotated log: the first line and the last are marked.
    const line = (n: number) =>
      `{"level":30,"time":${1_700_000_000_000 + n},"pid":1,"msg":"filler line ${String(n).padStart(9, '0')} ${'x'.repeat(120)}"}\n`;
    const perChunk = Math.floor(1024 ** 2 / line(0).length);
    const old = path.join(p.logDir, 'plugin.log.1');
    let n = 0;
    const fd = openSync(old, 'w');
    for (let c = 0; c < 64; c++) {
      let chunk = '';
      for (let i = 0; i < perChunk; i++) chunk += line(n++);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const last = n - 1;
    const hour = Date.now() / 1000 - 3600;
    utimesSync(old, hour, hour);

    const sid = await p.login();
    const server = p.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const chunks: Buffer[] = [];
    try {
      const res = await undici.request(`http://127.0.0.1:${port}${API}/log`, {
        headers: { accept: 'application/zip', 'x-storageplugin-sessionid': sid },
      });
      expect(res.statusCode).toBe(200);
      for await (const c of res.body) chunks.push(c as Buffer);
    } finally {
      clearInterval(sampler);
      await new Promise((r) => server.close(r));
    }
    const zip = Buffer.concat(chunks);
    // Read through at least 24 MiB of log; the zip itself is small (repetitive lines deflate well) and is counted in.
    if (process.env.LOG_TEST_FIGURES) console.log(`rss growth ${((peak - base) / 1024 ** 2).toFixed(1)} MiB`);
    expect(peak - base).toBeLessThan(48 * 1024 ** 2);

    const files = unzipEntries(zip);
    const older = files['plugin.log.1'];
    expect(older.length).toBeLessThanOrEqual(CAP);
    expect(older.length).toBeGreaterThan(CAP - 1024 ** 2);
    const text = older.toString();
    expect(text.startsWith('{"level":30')).toBe(true);
    expect(text).toContain(`filler line ${String(last).padStart(9, '0')}`);
    expect(text).not.toContain(`filler line ${String(0).padStart(9, '0')}`);
    expect(files['plugin.log'].toString()).toContain('session created');
    expect(files['LEFT-OUT.txt'].toString()).toMatch(/oldest \d+ bytes of plugin.log.1/);
  }, 120_000);
});
