// Standalone vSnap simulator: `npx tsx plugins/vsnap/simulator/main.ts` (env VSNAP_SIM_PORT, VSNAP_SIM_HOST, SIMULATOR_STATE_FILE, VSNAP_SIM_REPLICATION_RATE).
import { startVsnapSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.VSNAP_SIM_PORT ?? 8900);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`VSNAP_SIM_PORT must be a port number, got ${process.env.VSNAP_SIM_PORT}`);
  const sim = await startVsnapSimulator({
    port,
    host: process.env.VSNAP_SIM_HOST || undefined,
    demo: process.env.VSNAP_SIM_DEMO !== 'false',
    replicationRate: Number(process.env.VSNAP_SIM_REPLICATION_RATE) || undefined,
  });
  console.log(`vSnap simulator listening on ${sim.url}`);
  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('vSnap simulator: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('vSnap simulator failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
