/**
 * `npx tsx test/contract/ci.ts`: for every registered backend with a simulator, starts the real plugin
 * (src/server.ts) with its embedded simulator and demo data on loopback ports, runs the contract suite
 * and then the Postman collection (newman) against it, and stops it. Two more simulators are paired with
 * the first, so the replication checks have remote arrays. Exits 1 naming the backends that failed.
 * CONTRACT_BACKENDS=vsnap,ontap narrows the backends; CONTRACT_REPORT_DIR keeps the reports there.
 */
import { SIMULATORS, simulatorNamed, startPartner } from '../../simulators';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BACKENDS } from '../../plugins';
import type { RunningSimulator } from '../../simulators';
import { footer, printer } from './report';
import { runSuite } from './runner';

const ROOT = path.resolve(__dirname, '../..');
const HOST = '127.0.0.1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on right now (the kernel picks it). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, HOST, r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Plugin {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

function startPlugin(backend: string, port: number, simPort: number, logDir: string): Plugin {
  // Its own process group, so stopping it also stops the npx/tsx wrappers in between.
  const child = spawn('npx', ['tsx', 'src/server.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BACKEND: backend,
      HOST,
      PORT: String(port),
      SIMULATOR: 'on',
      SIMULATOR_PORT: String(simPort),
      LOG_DIR: logDir,
      LOG_LEVEL: 'warn',
      REDIS_URL,
      // Every check opens sessions from one address, and several backends share one Redis; the checks send wrong
      // credentials on purpose, and failed logins are counted per address and per array for 15 minutes across
      // runs (the jest suites before this one, the same run on another Node after it).
      SESSION_RATE_LIMIT: '1000000',
      LOGIN_FAILURES_PER_CLIENT: '1000000',
      LOGIN_FAILURES_PER_ARRAY: '1000000',
    },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls GET /info until the plugin answers, or fails when it exits or takes too long. */
async function waitForInfo(p: Plugin, url: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`the plugin exited with ${p.child.exitCode}`);
    try {
      if ((await fetch(`${url}/info`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) throw new Error(`no answer from ${url}/info within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface NewmanFailure {
  error: { name: string; message: string; test?: string };
  source?: { name?: string };
  parent?: { name?: string };
}

/**
 * newman's CLI with the environment file's values overridden for this plugin; resolves with its exit
 * code, its output, and its failures one line each (from its JSON report: the CLI's table is too wide to read in a
 * log).
 */
async function newman(
  vars: Record<string, string>,
  jsonReport: string,
): Promise<{ code: number; output: string; failures: string[] }> {
  const args = [
    'run',
    'postman/cdm-storage-plugin.postman_collection.json',
    '-e',
    'postman/local.postman_environment.json',
    '--color',
    'off',
    '--timeout-request',
    '30000',
  ];
  for (const [k, v] of Object.entries(vars)) args.push('--env-var', `${k}=${v}`);
  args.push('--reporters', 'cli,json', '--reporter-json-export', jsonReport, '--reporter-cli-no-failures');
  const child = spawn(path.join(ROOT, 'node_modules/.bin/newman'), args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  let failures: string[] = [];
  try {
    const run = JSON.parse(readFileSync(jsonReport, 'utf8')) as { run: { failures: NewmanFailure[] } };
    failures = run.run.failures.map(
      (f) =>
        `[${f.parent?.name ?? '?'} / ${f.source?.name ?? '?'}] ${f.error.test ?? f.error.name}: ${f.error.message.replace(/\s+/g, ' ')}`,
    );
  } catch {
    /* no report: the output says why */
  }
  return { code, output, failures };
}

/** One backend end to end; answers its report lines and whether it passed. */
async function runBackend(name: string, reportDir: string): Promise<{ ok: boolean; lines: string[] }> {
  const def = BACKENDS[name];
  const lines: string[] = [];
  const say = (l: string) => lines.push(l);
  const [port, simPort] = [await freePort(), await freePort()];
  const logDir = mkdtempSync(path.join(tmpdir(), `cdm-ci-${name}-`));
  const url = `http://${HOST}:${port}/storageplugin/api`;
  const t0 = Date.now();
  const plugin = startPlugin(name, port, simPort, logDir);
  const partners: RunningSimulator[] = [];
  let ok = false;
  try {
    await waitForInfo(plugin, url);
    say(`plugin ${url}, simulator ${HOST}:${simPort}, up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Two more arrays paired with the first, so /remotearray lists (and pages) them and
    // add-replication-target has a target.
    const kit = simulatorNamed(def.name);
    if (kit.pair) {
      for (let i = 0; i < 2; i++) {
        const sim = await startPartner(kit, `http://${HOST}:${simPort}`, i, { demo: false });
        partners.push(sim);
        await kit.pair(`http://${HOST}:${simPort}`, sim.url);
      }
      say(`replication partners ${partners.map((p) => p.url).join(', ')}, paired`);
    }
    const { username, password } = kit.credentials;
    const t1 = Date.now();
    const print = printer(say);
    const report = await runSuite(
      { url, array: { host: HOST, port: simPort }, user: username, password, backend: name, requireFixture: true },
      undefined,
      (r) => {
        // Passes are in the JSON report; the log keeps what needs reading: failures and skips with their reasons.
        if (r.status !== 'passed') print(r);
      },
    );
    writeFileSync(path.join(reportDir, `${name}.contract.json`), `${JSON.stringify(report, null, 2)}\n`);
    say(footer(report).trim());
    say(`contract suite: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    const t2 = Date.now();
    const run = await newman(
      { baseUrl: url, arrayHost: HOST, arrayPort: String(simPort), username, password },
      path.join(reportDir, `${name}.newman.json`),
    );
    writeFileSync(path.join(reportDir, `${name}.newman.txt`), run.output);
    const summary = run.output
      .split('\n')
      .filter((l) => /│\s+(requests|assertions)\s/.test(l))
      .map((l) => l.replace(/[│┤├]/g, ' ').replace(/\s+/g, ' ').trim());
    say(
      `newman: ${run.code === 0 ? 'passed' : 'FAILED'} (${summary.join('; ')}) in ${((Date.now() - t2) / 1000).toFixed(1)} s`,
    );
    for (const f of run.failures) say(`  FAIL ${f}`);
    if (run.code !== 0 && !run.failures.length) say(run.output);
    ok = report.summary.failed === 0 && run.code === 0;
  } catch (err) {
    say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    say(`plugin output:\n${plugin.output()}`);
  } finally {
    await plugin.stop();
    await Promise.allSettled(partners.map((p) => p.close()));
  }
  // The plugin's logs only matter when something failed.
  if (ok) rmSync(logDir, { recursive: true, force: true });
  else say(`plugin logs: ${logDir}`);
  return { ok, lines };
}

async function main(): Promise<number> {
  const wanted = process.env.CONTRACT_BACKENDS?.split(',').filter(Boolean);
  const names = Object.keys(BACKENDS).filter((n) => SIMULATORS[n] && (!wanted || wanted.includes(n)));
  if (!names.length) {
    console.error('no backend with a simulator to run');
    return 1;
  }
  const started = Date.now();
  console.log(`contract suite and Postman collection against: ${names.join(', ')}`);
  // In parallel (each has its own ports and simulator); the output is printed per backend, in order.
  const reportDir = process.env.CONTRACT_REPORT_DIR ?? mkdtempSync(path.join(tmpdir(), 'cdm-contract-reports-'));
  mkdirSync(reportDir, { recursive: true });
  const results = await Promise.all(names.map(async (n) => ({ name: n, ...(await runBackend(n, reportDir)) })));
  for (const r of results) {
    console.log(`\n=== ${r.name}: ${r.ok ? 'passed' : 'FAILED'}`);
    for (const l of r.lines) console.log(l);
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.name);
  console.log(`\nreports (contract JSON, newman output and JSON): ${reportDir}`);
  console.log(
    `${failed.length ? `FAILED: ${failed.join(', ')}` : `all passed: ${names.join(', ')}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
