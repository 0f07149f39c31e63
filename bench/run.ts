/**
 * `npm run bench`: the plugin's cost over what it cannot avoid, measured on loopback with a baseline in
 * the same run, so every figure is a ratio. Writes bench/results/latest.{json,md} and prints the table.
 */
import { SIMULATORS, simulatorNamed } from '../simulators';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { BACKENDS } from '../plugins';
import { DIRECT_VOLUME_GET } from './backends';
import { benchOverhead } from './overhead';
import { type LoadResult, load, warm } from './load';
import { PRODUCTION_NODE_FLAGS } from './node-flags';
import { ROOT, freePort, rssPeak, startNode, startTs } from './procs';
import { PAGE, directVsnapListing, firstAndLast, walk } from './walk';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIST_SIZES = (process.env.BENCH_LIST_SIZES ?? '10,10000,100000').split(',').map(Number);
/** Volumes of the full sequential walk. */
const WALK_SIZE = Number(process.env.BENCH_WALK_SIZE ?? 10_000);
/** `--backends=a,b` or BENCH_BACKENDS; `--scenarios=...` or BENCH_SCENARIOS (SCENARIOS lists them). */
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ONLY = (flag('backends') ?? process.env.BENCH_BACKENDS)?.split(',');
const SCENARIOS = ['auth', 'forward', 'session', 'pages', 'walk', 'cg', 'overhead'] as const;
const PICKED = (flag('scenarios') ?? process.env.BENCH_SCENARIOS)?.split(',');
for (const s of PICKED ?? [])
  if (!(SCENARIOS as readonly string[]).includes(s))
    throw new Error(`unknown scenario '${s}': choose among ${SCENARIOS.join(', ')}`);
const picked = (s: (typeof SCENARIOS)[number]) => !PICKED || PICKED.includes(s);
/** Baseline and plugin runs alternate this many times, so a shared machine's noise hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/** The mean of several load results. */
function mean(results: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
  return {
    rps: avg((r) => r.rps),
    p50: avg((r) => r.p50),
    p99: avg((r) => r.p99),
    requests: avg((r) => r.requests),
    errors: avg((r) => r.errors),
    non2xx: avg((r) => r.non2xx),
    cpuUsPerRequest: results.every((r) => r.cpuUsPerRequest !== undefined) ? avg((r) => r.cpuUsPerRequest!) : undefined,
  };
}

interface Row {
  backend: string;
  scenario: string;
  result: Partial<LoadResult> & { ms?: number };
  baseline?: Partial<LoadResult> & { ms?: number };
  ratio?: number;
  target?: string;
  pass?: boolean;
  note?: string;
}

const rows: Row[] = [];
const fmt = (n: number | undefined, d = 1) => (n === undefined ? '' : n.toFixed(d));

async function json(
  url: string,
  init: Parameters<typeof request>[1],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await request(url, init);
  const text = await r.body.text();
  return { status: r.statusCode, body: text ? JSON.parse(text) : {} };
}

async function startSim(name: string, args: string[] = []) {
  const port = await freePort();
  const child = await startTs(
    'simulators/cli.ts',
    [name, '--port', String(port), '--demo', 'off', ...args],
    { SIMULATOR_STATE_FILE: '' },
    /listening on/,
  );
  return { child, port, url: `http://127.0.0.1:${port}` };
}

async function benchBackend(name: string): Promise<void> {
  const backend = BACKENDS[name];
  const creds = simulatorNamed(backend.name).credentials;
  const sim = await startSim(name);
  const pluginPort = await freePort();
  // The plugin runs as it does in production: compiled JavaScript (npm run build, done by main()).
  // The production flags, unless BENCH_PLUGIN_NODE_OPTIONS tries others (empty string: none).
  const nodeFlags =
    process.env.BENCH_PLUGIN_NODE_OPTIONS === undefined
      ? PRODUCTION_NODE_FLAGS
      : process.env.BENCH_PLUGIN_NODE_OPTIONS.split(' ').filter(Boolean);
  const plugin = await startNode(
    [...nodeFlags, 'dist/src/server.js'],
    {
      PORT: String(pluginPort),
      HOST: '127.0.0.1',
      BACKEND: name,
      SIMULATOR: 'off',
      ARRAY_SCHEME: 'http',
      REDIS_URL,
      LOG_DIR: mkdtempSync(path.join(tmpdir(), 'bench-logs-')),
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_RATE_LIMIT: '1000000',
    },
    /listening on/,
  );
  const rss = rssPeak(plugin.proc.pid!);
  const api = `http://127.0.0.1:${pluginPort}/storageplugin/api`;
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const login = async (port: number) => {
    const r = await json(`${api}/session`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ipAddress: '127.0.0.1', port }),
    });
    if (r.status !== 201) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.sessionId as string;
  };
  const children = [sim.child, plugin];
  try {
    const sid = await login(sim.port);
    const fixture = simulatorNamed(backend.name).fixture(sim.url);
    const srv = `/server/${encodeURIComponent(fixture.serverId)}`;
    const vol = await fixture.createVolume({ name: 'benchvol', type: 'lun', sizeBytes: 1 << 20 });
    const headers = { 'x-storageplugin-sessionid': sid, accept: 'application/json' };
    const run = async (url: string, extra: Partial<Parameters<typeof load>[0]> = {}) => {
      const opts = { url, headers, connections: CONNECTIONS, duration: DURATION, ...extra };
      await warm(opts);
      return load(opts);
    };

    /** Baseline and plugin measured in alternation; the means of each. */
    const compare = async (baselineUrl: string, baselinePid: number, pluginUrl: string) => {
      const [b, p]: LoadResult[][] = [[], []];
      for (let i = 0; i < ROUNDS; i++) {
        b.push(await run(baselineUrl, { pid: baselinePid }));
        p.push(await run(pluginUrl, { pid: plugin.proc.pid }));
      }
      return [mean(b), mean(p)];
    };

    // 1. Authenticated GET: /storage against an Express app doing one Redis GET (the session fast path).
    if (picked('auth')) {
      const basePort = await freePort();
      const base = await startTs(
        'bench/baselines/redis-get.ts',
        [],
        { PORT: String(basePort), REDIS_URL },
        /baseline ready/,
      );
      children.push(base);
      const [baseAuth, authGet] = await compare(
        `http://127.0.0.1:${basePort}/storage`,
        base.proc.pid!,
        `${api}/storage`,
      );
      await base.stop();
      rows.push({
        backend: name,
        scenario: 'authenticated GET /storage',
        result: authGet,
        baseline: baseAuth,
        ratio: authGet.rps / baseAuth.rps,
        target: '>= 1.0',
        pass: authGet.rps / baseAuth.rps >= 1.0,
      });
      rows.push({
        backend: name,
        scenario: 'p99 at 10 connections (GET /storage)',
        result: authGet,
        target: '< 10 ms',
        pass: authGet.p99 < 10,
      });
    }

    // 2. Forwarded GET: one volume, against the same vendor call made with the same keep-alive client.
    if (picked('forward')) {
      const fwdPort = await freePort();
      const fwd = await startTs(
        'bench/baselines/forward.ts',
        [],
        { PORT: String(fwdPort), BASELINE_CALL: JSON.stringify(DIRECT_VOLUME_GET[name](sim.url, vol.id, creds)) },
        /baseline ready/,
      );
      children.push(fwd);
      const [baseFwd, fwdGet] = await compare(
        `http://127.0.0.1:${fwdPort}/forward`,
        fwd.proc.pid!,
        `${api}${srv}/volume/${encodeURIComponent(vol.id)}`,
      );
      await fwd.stop();
      rows.push({
        backend: name,
        scenario: 'forwarded GET volume',
        result: fwdGet,
        baseline: baseFwd,
        ratio: fwdGet.rps / baseFwd.rps,
        target: '>= 0.7',
        pass: fwdGet.rps / baseFwd.rps >= 0.7,
      });
    }

    // 3. POST /session rate (each one logs in to the array and writes Redis).
    if (picked('session')) {
      const sessions = await run(`${api}/session`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ ipAddress: '127.0.0.1', port: sim.port }),
      });
      rows.push({
        backend: name,
        scenario: 'POST /session',
        result: sessions,
        note: 'each session logs in to the array',
      });
    }

    // 4. The first page and the page at the end as the array grows (sequential, as CDM walks).
    const bigArray = async (n: number) => {
      const big = await startSim(name, ['--volumes', String(n)]);
      children.push(big.child);
      const h = { ...headers, 'x-storageplugin-sessionid': await login(big.port) };
      return { big, h, list: `${api}${srv}/volume` };
    };
    if (picked('pages'))
      for (const n of LIST_SIZES) {
        const { big, h, list } = await bigArray(n);
        const f = await firstAndLast(list, h, n);
        await big.child.stop();
        const ratio = f.lastMs / f.firstMs;
        rows.push({
          backend: name,
          scenario: `page at the end / first page, ${n} volumes`,
          result: { ms: Number(f.lastMs.toFixed(1)) },
          baseline: { ms: Number(f.firstMs.toFixed(1)) },
          ratio,
          target: n >= 100_000 ? '<= 1.5' : undefined,
          pass: n >= 100_000 ? ratio <= 1.5 : undefined,
          note: `a jump to start=${Math.max(0, n - 2 * PAGE)} without a cursor: ${f.jumpMs.toFixed(1)} ms`,
        });
      }

    // 5. A full sequential walk against (pages x first-page time); vSnap against one direct listing plus that.
    if (picked('walk')) {
      const { big, h, list } = await bigArray(WALK_SIZE);
      const tiny = await bigArray(10);
      const firstTiny = (await firstAndLast(tiny.list, tiny.h, 10)).firstMs;
      await tiny.big.child.stop();
      const first = (await firstAndLast(list, h, WALK_SIZE)).firstMs;
      const w = await walk(list, h);
      const listing = name === 'vsnap' ? await directVsnapListing(big.url, creds) : undefined;
      await big.child.stop();
      const floor = listing !== undefined ? listing + w.pages * firstTiny : w.pages * first;
      const limit = listing !== undefined ? 2 : 1.5;
      rows.push({
        backend: name,
        scenario: `full walk, ${WALK_SIZE} volumes (${w.pages} pages)`,
        result: { ms: w.ms },
        baseline: { ms: Math.round(floor) },
        ratio: w.ms / floor,
        target: `<= ${limit}`,
        pass: w.ms / floor <= limit,
        note:
          listing !== undefined
            ? `baseline: one direct listing ${listing.toFixed(0)} ms + pages x first page at 10 volumes (${firstTiny.toFixed(1)} ms)`
            : `baseline: pages x first page (${first.toFixed(1)} ms)`,
      });
    }

    // 5. Consistency-group snapshot of 50 volumes at 20 ms a vendor call, against 50 snapshots one at a time.
    if (!picked('cg')) {
      // not asked for
    } else if (
      backend.capabilities.consistencyGroups &&
      simulatorNamed(backend.name).fixture(sim.url).createConsistencyGroup
    ) {
      const slow = await startSim(name, ['--latency', '20']);
      children.push(slow.child);
      const slowSid = await login(slow.port);
      const slowFixture = simulatorNamed(backend.name).fixture(slow.url);
      const ids: string[] = [];
      for (let i = 0; i < 50; i++)
        ids.push((await slowFixture.createVolume({ name: `cg${i}`, type: 'lun', sizeBytes: 1 << 20 })).id);
      const cg = await slowFixture.createConsistencyGroup!('benchcg', ids);
      const h = {
        'x-storageplugin-sessionid': slowSid,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      let t = Date.now();
      const r = await json(`${api}${srv}/consistencygroup/${encodeURIComponent(cg.id)}?action=take-snapshot`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ prefix: 'bench' }),
      });
      const cgMs = Date.now() - t;
      t = Date.now();
      for (const id of ids)
        await json(`${api}${srv}/volume/${encodeURIComponent(id)}/snapshot`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({ name: `seq-${id}` }),
        });
      const seqMs = Date.now() - t;
      rows.push({
        backend: name,
        scenario: 'CG take-snapshot, 50 volumes, 20 ms/call',
        result: { ms: cgMs },
        baseline: { ms: seqMs },
        ratio: seqMs / cgMs,
        target: '>= 5x faster',
        pass: r.status === 200 && seqMs / cgMs >= 5,
      });
      await slowFixture.close();
      await slow.child.stop();
    } else {
      rows.push({
        backend: name,
        scenario: 'CG take-snapshot, 50 volumes, 20 ms/call',
        result: {},
        note: 'no consistency groups on this backend',
      });
    }
    await fixture.close();
  } finally {
    const peak = rss.stop();
    rows.push({
      backend: name,
      scenario: 'plugin peak RSS under load',
      result: {},
      note: `${fmt(peak)} MB`,
      target: '< 150 MB',
      pass: peak < 150,
    });
    await Promise.allSettled(children.map((c) => c.stop()));
  }
}

function markdown(): string {
  const head =
    '| backend | scenario | req/s | p50 ms | p99 ms | CPU µs/req | baseline req/s | baseline CPU µs/req | ratio | target | pass | note |\n|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((r) =>
    [
      r.backend,
      r.scenario,
      r.result.ms !== undefined ? `${r.result.ms} ms` : fmt(r.result.rps, 0),
      fmt(r.result.p50),
      fmt(r.result.p99),
      fmt(r.result.cpuUsPerRequest, 0),
      r.baseline?.ms !== undefined ? `${r.baseline.ms} ms` : fmt(r.baseline?.rps, 0),
      fmt(r.baseline?.cpuUsPerRequest, 0),
      fmt(r.ratio, 2),
      r.target ?? '',
      r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
      r.note ?? '',
    ].join(' | '),
  );
  return `${head}\n${lines.map((l) => `| ${l} |`).join('\n')}\n`;
}

async function main(): Promise<void> {
  console.log('building the plugin (npm run build) ...');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const names = Object.keys(BACKENDS).filter(
    (n) => SIMULATORS[n] && DIRECT_VOLUME_GET[n] && (!ONLY || ONLY.includes(n)),
  );
  for (const name of names) {
    console.log(`benchmarking ${name} ...`);
    await benchBackend(name);
  }
  if (process.env.BENCH_OVERHEAD !== 'off' && picked('overhead')) {
    console.log('benchmarking the operator features (metrics, request ids) ...');
    const opts = { duration: DURATION, connections: CONNECTIONS, rounds: ROUNDS, redisUrl: REDIS_URL, mean };
    for (const r of await benchOverhead(opts)) rows.push({ backend: 'any', ...r });
  }
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    rounds: ROUNDS,
    scenarios: PICKED ?? SCENARIOS,
  };
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify({ meta, rows }, null, 2));
  const md = `# Benchmark (${meta.date}, ${meta.node}, ${DURATION} s runs, ${CONNECTIONS} connections)\n\n${markdown()}`;
  writeFileSync(path.join(dir, 'latest.md'), md);
  console.log(md);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
