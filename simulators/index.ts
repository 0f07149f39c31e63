/** The simulator registry: backend name -> kit. A simulator for a new backend is a folder plus one line here. */
import { elementKit } from './element';
import type { SimulatorKit } from './kit';
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
