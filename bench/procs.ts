/**
 * Child processes for the benchmark: the plugin, simulators and baselines, each in its own process so RSS and CPU are
 * its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface Child {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point with tsx and waits until its output matches `ready`. */
export function startTs(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<Child> {
  // --import tsx runs the script in this one process (the tsx CLI would add a wrapper process).
  return startNode(['--import', 'tsx', script, ...args], env, ready, timeoutMs);
}

/** Runs node with these arguments and waits until its output matches `ready`. */
export async function startNode(
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<Child> {
  const script = nodeArgs.find((a) => /\.(ts|js)$/.test(a)) ?? nodeArgs.join(' ');
  const proc = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Keep only the tail: a plugin logs a line per request.
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(out)) {
    if (proc.exitCode !== null) throw new Error(`${script} exited (${proc.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`${script} not ready within ${timeoutMs} ms:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 100 ms; stop() gives the peak. */
export function rssPeak(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/** CPU time a process has used so far, in ms (user + system, from /proc; clock ticks are 10 ms). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
