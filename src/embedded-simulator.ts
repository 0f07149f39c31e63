/**
 * Starts the backend's simulator inside the plugin when SIMULATOR is on: the one place the product
 * reaches into the simulators, loaded only then. The module is named at run time so that the
 * production build, which holds no simulator, compiles and runs without it.
 */
const SIMULATORS_MODULE = '../simulators/index';

export interface EmbeddedSimulator {
  url: string;
  port: number;
  /** A cloud service's simulator serves several regions, each at its own URL (the first is `url`). */
  regions?: { name: string; url: string }[];
  close(): Promise<void>;
}

/** The part of a simulator kit the plugin uses (the kits are typed in the simulators' own tree). */
interface Kit {
  start(opts: { port?: number; host?: string; stateFile?: string }): Promise<EmbeddedSimulator>;
}

export class NoSimulatorError extends Error {}

export async function startEmbeddedSimulator(
  backend: string,
  opts: { port?: number; stateFile?: string },
): Promise<EmbeddedSimulator> {
  let kits: Record<string, Kit>;
  try {
    kits = ((await import(SIMULATORS_MODULE)) as { SIMULATORS: Record<string, Kit> }).SIMULATORS;
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new NoSimulatorError(
      'this build holds no simulator: set SIMULATOR=off and open sessions on a real array, or run the plugin from its sources (npm start)',
    );
  }
  const kit = kits[backend];
  if (!kit) throw new NoSimulatorError(`backend '${backend}' has no simulator: set SIMULATOR=off`);
  return kit.start({ port: opts.port, host: '127.0.0.1', stateFile: opts.stateFile });
}
