/** The contract suite passes against the real plugin of every backend (in process, on a loopback port), with nothing failed. */
import { simulatorNamed } from '../../simulators';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestPlugin, startTestPlugin } from '../helpers/plugin';
import { formatResult } from './report';
import { runSuite, type SuiteReport } from './runner';

describe.each(['vsnap', 'element', 'ontap', 'scp'])('the contract suite against the %s plugin', (backend) => {
  let p: TestPlugin;
  let server: http.Server;
  let report: SuiteReport;

  beforeAll(async () => {
    p = await startTestPlugin(backend);
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

  /** The check of `group` whose title starts with `title`. */
  const result = (group: string, title: string) => {
    const r = report.results.find((x) => x.group === group && x.name.startsWith(title));
    if (!r) throw new Error(`no check '${title}' in group ${group}`);
    return r;
  };

  it('checks the CDM corner cases: the session Location, block mount path null, empty collections', () => {
    expect(result('session', 'POST /session with HTTP Basic').status).toBe('passed');
    for (const [group, title] of [
      ['host groups', 'GET /hostgroup lists'],
      ['consistency groups', 'GET /consistencygroup lists'],
      ['LUNs', 'GET /lun lists'],
      ['remote arrays', 'GET /remotearray lists'],
    ])
      expect([title, result(group, title).status]).toEqual([title, 'passed']);
    const mount = result('LUNs', 'mount of a block (LUN) volume');
    // Only storage without LUNs (SCP's file shares) has no block volume to mount.
    expect([backend, mount.status]).toEqual([backend, backend === 'scp' ? 'skipped' : 'passed']);
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
