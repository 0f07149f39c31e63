/**
 * `npm run simulator -- [backend] [--port N] [--host H] [--demo off] [--volumes N] [--latency MS]
 * [--rate BYTES_PER_S] [--pair PORT]`: runs a backend's simulator on its own, or with `--pair` two
 * simulators paired for replication (the second on PORT), as an administrator would pair two arrays.
 */
import { backendNamed } from '.';
import type { RunningSimulator } from '../src/backend';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string) => {
    const v = flag(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} takes a non-negative integer, got '${v}'`);
    return Number(v);
  };
  const name = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? process.env.BACKEND ?? 'vsnap';
  const backend = backendNamed(name);
  const simulator = backend.simulator;
  if (!simulator) throw new Error(`backend ${name} has no simulator`);
  const pairPort = num('pair');
  if (pairPort !== undefined && !simulator.pair) throw new Error(`the ${name} simulator cannot pair for replication`);
  const port = num('port') ?? (process.env.SIMULATOR_PORT === undefined ? undefined : Number(process.env.SIMULATOR_PORT));
  const common = {
    host: flag('host') ?? process.env.SIMULATOR_HOST,
    demo: flag('demo') !== 'off',
    bulkVolumes: num('volumes'),
    latencyMs: num('latency'),
    replicationRate: num('rate'),
  };
  const started: RunningSimulator[] = [];
  const stop = () => void Promise.allSettled(started.map((s) => s.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // A pair starts fresh on both sides: a kept primary would gather a pairing with every earlier partner.
  const stateFile = pairPort === undefined ? process.env.SIMULATOR_STATE_FILE || undefined : undefined;
  if (pairPort !== undefined && process.env.SIMULATOR_STATE_FILE) console.log('--pair: SIMULATOR_STATE_FILE is not used; both arrays start fresh');
  const primary = await simulator.start({ ...common, port, stateFile });
  started.push(primary);
  const { username, password } = simulator.credentials;
  console.log(`${backend.displayName} simulator listening on ${primary.url} (account ${username} / ${password})`);
  if (pairPort === undefined) return;
  const secondary = await simulator.start({ ...common, port: pairPort, stateFile: undefined });
  started.push(secondary);
  await simulator.pair!(primary.url, secondary.url);
  console.log(`${backend.displayName} replication partner listening on ${secondary.url} (same account), paired with ${primary.url}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
