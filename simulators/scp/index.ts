// The SCP File Storage simulator kit: Samsung Cloud Platform File Storage speaking the filestorage OpenAPI with
// signed requests, one process serving one or more regions on their own ports.
import type { SimulatorKit } from '../kit';
import { keyOf, pairScp, scpFixture } from './fixture';
import { type RegionSpec, generatedRegionName, startScpSimulator } from './server';

/** The simulator's own port (the service itself answers on 443 of each region's endpoint). */
export const SCP_SIM_DEFAULT_PORT = 8903;
/** The second region of a simulator started on a fixed port listens this much higher. */
export const SECOND_REGION_OFFSET = 10;

const DEFAULT_USER = '6f1c2a9e4b7d4c0e8a35d2b1e9f07c43/simulatoraccesskey01';
const DEFAULT_SECRET = 'simulator-secret-key';

/**
 * Without regions named: on a fixed port, kr-west1 there and kr-east1 ten ports up (its fallback any free port); on
 * port 0 (tests), one region of a generated name (or the one a state file kept), so that simulators started that way
 * can pair.
 */
export function defaultRegions(port: number): RegionSpec[] {
  if (port === 0) return [{ name: generatedRegionName(), port: 0, generated: true }];
  return [
    { name: 'kr-west1', port },
    { name: 'kr-east1', port: port + SECOND_REGION_OFFSET, anyPortIfTaken: true },
  ];
}

const credentials = () => ({
  username: process.env.SCP_SIM_USER || DEFAULT_USER,
  password: process.env.SCP_SIM_PASSWORD || DEFAULT_SECRET,
});

export const scpKit: SimulatorKit = {
  displayName: 'Samsung Cloud Platform File Storage',
  defaultPort: SCP_SIM_DEFAULT_PORT,
  get credentials() {
    return credentials();
  },
  regional: true,
  async start(opts) {
    const { username, password } = credentials();
    const sim = await startScpSimulator({
      regions: opts.regions ?? defaultRegions(opts.port ?? SCP_SIM_DEFAULT_PORT),
      host: opts.host,
      keys: [keyOf(username, password)],
      stateFile: opts.stateFile,
      demo: opts.demo,
      bulkVolumes: opts.bulkVolumes,
      latencyMs: opts.latencyMs,
      replicationRate: opts.replicationRate,
    });
    return {
      url: sim.url,
      port: sim.port,
      regions: sim.regions.map((r) => ({ name: r.name, url: r.url, port: r.port })),
      close: () => sim.close(),
    };
  },
  fixture: (url) => scpFixture(url, credentials().username, credentials().password),
  pair: (primaryUrl, secondaryUrl) => pairScp(primaryUrl, secondaryUrl, credentials().username, credentials().password),
};
