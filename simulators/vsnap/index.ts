/** The vSnap simulator kit: an IBM Spectrum Protect Plus vSnap appliance speaking the vSnap REST API. */
import type { SimulatorKit } from '../kit';
import { pairVsnap, vsnapFixture } from './fixture';
import { startVsnapSimulator } from './server';

/** vSnap's REST API port, on the simulator as on the appliance. */
export const VSNAP_SIM_DEFAULT_PORT = 8900;

export const vsnapKit: SimulatorKit = {
  displayName: 'IBM Spectrum Protect Plus vSnap',
  defaultPort: VSNAP_SIM_DEFAULT_PORT,
  credentials: { username: 'admin', password: 'simulator' },
  async start(opts) {
    const sim = await startVsnapSimulator({ ...opts, port: opts.port ?? VSNAP_SIM_DEFAULT_PORT });
    if (opts.latencyMs) sim.faults.update({ latencyMs: opts.latencyMs });
    return { url: sim.url, port: sim.port, close: () => sim.close() };
  },
  fixture: (url) => vsnapFixture(url),
  pair: (primaryUrl, secondaryUrl) => pairVsnap(primaryUrl, secondaryUrl),
};
