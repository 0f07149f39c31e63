// Standalone Element simulator: `npx tsx plugins/element/simulator/main.ts` (env ELEMENT_SIM_PORT, ELEMENT_SIM_HOST, ELEMENT_SIM_DEMO, SIMULATOR_STATE_FILE).
import { ELEMENT_SIM_DEFAULT_PORT, startElementSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.ELEMENT_SIM_PORT ?? ELEMENT_SIM_DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`ELEMENT_SIM_PORT must be a port number, got ${process.env.ELEMENT_SIM_PORT}`);
  const sim = await startElementSimulator({ port, host: process.env.ELEMENT_SIM_HOST || undefined, demo: process.env.ELEMENT_SIM_DEMO !== 'false' });
  console.log(`Element simulator listening on ${sim.url} (JSON-RPC at ${sim.url}/json-rpc/12.3)`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Element simulator: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('Element simulator failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
