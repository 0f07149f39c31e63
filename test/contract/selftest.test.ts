/**
 * The suite can fail: against a plugin whose volume route answers a wrong shape, it reports a failure naming the
 * endpoint and the field.
 */
import { TEST_LOGIN_LIMITS } from '../helpers/env';
import { simulatorNamed } from '../../simulators';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import vsnap from '../../plugins/vsnap';
import { createApp } from '../../src/app';
import type { ArrayConnection, BackendDefinition } from '../../src/backend';
import type { RunningSimulator } from '../../simulators';
import { MemoryCoordinator } from '../../src/coordination/memory';
import { silentLogger } from '../../src/logs/logger';
import { MemorySessionStore } from '../../src/sessions/memory-store';
import { formatResult } from './report';
import { runSuite, type SuiteReport } from './runner';

/** vSnap as it is, except that GET /volume/{id} answers the volume with its size as a string. */
function brokenVsnap(): BackendDefinition {
  return {
    ...vsnap,
    create(options) {
      const driver = vsnap.create(options);
      return {
        login: (target, creds) => driver.login(target, creds),
        close: () => driver.close(),
        connect(target, creds, identity) {
          const conn = driver.connect(target, creds, identity);
          return new Proxy(conn, {
            get(obj, prop, receiver) {
              if (prop === 'getVolume') {
                return async (...args: Parameters<ArrayConnection['getVolume']>) => {
                  const v = await obj.getVolume(...args);
                  return { ...v, stats: { ...v.stats, size: `${v.stats.size} bytes` } };
                };
              }
              const value = Reflect.get(obj, prop, receiver);
              return typeof value === 'function' ? value.bind(obj) : value;
            },
          });
        },
      };
    },
  };
}

describe('the contract suite against a deliberately broken plugin', () => {
  let sim: RunningSimulator;
  let server: http.Server;
  let report: SuiteReport;

  beforeAll(async () => {
    sim = await simulatorNamed('vsnap').start({ port: 0, host: '127.0.0.1', demo: false });
    const backend = brokenVsnap();
    const logger = silentLogger();
    const driver = backend.create({
      scheme: 'http',
      tlsInsecure: false,
      timeoutMs: 10_000,
      connectTimeoutMs: 2000,
      logger,
    });
    // validateResponses off: the plugin must let the wrong shape out, so that only the suite can catch it.
    const app = createApp({
      config: {
        bodyLimit: '1mb',
        logDir: '/nonexistent',
        validateResponses: false,
        sessionRateLimit: 1_000_000,
        ...TEST_LOGIN_LIMITS,
      },
      backend,
      driver,
      sessions: new MemorySessionStore({ idleSeconds: 60, key: randomBytes(32) }),
      coordinator: new MemoryCoordinator(),
      logger,
    });
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    report = await runSuite({
      url: `http://127.0.0.1:${port}/storageplugin/api`,
      array: { host: '127.0.0.1', port: sim.port },
      user: simulatorNamed('vsnap').credentials.username,
      password: simulatorNamed('vsnap').credentials.password,
      backend: 'vsnap',
      only: ['volumes'],
    });
  }, 60_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await sim?.close();
  });

  it('fails, naming the endpoint, the status and the JSON path of the field', () => {
    expect(report.summary.failed).toBeGreaterThan(0);
    const failure = report.results.find((r) => r.status === 'failed' && r.path === '$.stats.size');
    expect(failure).toBeDefined();
    expect(failure!.endpoint).toMatch(/^GET \/server\/0\/volume\/[^/?]+$/);
    expect(failure!.httpStatus).toBe(200);
    expect(failure!.reason).toContain('$.stats.size must be integer');
    const printed = formatResult(failure!).join('\n');
    expect(printed).toContain(failure!.endpoint!);
    expect(printed).toContain('at $.stats.size');
  });

  it('still passes what the broken route does not touch', () => {
    const passed = report.results.filter((r) => r.status === 'passed').map((r) => r.name);
    expect(passed).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GET \/info/), expect.stringMatching(/^DELETE \/session/)]),
    );
  });
});
