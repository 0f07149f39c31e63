// `npm run check`: what an operator runs before registering an array in CDM, against each simulator, read as JSON.
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { BACKENDS } from '../../plugins';
import { SIMULATORS } from '../../simulators';
import type { RunningSimulator } from '../../simulators';
import { capabilityList, hasCapability } from '../../src/backend';
import type { CheckReport } from '../../src/cli/check-array';

const ROOT = path.resolve(__dirname, '../..');
const CHECK = [require.resolve('tsx/cli'), path.join(ROOT, 'src/cli/check.ts')];

/** Runs the check asynchronously (the simulator it reads runs in this process). */
async function check(args: string[], password: string): Promise<{ code: number; report: CheckReport }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [...CHECK, ...args, '--json'], {
      cwd: ROOT,
      env: { ...process.env, ARRAY_PASSWORD: password },
      timeout: 60_000,
    });
    return { code: 0, report: JSON.parse(stdout) as CheckReport };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, report: JSON.parse(e.stdout) as CheckReport };
  }
}

describe('npm run check', () => {
  it('--help prints the usage and exits 0; a bad flag is one line and exit code 2', () => {
    const help = spawnSync(process.execPath, [...CHECK, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run check -- --backend/);
    for (const args of [['--bogus'], ['--backend', 'nosuch', '--host', 'h'], ['--backend', 'ontap']]) {
      const r = spawnSync(process.execPath, [...CHECK, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect([args, r.status, r.stderr.trim().split('\n').length]).toEqual([args, 2, 1]);
    }
  });

  describe.each(Object.keys(BACKENDS).filter((n) => SIMULATORS[n]))('against the %s simulator', (name) => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await SIMULATORS[name].start({ port: 0, host: '127.0.0.1' });
    });
    afterAll(() => sim?.close());
    // The simulator's own account: 'admin' on the arrays, '<account id>/<access key>' on the cloud service.
    const args = () => [
      ...['--backend', name, '--host', '127.0.0.1', '--port', String(sim.port), '--scheme', 'http'],
      ...['--user', SIMULATORS[name].credentials.username],
    ];

    it('reports the array, every capability with why it is off, and each collection with its count and latency', async () => {
      const { code, report } = await check(args(), SIMULATORS[name].credentials.password);
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(report.array?.storageId).toMatch(/\S/);
      const caps = BACKENDS[name].capabilities;
      expect(report.capabilities.map((c) => c.capability)).toEqual(capabilityList(caps));
      for (const c of report.capabilities) {
        // Supported only where the backend declares it; whatever is not supported says why.
        if (!hasCapability(caps, c.capability)) expect(c.supported).toBe(false);
        if (!c.supported) expect(c.why).toMatch(/\w{4}/);
      }
      // A lone simulator is paired with nothing: replication is declared but not usable yet, and says so.
      if (caps.replication.volume)
        expect(report.capabilities.find((c) => c.capability === 'replication.volume')?.why).toMatch(
          /paired with no other array/,
        );
      const volumes = report.collections.find((c) => c.name === 'volumes');
      expect(volumes?.count).toBeGreaterThan(0); // the demo data
      expect(report.collections.every((c) => c.ms >= 0 && !c.error)).toBe(true);
    });

    it('exits 1 and says UNAUTHORIZED when the array refuses the password', async () => {
      const { code, report } = await check(args(), 'wrong-password');
      expect(code).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.error).toMatch(/^UNAUTHORIZED/);
    });
  });
});
