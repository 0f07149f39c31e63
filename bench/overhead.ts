/**
 * What the operator features cost on the hot path: an authenticated GET /storage on the plugin with METRICS=on against
 * the same build with METRICS=off, and, when BENCH_BASELINE_REF names a git ref, against that ref's build (e.g. the
 * commit before request ids and metrics). Runs alternate, so a shared machine's noise hits both alike.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
  baseline: LoadResult;
  ratio: number;
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

/** A compiled plugin on vSnap (the operator features do not depend on the backend), with a session. */
async function plugin(root: string, simPort: number, env: NodeJS.ProcessEnv, o: Options) {
  const port = await freePort();
  const child = await startNode(
    [...PRODUCTION_NODE_FLAGS, path.join(root, 'dist/src/server.js')],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      BACKEND: 'vsnap',
      SIMULATOR: 'off',
      ARRAY_SCHEME: 'http',
      REDIS_URL: o.redisUrl,
      LOG_DIR: mkdtempSync(path.join(tmpdir(), 'bench-logs-')),
      SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_RATE_LIMIT: '1000000',
      ...env,
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
  return { child, run: () => load(opts) };
}

/** Compares two plugins on the same request, alternating runs. */
async function compare(a: Awaited<ReturnType<typeof plugin>>, b: Awaited<ReturnType<typeof plugin>>, o: Options) {
  const ra: LoadResult[] = [];
  const rb: LoadResult[] = [];
  for (let i = 0; i < o.rounds; i++) {
    rb.push(await b.run());
    ra.push(await a.run());
  }
  const result = o.mean(ra);
  const baseline = o.mean(rb);
  return { result, baseline, ratio: result.rps / baseline.rps };
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

export async function benchOverhead(o: Options): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  const simPort = await freePort();
  const sim = await startTs(
    'simulators/cli.ts',
    ['vsnap', '--port', String(simPort), '--demo', 'off'],
    { SIMULATOR_STATE_FILE: '' },
    /listening on/,
  );
  try {
    const on = await plugin(ROOT, simPort, { METRICS: 'on' }, o);
    try {
      const off = await plugin(ROOT, simPort, { METRICS: 'off' }, o);
      try {
        rows.push({
          scenario: 'GET /storage, METRICS=on vs METRICS=off',
          ...(await compare(on, off, o)),
          target: '>= 0.97',
          pass: false,
        });
      } finally {
        await off.child.stop();
      }
      // The request lines on stdout (LOG_STDOUT) are a cost of their own: a second write of every line.
      const fileOnly = await plugin(ROOT, simPort, { METRICS: 'on', LOG_STDOUT: 'off' }, o);
      try {
        rows.push({
          scenario: 'GET /storage, log lines on stdout and in the file vs in the file only (LOG_STDOUT=off)',
          ...(await compare(on, fileOnly, o)),
          target: 'measured',
          pass: true,
        });
      } finally {
        await fileOnly.child.stop();
      }
      const ref = process.env.BENCH_BASELINE_REF;
      if (ref) {
        const build = buildRef(ref);
        try {
          const old = await plugin(build.root, simPort, {}, o);
          // Both write request lines to the file only: the comparison is what metrics and request ids cost.
          const current = await plugin(ROOT, simPort, { METRICS: 'on', LOG_STDOUT: 'off' }, o);
          try {
            rows.push({
              scenario: `GET /storage, this build (metrics, request ids) vs ${ref}, request lines in the file only`,
              ...(await compare(current, old, o)),
              target: '>= 0.97',
              pass: false,
              note: `baseline: git ${execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).trim()}`,
            });
          } finally {
            await Promise.all([old.child.stop(), current.child.stop()]);
          }
        } finally {
          build.remove();
        }
      }
    } finally {
      await on.child.stop();
    }
  } finally {
    await sim.stop();
  }
  for (const r of rows) if (r.target !== 'measured') r.pass = r.ratio >= 0.97;
  return rows;
}
