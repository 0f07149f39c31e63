/** The Element simulator kit: a NetApp Element (SolidFire) cluster speaking the Element JSON-RPC API. */
import type { SimulatorKit } from '../kit';
import { elementFixture, pairClusters } from './fixture';
import { ELEMENT_SIM_DEFAULT_PORT, startElementSimulator } from './server';

export const elementKit: SimulatorKit = {
  displayName: 'NetApp Element (SolidFire)',
  // A real cluster serves its API on 443 of its MVIP; the simulator keeps a port of its own.
  defaultPort: ELEMENT_SIM_DEFAULT_PORT,
  credentials: { username: 'admin', password: 'simulator' },
  async start(opts) {
    const sim = await startElementSimulator({ ...opts, port: opts.port ?? ELEMENT_SIM_DEFAULT_PORT });
    return { url: sim.url, port: sim.port, close: () => sim.close() };
  },
  fixture: (url) => elementFixture(url),
  pair: (primaryUrl, secondaryUrl) => pairClusters(primaryUrl, secondaryUrl),
};
