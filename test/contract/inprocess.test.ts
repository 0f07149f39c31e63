/** The contract suite passes against the real vSnap plugin (in process, on a loopback port), with nothing failed. */
import { simulatorNamed } from '../../simulators';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestPlugin, startTestPlugin } from '../helpers/plugin';
import { formatResult } from './report';
import { runSuite, type SuiteReport } from './runner';

describe('the contract suite against the vSnap plugin', () => {
  let p: TestPlugin;
  let server: http.Server;
  let report: SuiteReport;

  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    server = http.createServer(p.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const { username, password } = simulatorNamed(p.backend.name).credentials;
    report = await runSuite({
      url: `http://127.0.0.1:${port}/storageplugin/api`,
      array: { host: '127.0.0.1', port: p.sim.port },
      user: username,
      password,
      fixture: p.fixture,
    });
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await p?.close();
  });

  it('passes with no failure', () => {
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => formatResult(r).join('\n'))).toEqual([]);
    expect(report.summary.passed).toBeGreaterThan(60);
  });

  it('says why it skipped what it skipped', () => {
    for (const r of report.results.filter((x) => x.status === 'skipped')) expect(r.reason).toMatch(/\w+ \w+ \w+/);
  });

  it('walks every group and ends with cleanup and logout', () => {
    const groups = [...new Set(report.results.map((r) => r.group))];
    expect(groups[0]).toBe('info');
    expect(groups.slice(-2)).toEqual(['cleanup', 'logout']);
    expect(groups).toEqual(
      expect.arrayContaining([
        'volumes',
        'snapshots',
        'LUNs',
        'hosts',
        'consistency groups',
        'errors: unknown ids',
        'log',
      ]),
    );
  });
});
