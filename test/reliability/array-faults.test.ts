/**
 * Array faults injected through the simulators' /sim/faults controls: each answers fast and clearly, and nothing is
 * sent twice.
 */
import { forEachBackend } from '../helpers/backends';
import { faults } from '../helpers/faults';
import { startTestPlugin, type TestPlugin } from '../helpers/plugin';

forEachBackend('array faults', (ctx) => {
  afterEach(() => faults(ctx.p, null));

  it('an array 500 answers 502 BACKEND_ERROR with the array message', async () => {
    await faults(ctx.p, { failNext: 1, failStatus: 500 });
    const res = await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(502);
    expect(res.body.error.type).toBe('BACKEND_ERROR');
    await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(200);
  });

  it('a garbled array answer is a 502, never a 500 or a hang', async () => {
    await faults(ctx.p, { garbleNext: 1 });
    const res = await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(502);
    expect(res.body.error.type).toBe('BACKEND_ERROR');
  });

  it('a read whose connection is reset is retried and succeeds', async () => {
    await faults(ctx.p, { dropNext: 1 });
    const res = await ctx.p.get(`${ctx.srv}/volume`, ctx.sid).expect(200);
    expect(Array.isArray(res.body.volumes)).toBe(true);
  });

  it('latency under the timeout only slows the answer down', async () => {
    await faults(ctx.p, { latencyMs: 200 });
    const started = Date.now();
    await ctx.p.get(`${ctx.srv}/pool`, ctx.sid).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});

forEachBackend('arrays that hang or go away', (ctx) => {
  let slow: TestPlugin;
  beforeAll(async () => {
    slow = await startTestPlugin(ctx.name, { timeoutMs: 600 });
  });
  afterAll(() => slow.close());

  it('an array that never answers is a 504 at the configured timeout', async () => {
    const sid = await slow.login();
    await faults(slow, { hangNext: 1 });
    const started = Date.now();
    const res = await slow.get(`/server/${encodeURIComponent(slow.fixture.serverId)}/pool`, sid).expect(504);
    expect(res.body.error.type).toBe('BACKEND_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
    await faults(slow, null);
  });

  it('an array that has gone away answers 503 with Retry-After', async () => {
    const sid = await slow.login();
    await slow.sim.close();
    const res = await slow.get(`/server/${encodeURIComponent(slow.fixture.serverId)}/pool`, sid).expect(503);
    expect(res.body.error.type).toBe('BACKEND_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
