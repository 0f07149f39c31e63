// The simulator CLI: one runner for every simulator, strict flags, and state kept across a restart (SIGTERM saves it).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SIMULATORS } from '../../simulators';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'simulators/cli.ts');
const TSX = ['--import', 'tsx', CLI];

/** Starts the CLI and answers the URL it prints, with the process. */
async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcessWithoutNullStreams; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [...TSX, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) done(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', () => fail(new Error(`the CLI exited early: ${out}`)));
  });
  return { url, child, exited };
}

const runCli = (args: string[]) =>
  spawnSync(process.execPath, [...TSX, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

describe('simulator CLI', () => {
  it('--help prints the usage with every simulator and exits 0 without starting one', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run simulator/);
    for (const name of Object.keys(SIMULATORS)) expect(r.stdout).toContain(name);
    expect(r.stdout).not.toMatch(/listening on/);
  });

  it.each([
    [['--bogus'], /bogus/],
    [['vsnap', '--port', 'abc'], /--port takes an integer/],
    [['nosuch'], /unknown backend 'nosuch'; simulators: vsnap, element, ontap/],
    [['vsnap', '--demo', 'maybe'], /--demo takes on or off/],
  ])('%j is refused with exit code 2 and one line saying why', (args, why) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(why);
  });

  describe.each(Object.keys(SIMULATORS))('%s', (name) => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `sim-cli-${name}-`))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps a volume and its content in SIMULATOR_STATE_FILE across a SIGTERM and a restart', async () => {
      const env = { SIMULATOR_STATE_FILE: join(dir, 'state.json') };
      const args = [name, '--port', '0', '--host', '127.0.0.1', '--demo', 'off'];
      const first = await startCli(args, env);
      const fixture = SIMULATORS[name].fixture(first.url);
      let id: string;
      try {
        id = (await fixture.createVolume({ name: 'kept_volume', type: 'filesystem', sizeBytes: 64 * 1024 * 1024 })).id;
        await fixture.write(id, Buffer.from('survives a restart'));
      } finally {
        await fixture.close();
        first.child.kill('SIGTERM');
      }
      expect(await first.exited).toBe(0);

      const second = await startCli(args, env);
      const again = SIMULATORS[name].fixture(second.url);
      try {
        expect((await again.read(id)).subarray(0, 18).toString()).toBe('survives a restart');
      } finally {
        await again.close();
        second.child.kill('SIGTERM');
      }
      expect(await second.exited).toBe(0);
    });
  });
});
