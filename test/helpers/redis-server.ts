/** A throwaway redis-server process on a free loopback port, for outage tests (kill, hang, restart). */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(200);
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      s.destroy();
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      resolve(false);
      s.destroy();
    });
  });
}

export class ThrowawayRedis {
  private proc?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  /** A server with the usual throwaway settings plus `extraArgs`. */
  static async start(extraArgs: string[] = [], port?: number): Promise<ThrowawayRedis> {
    const p = port ?? (await freePort());
    return ThrowawayRedis.startExact(
      ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
      p,
    );
  }

  /** A server started with exactly these arguments (e.g. a config file first, for Sentinel). */
  static async startExact(args: string[], port: number): Promise<ThrowawayRedis> {
    const r = new ThrowawayRedis(port, args);
    await r.restart();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** (Re)starts the server on the same port and waits until it answers. */
  async restart(): Promise<void> {
    // redis-server must be installed (CI installs Debian's redis-server): a missing binary fails the test loudly.
    this.proc = spawn('redis-server', this.args, { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) => this.proc!.once('error', reject));
    const deadline = Date.now() + 5000;
    while (!(await Promise.race([answers(this.port), failed]))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills the server outright (SIGKILL) and waits until it is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    // A process killed by a signal keeps exitCode null: signalCode says it is gone.
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP / SIGCONT: a Redis that accepts connections but never answers. */
  freeze(): void {
    this.proc?.kill('SIGSTOP');
  }

  thaw(): void {
    this.proc?.kill('SIGCONT');
  }
}
