/**
 * What the operator features cost on the hot path (an authenticated GET /storage on vSnap; they do not depend on the
 * backend), measured two ways that a shared machine's noise cannot fake:
 * - Paired runs: in each round a fresh instance of each build serves the same load at the same time, so a neighbour's
 *   burst, a slow core or an unlucky instance hits one round of both alike; the figure is the median over the rounds
 *   of the CPU time per request ratio (capacity: at saturation req/s is the inverse of it) and of the req/s ratio.
 *   Compared: METRICS=on against off; request ids against this build with them taken out (they cannot be switched off,
 *   so the benchmark makes that build itself); both against neither; an A/A control (the noise of this run); and, when
 *   BENCH_BASELINE_REF names a git ref, the build of BENCH_REF (default: this tree) against that ref's build.
 * - A CPU profile of one METRICS=on instance under the same load: the share of its CPU time spent in metrics code.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { SIMULATORS } from '../simulators';
import { type LoadResult, load, warm } from './load';
import { PRODUCTION_NODE_FLAGS } from './node-flags';
import { ROOT, freePort, startNode, startTs } from './procs';

export interface OverheadRow {
  scenario: string;
  result: LoadResult;
  baseline?: LoadResult;
  ratio?: number;
  target: string;
  pass: boolean;
  note?: string;
}

interface Options {
  duration: number;
  connections: number;
  rounds: number;
  redisUrl: string;
  mean: (r: LoadResult[]) => LoadResult;
}

/** A build (the root holding its dist/) and the settings it runs with. */
interface Variant {
  root: string;
  env: NodeJS.ProcessEnv;
  nodeFlags?: string[];
}

/** A compiled plugin on vSnap with a session, warmed up. */
async function plugin(v: Variant, simPort: number, o: Options) {
  const port = await freePort();
  const logDir = mkdtempSync(path.join(tmpdir(), 'bench-logs-'));
  const child = await startNode(
    [...PRODUCTION_NODE_FLAGS, ...(v.nodeFlags ?? []), path.join(v.root, 'dist/src/server.js')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      BACKEND: 'vsnap',
      SIMULATOR: 'off',
      ARRAY_SCHEME: 'http',
      REDIS_URL: o.redisUrl,
      LOG_DIR: logDir,
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_RATE_LIMIT: '1000000',
      ...v.env,
    },
    /listening on/,
  );
  const api = `http://127.0.0.1:${port}/storageplugin/api`;
  const { username, password } = SIMULATORS.vsnap.credentials;
  const res = await request(`${api}/session`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ipAddress: '127.0.0.1', port: simPort }),
  });
  const { sessionId } = (await res.body.json()) as { sessionId: string };
  const opts = {
    url: `${api}/storage`,
    headers: { 'x-storageplugin-sessionid': sessionId, accept: 'application/json' },
    connections: o.connections,
    duration: o.duration,
    pid: child.proc.pid,
  };
  await warm(opts);
  return {
    run: () => load(opts),
    stop: async () => {
      await child.stop();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Comparison {
  result: LoadResult;
  baseline: LoadResult;
  /** Median of the rounds' req/s ratios. */
  ratio: number;
  /** Median of the rounds' CPU time per request ratios (b / a: above 1 when `a` costs less). */
  capacity: number;
  note: string;
}

/** Paired rounds of `a` against `b`, each round on fresh instances loaded at the same time. */
async function compare(a: Variant, b: Variant, simPort: number, o: Options): Promise<Comparison> {
  const ra: LoadResult[] = [];
  const rb: LoadResult[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const [pa, pb] = await Promise.all([plugin(a, simPort, o), plugin(b, simPort, o)]);
    try {
      // Which load starts first alternates, so neither always has the head start.
      const [x, y] =
        i % 2 ? await Promise.all([pa.run(), pb.run()]) : (await Promise.all([pb.run(), pa.run()])).reverse();
      ra.push(x);
      rb.push(y);
    } finally {
      await Promise.all([pa.stop(), pb.stop()]);
    }
  }
  const ratios = ra.map((r, i) => r.rps / rb[i].rps);
  const capacities = ra.map((r, i) => (rb[i].cpuUsPerRequest ?? NaN) / (r.cpuUsPerRequest ?? NaN));
  const span = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
  return {
    result: o.mean(ra),
    baseline: o.mean(rb),
    ratio: median(ratios),
    capacity: median(capacities),
    note: `${o.rounds} paired rounds; req/s ratio median ${median(ratios).toFixed(3)} (rounds ${span(ratios)}); capacity (inverse CPU per request) median ${median(capacities).toFixed(3)} (rounds ${span(capacities)})`,
  };
}

/**
 * A row whose ratio is the capacity ratio: the plugin's throughput at saturation, which CPU time per request decides,
 * and which a busy neighbour moves far less than the req/s of a shared machine.
 */
function row(scenario: string, c: Comparison, target: '>= 0.97' | 'measured', note?: string): OverheadRow {
  return {
    scenario,
    result: c.result,
    baseline: c.baseline,
    ratio: c.capacity,
    target,
    pass: target === 'measured' || c.capacity >= 0.97,
    note: note ? `${note}; ${c.note}` : c.note,
  };
}

/** The build of a git ref, in a temporary worktree sharing this tree's node_modules. */
function buildRef(ref: string): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-ref-'));
  execFileSync('git', ['worktree', 'add', '--detach', root, ref], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(path.join(root, 'node_modules')))
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  return {
    root,
    remove: () => {
      execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: ROOT, stdio: 'ignore' });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * This build without request ids: a copy of dist/ whose request frame neither makes, sends nor logs one. The copy sits
 * under the project root, so it finds the spec and node_modules as dist/ does. Throws when the frame no longer has the
 * lines taken out, so the comparison cannot silently compare a build with itself.
 */
function withoutRequestIds(): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(ROOT, '.bench-'));
  cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  const frame = path.join(root, 'dist/src/http/request-frame.js');
  const cuts: [RegExp, string][] = [
    [
      /const id = typeof given === 'string' && ACCEPTABLE\.test\(given\) \? given : newId\(\);/,
      'const id = undefined;',
    ],
    [/res\.locals\.requestId = id;/, ''],
    [/res\.setHeader\('X-Request-Id', id\);/, ''],
  ];
  let js = readFileSync(frame, 'utf8');
  for (const [re, by] of cuts) {
    if (!re.test(js)) throw new Error(`the request frame changed: ${re} is not in ${frame}; update bench/overhead.ts`);
    js = js.replace(re, by);
  }
  writeFileSync(frame, js);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/**
 * One METRICS=on instance under load with --cpu-prof: the share of its CPU time (idle left out) in the metrics code
 * (prom-client, src/metrics, the GC observer's performance entries) against all of it.
 */
async function metricsShare(simPort: number, o: Options): Promise<OverheadRow> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-prof-'));
  try {
    const p = await plugin(
      { root: ROOT, env: { METRICS: 'on' }, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
      simPort,
      o,
    );
    // The profile's clock is the monotonic clock process.hrtime reads: only samples taken during the load count (not
    // the start-up, login and warm-up).
    const from = Number(process.hrtime.bigint() / 1000n);
    let result: LoadResult;
    let to: number;
    try {
      result = await p.run();
      to = Number(process.hrtime.bigint() / 1000n);
    } finally {
      await p.stop();
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the plugin wrote no CPU profile');
    const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      nodes: ProfileNode[];
      startTime: number;
      samples: number[];
      timeDeltas: number[];
    };
    const byNode = new Map(prof.nodes.map((n) => [n.id, n]));
    let busy = 0;
    let metrics = 0;
    let at = prof.startTime;
    prof.samples.forEach((id, i) => {
      const frame = byNode.get(id)?.callFrame;
      const dt = prof.timeDeltas[i] ?? 0;
      at += dt;
      if (at < from || at > to || !frame || frame.functionName === '(idle)') return;
      busy += dt;
      if (/node_modules\/prom-client\/|\/dist\/src\/metrics\.js$|internal\/perf\//.test(frame.url)) metrics += dt;
    });
    if (busy < 2e5)
      throw new Error(`the CPU profile holds ${busy / 1e6} s of busy time during the load: clocks differ?`);
    const share = metrics / busy;
    return {
      scenario: 'GET /storage, METRICS=on: share of the plugin CPU time in metrics code (CPU profile under load)',
      result,
      ratio: 1 - share,
      target: '>= 0.97',
      pass: share <= 0.03,
      note: `${(share * 100).toFixed(2)}% of ${(busy / 1e6).toFixed(1)} s of CPU`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shortRef = (ref: string) =>
  execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).trim();

export async function benchOverhead(o: Options): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  const simPort = await freePort();
  const sim = await startTs(
    'simulators/cli.ts',
    ['vsnap', '--port', String(simPort), '--demo', 'off'],
    { SIMULATOR_STATE_FILE: '' },
    /listening on/,
  );
  const builds: { remove(): void }[] = [];
  try {
    const on = { root: ROOT, env: { METRICS: 'on' } };
    const off = { root: ROOT, env: { METRICS: 'off' } };
    const bare = withoutRequestIds();
    builds.push(bare);
    const neither = { root: bare.root, env: { METRICS: 'off' } };
    const compared = (a: Variant, b: Variant) => compare(a, b, simPort, o);
    rows.push(
      row(
        'GET /storage, METRICS=off vs METRICS=off (A/A: the noise of this run)',
        await compared(off, off),
        'measured',
      ),
    );
    rows.push(row('GET /storage, METRICS=on vs METRICS=off', await compared(on, off), '>= 0.97'));
    rows.push(row('GET /storage, request ids vs none (both METRICS=off)', await compared(off, neither), '>= 0.97'));
    rows.push(
      row(
        'GET /storage, metrics and request ids vs neither (the operator features together)',
        await compared(on, neither),
        '>= 0.97',
      ),
    );
    rows.push(await metricsShare(simPort, o));
    // The request lines on stdout (LOG_STDOUT) are a cost of their own: a second write of every line.
    rows.push(
      row(
        'GET /storage, log lines on stdout and in the file vs in the file only (LOG_STDOUT=off)',
        await compared(on, { root: ROOT, env: { METRICS: 'on', LOG_STDOUT: 'off' } }),
        'measured',
      ),
    );
    const baseRef = process.env.BENCH_BASELINE_REF;
    if (baseRef) {
      const ref = process.env.BENCH_REF;
      const base = buildRef(baseRef);
      builds.push(base);
      const mine = ref ? buildRef(ref) : undefined;
      if (mine) builds.push(mine);
      rows.push(
        row(
          `GET /storage, ${ref ? `git ${shortRef(ref)}` : 'this build'} vs git ${shortRef(baseRef)}, default settings`,
          await compared({ root: mine?.root ?? ROOT, env: {} }, { root: base.root, env: {} }),
          '>= 0.97',
          `baseline: git ${shortRef(baseRef)}`,
        ),
      );
    }
  } finally {
    for (const b of builds) b.remove();
    await sim.stop();
  }
  return rows;
}
