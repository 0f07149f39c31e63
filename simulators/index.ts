/** The simulator registry: backend name -> kit. A simulator for a new backend is a folder plus one line here. */
import { elementKit } from './element';
import type { RunningSimulator, SimulatorKit, SimulatorStartOptions } from './kit';
import { ontapKit } from './ontap';
import { scpKit } from './scp';
import { vsnapKit } from './vsnap';

export type { ArrayFixture, RunningSimulator, SimulatorKit, SimulatorStartOptions } from './kit';

export const SIMULATORS: Record<string, SimulatorKit> = {
  vsnap: vsnapKit,
  element: elementKit,
  ontap: ontapKit,
  scp: scpKit,
};

/** The kit of a backend; an unknown name fails listing the known ones. */
export function simulatorNamed(name: string): SimulatorKit {
  const kit = SIMULATORS[name];
  if (!kit) throw new Error(`no simulator named '${name}'; simulators: ${Object.keys(SIMULATORS).join(', ')}`);
  return kit;
}

/**
 * Starts the n-th replication partner of the simulator at `primaryUrl`: where the kit wants it (`partnerAt`), else on a
 * free port of the same address. A partner address whose port is taken falls back to a free port there.
 */
export async function startPartner(
  kit: SimulatorKit,
  primaryUrl: string,
  n = 0,
  opts: SimulatorStartOptions = {},
): Promise<RunningSimulator> {
  const url = new URL(primaryUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const at = kit.partnerAt?.({ host, port: Number(url.port) }, n);
  if (!at) return kit.start({ ...opts, host, port: 0 });
  return kit.start({ ...opts, ...at }).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return kit.start({ ...opts, host: at.host, port: 0 });
  });
}
