/** The ONTAP simulator kit: a NetApp ONTAP cluster speaking ONTAP REST, over HTTP and HTTPS on one port. */
import type { SimulatorKit } from '../kit';
import { ontapFixture } from './fixture';
import { pairSimulators } from './pairing';
import { ONTAP_SIM_DEFAULT_PORT, startOntapSimulator } from './server';

export const ontapKit: SimulatorKit = {
  displayName: 'NetApp ONTAP',
  // A real cluster serves its API on 443 of its management LIF; the simulator keeps a port of its own.
  defaultPort: ONTAP_SIM_DEFAULT_PORT,
  credentials: { username: 'admin', password: 'simulator' },
  async start(opts) {
    const sim = await startOntapSimulator({ ...opts, port: opts.port ?? ONTAP_SIM_DEFAULT_PORT });
    return { url: sim.url, port: sim.port, close: () => sim.close() };
  },
  fixture: (url) => ontapFixture(url),
  pair: (primaryUrl, secondaryUrl) => pairSimulators(primaryUrl, secondaryUrl),
  // Clusters answer their API on one port (443) and list peers by bare address: a partner takes the next loopback
  // addresses (127.0.0.2, 127.0.0.3 ...; Linux answers on all of 127/8) and the primary's port.
  partnerAt: ({ host, port }, n) => ({ host: nextLoopback(host, n + 1), port }),
};

/** The loopback address `step` after `host` (127.0.0.1 -> 127.0.0.2); ::1 has no neighbour and stays. */
function nextLoopback(host: string, step: number): string {
  const m = /^127\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!m) return host;
  const n = ((+m[1] << 16) | (+m[2] << 8) | +m[3]) + step;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
