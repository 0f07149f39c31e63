/**
 * 401 on every operation the spec guards with a session, without one and with an unknown one (the list comes from the
 * spec itself).
 */
import { randomBytes } from 'node:crypto';
import { expectError, group } from '../check';
import type { SuiteContext } from '../context';
import type { SpecOperation } from '../spec';

/** Ids need not exist: the session is checked before anything else. */
const PLACEHOLDER = 'cdmct_no_such_id';

/** The operations that need a session: all but those whose security allows none (GET /info, POST /session). */
function guarded(ctx: SuiteContext): SpecOperation[] {
  const spec = ctx.api.spec;
  return spec.operations.filter((o) => {
    const security = (o.op.security ?? spec.doc.security) as Record<string, unknown>[];
    return security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
  });
}

/** Calls every guarded operation with the given session header and expects 401 UNAUTHORIZED from each. */
async function allAnswer401(ctx: SuiteContext, session: string | null): Promise<void> {
  const ops = guarded(ctx);
  for (const o of ops) {
    const actions = ctx.api.spec.actions(o);
    const path = o.template.replace(/\{[^}]+\}/g, PLACEHOLDER) + (actions.length ? `?action=${actions[0]}` : '');
    const res = await ctx.api.call(o.method, path, {
      session,
      body: o.method === 'POST' ? {} : undefined,
      accept: o.template === '/log' ? 'application/zip' : 'application/json',
    });
    expectError(res, 401, 'UNAUTHORIZED');
  }
  ctx.note(`${ops.length} operations`);
}

export const authChecks = group('errors: sessions', [
  ['every operation that needs a session answers 401 UNAUTHORIZED without one', (ctx) => allAnswer401(ctx, null)],
  [
    'every operation that needs a session answers 401 UNAUTHORIZED with an unknown session id',
    (ctx) => allAnswer401(ctx, randomBytes(32).toString('base64url')),
  ],
]);
