/** `npm run simulator -- [backend] [--port N] [--host H] [--demo off] [--volumes N] [--latency MS]`: runs a backend's simulator on its own. */
import { backendNamed } from '.';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? process.env.BACKEND ?? 'vsnap';
  const backend = backendNamed(name);
  if (!backend.simulator) throw new Error(`backend ${name} has no simulator`);
  const port = flag('port') ?? process.env.SIMULATOR_PORT;
  const sim = await backend.simulator.start({
    port: port === undefined ? undefined : Number(port),
    host: flag('host') ?? process.env.SIMULATOR_HOST,
    stateFile: process.env.SIMULATOR_STATE_FILE,
    demo: flag('demo') !== 'off',
    bulkVolumes: flag('volumes') === undefined ? undefined : Number(flag('volumes')),
    latencyMs: flag('latency') === undefined ? undefined : Number(flag('latency')),
  });
  const { username, password } = backend.simulator.credentials;
  console.log(`${backend.displayName} simulator listening on ${sim.url} (account ${username} / ${password})`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
