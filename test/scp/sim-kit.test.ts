// The SCP kit as the CLI, the embedded start and the generic suites use it: two regions on a fixed port (kr-west1
// there, kr-east1 ten ports up), one region of a generated name on port 0, pairing of two processes, and the CLI's
// --regions flag.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { defaultRegions, scpKit } from '../../simulators/scp';

const ROOT = resolve(__dirname, '../..');
const runCli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'simulators/cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('SCP simulator kit', () => {
  it('serves kr-west1 on a fixed port and kr-east1 ten ports up; on port 0, one region of its own name', () => {
    expect(defaultRegions(8903)).toEqual([
      { name: 'kr-west1', port: 8903 },
      { name: 'kr-east1', port: 8913, anyPortIfTaken: true },
    ]);
    const [a] = defaultRegions(0);
    const [b] = defaultRegions(0);
    expect(a.name).toMatch(/^sim-[a-z0-9]{6}$/);
    expect(a.name).not.toBe(b.name);
  });

  it('starts the regions asked for, and pairs two processes so a replication reaches the other', async () => {
    const one = await scpKit.start({
      regions: [
        { name: 'kr-west1', port: 0 },
        { name: 'kr-east1', port: 0 },
      ],
      demo: false,
    });
    const two = await scpKit.start({ port: 0, demo: false });
    try {
      expect(one.regions!.map((r) => r.name)).toEqual(['kr-west1', 'kr-east1']);
      expect(one.url).toBe(one.regions![0].url);
      await scpKit.pair!(one.url, two.url);
      const fixture = scpKit.fixture(one.url);
      const { id } = await fixture.createVolume({ name: 'paired-volume', type: 'filesystem', sizeBytes: 0 });
      await fixture.write(id, Buffer.from('to the other process'));
      const { replicaVolumeId } = await fixture.protect!(id, two.url);
      const there = scpKit.fixture(two.url);
      expect((await there.read(replicaVolumeId)).toString()).toBe('to the other process');
      await Promise.all([fixture.close(), there.close()]);
    } finally {
      await Promise.allSettled([one.close(), two.close()]);
    }
  });

  it.each([
    [['vsnap', '--regions', 'a1:1'], /one array, not a service per region/],
    [['scp', '--regions', 'kr-west1'], /name:port pairs/],
    [['scp', '--regions', 'kr-west1:1,kr-west1:2'], /names a region twice/],
    [['scp', '--regions', 'kr-west1:1', '--port', '2'], /leave --port out/],
    [['scp', '--pair', '8999'], /use --regions, not --pair/],
  ])('the CLI refuses %j with exit code 2 and one line', (args, why) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(why);
  });

  it('the CLI help shows --regions', () => {
    expect(runCli(['--help']).stdout).toMatch(/--regions N:P,N:P .*\n.*kr-west1:8903,kr-east1:8913/);
  });
});
