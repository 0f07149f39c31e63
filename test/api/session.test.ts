import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { simulatorNamed } from '../../simulators';
import request from 'supertest';
import { forEachBackend } from '../helpers/backends';
import { API, startTestPlugin } from '../helpers/plugin';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(dataUrl: string): [number, number] {
  const png = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

forEachBackend('info and sessions', (ctx) => {
  it('GET /info answers without a session, with the package version and real 48x48 and 16x16 images', async () => {
    const res = await request(ctx.p.app).get(`${API}/info`).expect(200);
    expect(res.body.version).toBe(JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version);
    expect(res.body.id).toBe(`cdm-storage-plugin.${ctx.name}`);
    expect(pngSize(res.body.imageUrl)).toEqual([48, 48]);
    expect(pngSize(res.body.iconUrl)).toEqual([16, 16]);
  });

  it('serves its own OpenAPI document', async () => {
    const res = await request(ctx.p.app).get(`${API}/openapi.json`).expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/server/{serverId}/volume/{volumeId}');
  });

  it('POST /session with Basic credentials logs in to the array and answers 201 with ids', async () => {
    const res = await request(ctx.p.app)
      .post(`${API}/session`)
      .set('authorization', ctx.p.auth)
      .send(ctx.p.target)
      .expect(201);
    expect(res.body.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.storageId).toEqual(expect.any(String));
    expect(res.body.storageId.length).toBeGreaterThan(0);
    const storage = await ctx.p.get('/storage', res.body.sessionId).expect(200);
    expect(storage.body.id).toBe(res.body.storageId);
  });

  it('accepts username and password in the body when there is no Authorization header', async () => {
    const { username, password } = simulatorNamed(ctx.p.backend.name).credentials;
    const res = await request(ctx.p.app)
      .post(`${API}/session`)
      .send({ ...ctx.p.target, username, password })
      .expect(201);
    expect(res.body.sessionId).toBeTruthy();
  });

  it('answers 401 when the array refuses the credentials', async () => {
    const bad = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    const res = await request(ctx.p.app)
      .post(`${API}/session`)
      .set('authorization', bad)
      .send(ctx.p.target)
      .expect(401);
    expect(res.body.error.type).toBe('UNAUTHORIZED');
  });

  it('answers 401 when no credentials are given at all', async () => {
    const res = await request(ctx.p.app).post(`${API}/session`).send(ctx.p.target).expect(401);
    expect(res.body.error.message).toMatch(/credentials are required/);
  });

  it('answers 400 when the body names no array', async () => {
    const res = await request(ctx.p.app)
      .post(`${API}/session`)
      .set('authorization', ctx.p.auth)
      .send({ port: 8900 })
      .expect(400);
    expect(res.body.error.type).toBe('BAD_REQUEST');
  });

  it('answers 503 at once when nothing listens at the array address', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const res = await request(ctx.p.app)
      .post(`${API}/session`)
      .set('authorization', ctx.p.auth)
      .send({ ipAddress: '127.0.0.1', port })
      .expect(503);
    expect(res.body.error.type).toBe('BACKEND_UNAVAILABLE');
  });

  it('answers the fixed login failure within the array timeout when the array accepts but never answers', async () => {
    const slow = await startTestPlugin(ctx.name, { timeoutMs: 500 });
    const sockets: net.Socket[] = [];
    const hang = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const res = await request(slow.app)
        .post(`${API}/session`)
        .set('authorization', slow.auth)
        .send({ ipAddress: '127.0.0.1', port: (hang.address() as net.AddressInfo).port })
        .expect(503);
      // Whatever else went wrong, a login that the array did not refuse answers one body (no port scanning).
      expect(res.body.error.type).toBe('BACKEND_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => hang.close(r));
      await slow.close();
    }
  });

  it('DELETE /session ends the session: the id answers 401 afterwards', async () => {
    const sid = await ctx.p.login();
    await ctx.p.get('/storage', sid).expect(200);
    await ctx.p.del('/session', sid).expect(204);
    const res = await ctx.p.get('/storage', sid).expect(401);
    expect(res.body.error.type).toBe('UNAUTHORIZED');
  });
});
