/**
 * The fixture hook: the contract cannot create volumes, so for our simulators the suite makes them
 * through the simulator's fixture (simulators/index.ts). Without one, the checks that need a new volume
 * are skipped with the reason given here.
 */
import type { ArrayFixture } from '../../../simulators';
import { ContractFailure, fail, group, skip } from '../check';
import { type SuiteContext, enc } from '../context';

/** Finds the backend's simulator fixture: --backend, else the name in /info's id (`cdm-storage-plugin.<name>`). */
async function findFixture(ctx: SuiteContext): Promise<{ fixture?: ArrayFixture; name?: string; why?: string }> {
  const name = ctx.opts.backend ?? /^cdm-storage-plugin\.(.+)$/.exec(ctx.info?.id ?? '')?.[1];
  if (!name) return { why: `no --backend given and the plugin id '${ctx.info?.id ?? '?'}' names no backend of ours` };
  // Loaded only here, so the suite runs against any plugin without our simulators in the way.
  const { SIMULATORS } = await import('../../../simulators');
  const kit = SIMULATORS[name];
  if (!kit)
    return {
      name,
      why: `no simulator '${name}' is registered in simulators/index.ts (${Object.keys(SIMULATORS).join(', ')}), hence no fixture`,
    };
  const { host, port } = ctx.opts.array;
  return { name, fixture: kit.fixture(`http://${host.includes(':') ? `[${host}]` : host}:${port}`) };
}

/** Makes a volume through the fixture and reads it back through the plugin, proving both reach the same array. */
async function probe(ctx: SuiteContext, fixture: ArrayFixture): Promise<void> {
  const name = ctx.name('probe');
  const { id } = await fixture.createVolume({ name, type: 'filesystem', sizeBytes: 64 << 20 });
  try {
    const res = await ctx.api.get(`/server/${enc(fixture.serverId)}/volume/${enc(id)}`);
    if (res.status !== 200)
      fail(
        `the fixture made volume ${id} on server ${fixture.serverId}, but the plugin answers ${res.status} for it: is the fixture's array the session's?`,
        res,
      );
  } finally {
    await fixture.deleteVolume(id);
  }
}

export const fixtureChecks = group('fixture', [
  [
    'the array fixture makes a volume that the plugin then serves (needed by the checks that change volumes)',
    async (ctx) => {
      void ctx.sid;
      if (ctx.opts.fixture === null) return refuse(ctx, 'the fixture was turned off (--no-fixture)');
      let found: Awaited<ReturnType<typeof findFixture>> = { fixture: ctx.opts.fixture, name: 'given' };
      if (!ctx.opts.fixture) found = await findFixture(ctx);
      if (!found.fixture) return refuse(ctx, found.why ?? 'no fixture');
      const adopt = (f: ArrayFixture) => {
        ctx.fixture = f;
        ctx.ownsFixture = !ctx.opts.fixture;
        ctx.fixtureNote = `${found.name} fixture on server ${f.serverId}`;
      };
      try {
        await probe(ctx, found.fixture);
      } catch (err) {
        // The fixture works but the plugin's answer about the volume breaks the spec: keep the fixture, report the
        // answer.
        if (err instanceof ContractFailure && err.status === 200) {
          adopt(found.fixture);
          throw err;
        }
        if (!ctx.opts.fixture) await found.fixture.close().catch(() => undefined);
        const why = `the ${found.name} fixture does not work against ${ctx.opts.array.host}:${ctx.opts.array.port}: ${err instanceof Error ? err.message : String(err)}`;
        // Named explicitly (or required), a fixture that does not work is a failure; guessed from /info, a real array
        // is fine.
        ctx.fixtureNote = why;
        if (err instanceof ContractFailure) throw new ContractFailure(why, err.endpoint, err.status, err.path);
        if (ctx.opts.backend || ctx.opts.requireFixture) fail(why);
        return refuse(ctx, why);
      }
      adopt(found.fixture);
      ctx.note(ctx.fixtureNote);
    },
  ],
]);

function refuse(ctx: SuiteContext, why: string): void {
  ctx.fixtureNote = why;
  if (ctx.opts.requireFixture) fail(`a working fixture is required: ${why}`);
  skip(why);
}
