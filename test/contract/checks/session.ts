/**
 * Plugin information and sessions: GET /info without a session, POST /session with Basic or body credentials, the 401s
 * and 400s of logging in.
 */
import { expectError, expectSame, expectStatus, group, ok } from '../check';
import type { SuiteContext } from '../context';

/** Width and height from a PNG data URL's IHDR chunk, or undefined when it is no PNG. */
function pngSize(dataUrl: string): [number, number] | undefined {
  const png = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  if (png.length < 24 || png.subarray(1, 4).toString() !== 'PNG') return undefined;
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** The session body naming the array: an IP address as ipAddress, a name as hostname. */
export function target(ctx: SuiteContext): Record<string, unknown> {
  const { host, port } = ctx.opts.array;
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  return isIp ? { ipAddress: host, port } : { hostname: host, port };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const infoChecks = group('info', [
  [
    "GET /info answers the plugin's name, id and version without a session",
    async (ctx) => {
      const res = await ctx.api.get('/info', { session: null });
      expectStatus(res, 200);
      const info = res.json as { id: string; name: string; version: string };
      for (const k of ['id', 'name', 'version'] as const) ok(info[k].length > 0, `${k} is empty`, res, `$.${k}`);
      ctx.info = { id: info.id, name: info.name, version: info.version };
      ctx.note(`${info.id} ${info.version}: ${info.name}`);
    },
  ],
  [
    'the image is a 48x48 PNG and the icon a 16x16 PNG, as RFC-2397 data URLs',
    async (ctx) => {
      const res = await ctx.api.get('/info', { session: null });
      expectStatus(res, 200);
      const body = res.json as { imageUrl: string; iconUrl: string };
      expectSame(pngSize(body.imageUrl), [48, 48], 'imageUrl must be a 48x48 PNG', res, '$.imageUrl');
      expectSame(pngSize(body.iconUrl), [16, 16], 'iconUrl must be a 16x16 PNG', res, '$.iconUrl');
    },
  ],
]);

export const sessionChecks = group('session', [
  [
    'POST /session with HTTP Basic credentials answers 201 with a session id, the storage id and a Location naming the session resource',
    async (ctx) => {
      const res = await ctx.api.post('/session', target(ctx), {
        session: null,
        headers: { authorization: basic(ctx.opts.user, ctx.opts.password) },
      });
      expectStatus(res, 201);
      // The guide's conventions: a created resource's URI is in Location. The session resource is /session.
      const location = res.headers.location;
      ok(location, 'a 201 answer has no Location header', res, 'header Location');
      expectSame(
        ctx.api.relative(location),
        '/session',
        'Location does not name the session resource',
        res,
        'header Location',
      );
      const body = res.json as { sessionId: string; storageId: string };
      ok(body.sessionId.length >= 16, 'the session id is too short to be unguessable', res, '$.sessionId');
      ok(body.storageId.length > 0, 'the storage id is empty', res, '$.storageId');
      ctx.api.sid = body.sessionId;
      ctx.storageId = body.storageId;
    },
  ],
  [
    'POST /session with username and password in the body answers 201 too',
    async (ctx) => {
      void ctx.sid;
      const res = await ctx.api.post(
        '/session',
        { ...target(ctx), username: ctx.opts.user, password: ctx.opts.password },
        { session: null },
      );
      expectStatus(res, 201);
      const body = res.json as { sessionId: string; storageId: string };
      ok(body.sessionId !== ctx.sid, 'two logins answered the same session id', res, '$.sessionId');
      expectSame(body.storageId, ctx.storageId, 'the same array must answer the same storage id', res, '$.storageId');
      // This second session is not needed further: end it.
      expectStatus(await ctx.api.del('/session', { session: body.sessionId }), 204);
    },
  ],
  [
    'wrong credentials answer 401 UNAUTHORIZED, in the Authorization header and in the body',
    async (ctx) => {
      const wrong = `${ctx.opts.password}-not-it`;
      expectError(
        await ctx.api.post('/session', target(ctx), {
          session: null,
          headers: { authorization: basic(ctx.opts.user, wrong) },
        }),
        401,
        'UNAUTHORIZED',
      );
      expectError(
        await ctx.api.post('/session', { ...target(ctx), username: ctx.opts.user, password: wrong }, { session: null }),
        401,
        'UNAUTHORIZED',
      );
    },
  ],
  [
    'an address that is not a host name or IP literal answers 400 BAD_REQUEST, whatever else it holds',
    async (ctx) => {
      for (const bad of [' ', 'user:pw@127.0.0.1', '127.0.0.1:8900/sim/faults?', '127.0.0.1\r\nX: 1', '999.1.1.1']) {
        expectError(
          await ctx.api.post(
            '/session',
            { ipAddress: bad, port: 1 },
            { session: null, headers: { authorization: basic(ctx.opts.user, ctx.opts.password) } },
          ),
          400,
          'BAD_REQUEST',
        );
      }
    },
  ],
  [
    'no credentials at all, or an Authorization that is not Basic, answer 401 UNAUTHORIZED',
    async (ctx) => {
      expectError(await ctx.api.post('/session', target(ctx), { session: null }), 401, 'UNAUTHORIZED');
      expectError(
        await ctx.api.post('/session', target(ctx), {
          session: null,
          headers: { authorization: 'Bearer cdmct-not-basic' },
        }),
        401,
        'UNAUTHORIZED',
      );
    },
  ],
  [
    'a session body naming no array answers 400 BAD_REQUEST',
    async (ctx) => {
      const res = await ctx.api.post(
        '/session',
        { port: ctx.opts.array.port },
        { session: null, headers: { authorization: basic(ctx.opts.user, ctx.opts.password) } },
      );
      expectError(res, 400, 'BAD_REQUEST');
    },
  ],
]);
