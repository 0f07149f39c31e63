/**
 * Malformed requests: 400 for bad JSON, wrong types and unknown actions, 415 for media types other than JSON, 405 for
 * verbs a resource lacks.
 */
import { expectError, expectStatus, group, isUnsupported, ok, skip } from '../check';
import type { Answer } from '../client';
import { type SuiteContext, enc } from '../context';
import { target } from './session';

const someVolume = (ctx: SuiteContext) =>
  ctx.snapVolume ?? ctx.existingVolume ?? skip('needs a volume, and the array lists none');

/** 400 BAD_REQUEST whose message or details name the offending field. */
function expectBadField(res: Answer, field: string): void {
  expectError(res, 400, 'BAD_REQUEST');
  ok(
    JSON.stringify((res.json as { error: unknown }).error).includes(field),
    `the error does not name the field '${field}'`,
    res,
    '$.error',
  );
}

/** 400 UNKNOWN_ACTION; a resource whose feature is not served may answer its 501 first. */
function expectUnknownAction(ctx: SuiteContext, res: Answer, feature?: string): void {
  if (feature && ctx.features.get(feature)?.supported === false && isUnsupported(res)) return;
  expectError(res, 400, 'UNKNOWN_ACTION');
}

export const requestErrorChecks = group('errors: malformed requests', [
  [
    'malformed JSON answers 400 BAD_REQUEST',
    async (ctx) => {
      const raw = '{"name": ';
      expectError(
        await ctx.api.call('POST', `${ctx.srv}/volume/${enc(someVolume(ctx))}/snapshot`, { raw }),
        400,
        'BAD_REQUEST',
      );
      expectError(await ctx.api.call('POST', `${ctx.srv}/host`, { raw }), 400, 'BAD_REQUEST');
      expectError(await ctx.api.call('POST', '/session', { raw, session: null }), 400, 'BAD_REQUEST');
    },
  ],
  [
    'a body field of the wrong type answers 400 naming the field',
    async (ctx) => {
      expectBadField(await ctx.api.post(`${ctx.srv}/volume/${enc(someVolume(ctx))}/snapshot`, { name: 42 }), 'name');
      expectBadField(
        await ctx.api.post(`${ctx.srv}/host`, { name: ctx.name('host'), iqns: 'iqn.1994-05.com.example:one' }),
        'iqns',
      );
      expectBadField(await ctx.api.post('/session', { ...target(ctx), port: 'eight' }, { session: null }), 'port');
    },
  ],
  [
    'an action body that misses a required field or has a wrong type answers 400 naming the field',
    async (ctx) => {
      // On a volume of the suite's own where there is one: a plugin that wrongly accepted the body would act on it.
      const v = `${ctx.srv}/volume/${enc(ctx.fixture ? await ctx.scratchVolume('a malformed action') : someVolume(ctx))}`;
      expectBadField(await ctx.api.post(`${v}?action=clone`, { snapshot: { id: '1' } }), 'name');
      expectBadField(
        await ctx.api.post(`${v}?action=restore-to-new`, { sourceSnapshotId: '1', targetVolumeName: 7 }),
        'targetVolumeName',
      );
      if (ctx.fixture) expectBadField(await ctx.api.post(`${v}?action=restore`, { snapshotId: 5 }), 'snapshotId');
      else ctx.note("restore with a wrong type is only tried on a volume of the suite's own");
    },
  ],
  [
    'limit and start of the wrong type or out of range answer 400 naming them',
    async (ctx) => {
      const list = `${ctx.srv}/volume`;
      expectBadField(await ctx.api.get(`${list}?limit=many`), 'limit');
      expectBadField(await ctx.api.get(`${list}?limit=0`), 'limit');
      expectBadField(await ctx.api.get(`${list}?limit=10001`), 'limit');
      expectBadField(await ctx.api.get(`${list}?start=-1`), 'start');
    },
  ],
  [
    'an unknown or missing action answers 400 UNKNOWN_ACTION on every resource with actions',
    async (ctx) => {
      const v = `${ctx.srv}/volume/${enc(someVolume(ctx))}`;
      expectUnknownAction(ctx, await ctx.api.post(`${v}?action=explode`, {}));
      expectUnknownAction(ctx, await ctx.api.post(v, {}));
      if (ctx.snap && ctx.snapVolume)
        expectUnknownAction(
          ctx,
          await ctx.api.post(
            `${ctx.srv}/volume/${enc(ctx.snapVolume)}/snapshot/${enc(ctx.snap.id)}?action=explode`,
            {},
          ),
        );
      const lun = ctx.luns[0]?.id ?? 'cdmct_lun';
      expectUnknownAction(ctx, await ctx.api.post(`${ctx.srv}/lun/${enc(lun)}?action=explode`, {}), 'LUNs');
      if (ctx.host)
        expectUnknownAction(ctx, await ctx.api.post(`${ctx.srv}/host/${enc(ctx.host.id)}?action=explode`, {}));
      expectUnknownAction(
        ctx,
        await ctx.api.post(`${ctx.srv}/hostgroup/${enc(ctx.hostGroup?.id ?? 'cdmct_hg')}?action=explode`, {}),
        'host groups',
      );
      expectUnknownAction(
        ctx,
        await ctx.api.post(`${ctx.srv}/consistencygroup/${enc(ctx.cg?.id ?? 'cdmct_cg')}?action=explode`, {}),
        'consistency groups',
      );
    },
  ],
  [
    'an Accept header that rules out JSON answers 415 UNSUPPORTED_MEDIA_TYPE; */* is served',
    async (ctx) => {
      expectError(await ctx.api.get('/storage', { accept: 'text/html' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await ctx.api.get(`${ctx.srv}/volume`, { accept: 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await ctx.api.get('/log', { accept: 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectStatus(await ctx.api.get('/storage', { accept: '*/*' }), 200);
    },
  ],
  [
    'a JSON body with a charset parameter is accepted',
    async (ctx) => {
      const vol = someVolume(ctx);
      const res = await ctx.api.post(
        `${ctx.srv}/volume/${enc(vol)}/snapshot`,
        { name: ctx.name('charset') },
        { contentType: 'application/json; charset=utf-8' },
      );
      expectStatus(res, 201);
      ctx.created.push({ kind: 'snapshot', volumeId: vol, id: (res.json as { id: string }).id });
    },
  ],
  [
    'a body that is not JSON answers 415 UNSUPPORTED_MEDIA_TYPE',
    async (ctx) => {
      const res = await ctx.api.call('POST', `${ctx.srv}/volume/${enc(someVolume(ctx))}/snapshot`, {
        raw: 'name=x',
        contentType: 'text/plain',
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  ],
  [
    'a verb a resource does not have answers 405 METHOD_NOT_ALLOWED',
    async (ctx) => {
      expectError(
        await ctx.api.call('PUT', `${ctx.srv}/volume/${enc(someVolume(ctx))}`, { body: {} }),
        405,
        'METHOD_NOT_ALLOWED',
      );
      expectError(await ctx.api.call('DELETE', '/storage'), 405, 'METHOD_NOT_ALLOWED');
    },
  ],
]);
