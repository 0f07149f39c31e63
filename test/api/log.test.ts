import { inflateRawSync } from 'node:zlib';
import request from 'supertest';
import { forEachBackend } from '../helpers/backends';
import { API } from '../helpers/plugin';

/** The files of a zip (stored or deflated), read from its central directory. */
function unzip(zip: Buffer): Record<string, string> {
  const files: Record<string, string> = {};
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString();
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

forEachBackend('GET /log', (ctx) => {
  it('returns a zip of the plugin logs in which no password, Authorization or session id appears', async () => {
    const sid = await ctx.p.login();
    // Leave traces that must not leak: a failed login with a password, and calls with the session.
    await request(ctx.p.app)
      .post(`${API}/session`)
      .send({ ...ctx.p.target, username: 'admin', password: 'leaky-password-123' });
    await ctx.p.get('/storage', sid).expect(200);
    await new Promise((r) => setTimeout(r, 300)); // the file logger writes asynchronously
    const res = await ctx.p
      .get('/log', sid)
      .set('accept', 'application/zip')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
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
