// The production build as the images run it: compiled JavaScript of src/ and plugins/ only. The plugin serves the
// contract from it with SIMULATOR=off and refuses SIMULATOR=on in one line; the simulator image's command, as
// docker-compose writes it, starts a simulator from the separately compiled simulators/.
import { randomBytes } from 'node:crypto';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { REDIS_URL } from '../helpers/env';
import { freePort } from '../helpers/redis-server';

const ROOT = path.resolve(__dirname, '../..');
/** Inside the project, so the compiled code finds the project's files (the spec, the images) as it does in dist/. */
const OUT = path.join(ROOT, '.build-test');
const TSC = require.resolve('typescript/bin/tsc');

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((n) =>
        statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)],
      )
    : [];

/** Runs `argv` from the project root and answers the first URL it prints, or its exit with the output. */
function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return { proc, output: () => out, exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

/** Waits for `re` in the process's output; fails at once if the process exits first. */
async function until(
  p: { proc: ChildProcess; output: () => string },
  re: RegExp,
  ms = 15_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.output());
    if (m) return m;
    if (p.proc.exitCode !== null) throw new Error(`exited with ${p.proc.exitCode} before ${re}:\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${re} within ${ms} ms:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the production build', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--outDir', OUT], { cwd: ROOT });
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.simulators.json', '--outDir', path.join(OUT, 'sim')], {
      cwd: ROOT,
    });
  }, 120_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('holds the product and no simulator file', () => {
    const built = files(OUT)
      .map((f) => path.relative(OUT, f))
      .filter((f) => !f.startsWith('sim/'));
    expect(built).toContain(path.join('src', 'server.js'));
    expect(
      built.filter(
        (f) => /simulator/i.test(f) && !f.endsWith('embedded-simulator.js') && !f.endsWith('embedded-simulator.js.map'),
      ),
    ).toEqual([]);
    const code = built.filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(OUT, f), 'utf8'));
    expect(code.filter((c) => /require\("[./]*simulators/.test(c))).toEqual([]);
  });

  /** Starts the compiled plugin as the image does, on a free port; answers its base URL and port. */
  async function startPlugin(redisUrl: string) {
    const logDir = mkdtempSync(path.join(tmpdir(), 'prod-build-'));
    const port = await freePort();
    const p = run([process.execPath, path.join(OUT, 'src/server.js')], {
      NODE_ENV: 'production',
      SIMULATOR: 'off',
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_DIR: logDir,
      REDIS_URL: redisUrl,
    });
    await until(p, /listening on (http:\/\/\S+)"/);
    return { p, port, logDir };
  }

  /** The health check commands of the Dockerfile (liveness) and of docker-compose (readiness), run as written. */
  function healthChecks(port: number) {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const liveness = JSON.parse(/^\s+CMD (\["node", "-e".*\])$/m.exec(dockerfile)![1]) as string[];
    const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
    const readiness = (compose.services.plugin.healthcheck.test as string[]).slice(1);
    const exitCode = (argv: string[]) =>
      new Promise<number | null>((resolve) => {
        const cmd = argv.map((a) => a.replace('127.0.0.1:8080', `127.0.0.1:${port}`));
        spawn(process.execPath, cmd.slice(1), {
          env: { PATH: process.env.PATH, PORT: String(port) },
          stdio: 'ignore',
        }).once('exit', resolve);
      });
    return { live: () => exitCode(liveness), ready: () => exitCode(readiness) };
  }

  it('serves the contract with SIMULATOR=off, and passes both health checks when Redis answers', async () => {
    const { p, port, logDir } = await startPlugin(REDIS_URL);
    try {
      const res = await request(`http://127.0.0.1:${port}/storageplugin/api/info`);
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { id: string }).id).toBe('cdm-storage-plugin.vsnap');
      const checks = healthChecks(port);
      expect(await checks.live()).toBe(0);
      expect(await checks.ready()).toBe(0);
    } finally {
      p.proc.kill('SIGTERM');
      await p.exited;
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('fails the compose readiness check, not the liveness check, when its Redis does not answer', async () => {
    const { p, port, logDir } = await startPlugin(`redis://127.0.0.1:${await freePort()}`);
    try {
      const checks = healthChecks(port);
      expect(await checks.live()).toBe(0);
      expect(await checks.ready()).toBe(1);
    } finally {
      p.proc.kill('SIGTERM');
      await p.exited;
      rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('refuses SIMULATOR=on in one line and exits 2, as it holds no simulator', async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'prod-build-'));
    const p = run([process.execPath, path.join(OUT, 'src/server.js')], {
      SIMULATOR: 'on',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_DIR: logDir,
      REDIS_URL,
    });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/^configuration error: this build holds no simulator: set SIMULATOR=off/m);
    rmSync(logDir, { recursive: true, force: true });
  });

  it("runs the compose simulator service's command against the compiled simulators", async () => {
    const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
    const [shell, flag, script] = compose.services.simulator.entrypoint as string[];
    expect([shell, flag]).toEqual(['sh', '-c']);
    // As in the image: dist/simulators is where the simulator target puts the compiled CLI.
    const command = (script as string)
      .replace(/\$\$/g, '$')
      .replace('dist/simulators/', `${path.join(OUT, 'sim', 'simulators')}/`)
      .replace('0.0.0.0', '127.0.0.1');
    const p = run(['sh', '-c', command], { BACKEND: 'ontap', SIMULATOR_PORT: '0' });
    try {
      const [, url] = await until(p, /listening on (http:\/\/\S+)/);
      const res = await request(`${url}/api/cluster`, {
        headers: { authorization: `Basic ${Buffer.from('admin:simulator').toString('base64')}` },
      });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { name: string }).name).toMatch(/^cluster/);
    } finally {
      p.proc.kill('SIGTERM');
      await p.exited;
    }
  });
});
