/**
 * The spec declares, for each operation, every status its code paths can answer (derived from the route modules, the
 * request pipeline and the error catalog, see helpers/statuses.ts), and every operation has a route.
 */
import { loadSpec } from '../../src/http/spec';
import { type SpecOperation, codesIn, codesOf, routeModules, statusesOf } from '../helpers/statuses';

type RawOp = {
  responses: Record<string, unknown>;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: { name?: string }[];
};

function specOperations(): (SpecOperation & { declared: Set<number> })[] {
  const spec = loadSpec() as unknown as { security?: unknown[]; paths: Record<string, Record<string, RawOp>> };
  const ops = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    // The operations routes (their own servers) and the docs page are outside the JSON API's pipeline.
    if ((item as { servers?: unknown }).servers || template === '/docs') continue;
    for (const method of ['get', 'post', 'put', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const security = op.security ?? spec.security ?? [];
      ops.push({
        method: method.toUpperCase(),
        template,
        secured: !security.some((s) => Object.keys(s as object).length === 0) && security.length > 0,
        hasBody: op.requestBody !== undefined,
        hasAction: (op.parameters ?? []).some((p) => p.name === 'action'),
        declared: new Set(
          Object.keys(op.responses)
            .filter((c) => /^\d{3}$/.test(c))
            .map(Number),
        ),
      });
    }
  }
  return ops;
}

describe('the statuses the spec declares', () => {
  let modules: Map<string, string>;
  beforeAll(async () => {
    modules = await routeModules();
  });

  it('finds a route for every operation of the spec and an operation for every route', () => {
    const ops = specOperations().map((o) => `${o.method} ${o.template}`);
    expect(ops.filter((o) => !modules.has(o))).toEqual([]);
    expect([...modules.keys()].filter((r) => !ops.includes(r))).toEqual([]);
  });

  it('reads error codes from the sources it derives from (the derivation is not empty)', () => {
    expect([...codesIn('src/http/routes/session.ts')]).toEqual(
      expect.arrayContaining(['ARRAY_NOT_ALLOWED', 'BACKEND_UNAVAILABLE']),
    );
    expect([...codesIn('src/http/rate-limit.ts')]).toEqual(['TOO_MANY_REQUESTS']);
  });

  it('declares, for each operation, every status its code paths can answer', () => {
    const missing: string[] = [];
    for (const op of specOperations()) {
      const module = modules.get(`${op.method} ${op.template}`);
      if (!module) continue;
      const lacking = statusesOf(codesOf(op, module)).filter((s) => !op.declared.has(s));
      if (lacking.length) missing.push(`${op.method} ${op.template}: ${lacking.join(', ')}`);
    }
    expect(missing).toEqual([]);
  });
});
