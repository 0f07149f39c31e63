/** Runs a test suite once per backend that has a simulator, with a started plugin and a session. */
import { BACKENDS } from '../../plugins';
import { SIMULATORS } from '../../simulators';
import type { Capabilities } from '../../src/backend';
import { type TestPlugin, startTestPlugin } from './plugin';

/** Backends under test: every registered one with a simulator, or those named in TEST_BACKENDS. */
export const TEST_BACKENDS: string[] = (
  process.env.TEST_BACKENDS?.split(',').filter(Boolean) ?? Object.keys(BACKENDS)
).filter((n) => BACKENDS[n] && SIMULATORS[n]);

export interface SuiteContext {
  p: TestPlugin;
  sid: string;
  /** `/server/<the fixture's server id>`, the prefix of every per-server path. */
  srv: string;
  serverId: string;
  caps: Capabilities;
  name: string;
}

/**
 * `describe`s the suite for each backend. The context is filled in beforeAll, so tests read it
 * through the returned object at run time.
 */
export function forEachBackend(
  title: string,
  suite: (ctx: SuiteContext) => void,
  opts: { timeoutMs?: number } = {},
): void {
  describe.each(TEST_BACKENDS)(`%s: ${title}`, (name) => {
    const ctx = { name, caps: BACKENDS[name].capabilities } as SuiteContext;
    beforeAll(async () => {
      ctx.p = await startTestPlugin(name, opts);
      ctx.sid = await ctx.p.login();
      ctx.serverId = ctx.p.fixture.serverId;
      ctx.srv = `/server/${encodeURIComponent(ctx.serverId)}`;
    });
    afterAll(() => ctx.p?.close());
    suite(ctx);
  });
}
