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
};
