/** GET /log: the plugin's logs as a zip, for Accept application/zip and application/octet-stream. */
import { expectStatus, group, ok } from '../check';

/** A zip starts with a local file header, or is an empty archive (just the end record). */
const isZip = (b: Buffer): boolean =>
  (b.length >= 30 && b.readUInt32LE(0) === 0x04034b50) || (b.length === 22 && b.readUInt32LE(0) === 0x06054b50);

export const logChecks = group('log', [
  [
    'GET /log with Accept application/zip answers a zip archive',
    async (ctx) => {
      const res = await ctx.api.get('/log', { accept: 'application/zip' });
      expectStatus(res, 200);
      ok(
        res.headers['content-type']?.startsWith('application/zip'),
        `the content type is ${res.headers['content-type']}`,
        res,
        'header Content-Type',
      );
      ok(isZip(res.raw), 'the body is not a zip archive', res, '$');
      ok(
        res.raw.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06])),
        'the zip has no end of central directory record',
        res,
        '$',
      );
      ctx.note(`${res.raw.length} bytes`);
    },
  ],
  [
    'GET /log with Accept application/octet-stream answers the zip as octet-stream',
    async (ctx) => {
      const res = await ctx.api.get('/log', { accept: 'application/octet-stream' });
      expectStatus(res, 200);
      ok(
        res.headers['content-type']?.startsWith('application/octet-stream'),
        `the content type is ${res.headers['content-type']}`,
        res,
        'header Content-Type',
      );
      ok(isZip(res.raw), 'the body is not a zip archive', res, '$');
    },
  ],
]);
