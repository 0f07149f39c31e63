/** Runs the real plugin entry point (src/server.ts) as a child process, for start-up and TLS tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REDIS_URL } from './env';

export interface PluginProcess {
  proc: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

export function spawnPlugin(env: NodeJS.ProcessEnv): PluginProcess {
  const logDir = mkdtempSync(path.join(tmpdir(), 'cdm-plugin-proc-'));
  const proc = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...{ PATH: process.env.PATH, LOG_DIR: logDir, REDIS_URL, LOG_LEVEL: 'info' },
      // Logins and failed logins from loopback are counted across every suite sharing the Redis (see
      // TEST_LOGIN_LIMITS): a test of the limits sets its own.
      ...{ SESSION_RATE_LIMIT: '1000000', LOGIN_FAILURES_PER_CLIENT: '1000000', LOGIN_FAILURES_PER_ARRAY: '1000000' },
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Waits until the output contains the text (or the process exits). */
export async function waitForOutput(p: PluginProcess, text: string | RegExp, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  const has = () => (typeof text === 'string' ? p.output().includes(text) : text.test(p.output()));
  while (!has()) {
    if (p.proc.exitCode !== null) throw new Error(`plugin exited (${p.proc.exitCode}):\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`no '${text}' in plugin output within ${ms} ms:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
