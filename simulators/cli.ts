/**
 * `npm run simulator -- [backend] [options]`: runs a backend's simulator on its own, or with `--pair` two
 * simulators paired for replication (the second on PORT), as an administrator would pair two arrays.
 */
import { parseArgs } from 'node:util';
import { SIMULATORS, simulatorNamed } from '.';
import type { RunningSimulator } from './kit';

const USAGE = `usage: npm run simulator -- [${Object.keys(SIMULATORS).join('|')}] [options]

Runs a simulated array (the backend named, else $BACKEND, else vsnap) until SIGINT or SIGTERM.

options:
  --port N            port to listen on (default: $SIMULATOR_PORT, else the simulator's own)
  --host H            address to listen on (default: $SIMULATOR_HOST, else 127.0.0.1)
  --demo on|off       seed demo objects on a fresh state (default: on)
  --volumes N         extra empty volumes on a fresh state
  --latency MS        added to every vendor API call
  --rate BYTES_PER_S  pace of replication leaving the array (default: 64 MiB/s)
  --pair PORT         start a second simulator on PORT and pair the two for replication; an array
                      that lists peers by bare address (ontap) puts it on the next loopback
                      address (127.0.0.2): give it the first one's port, as real clusters share 443
  --regions N:P,N:P   a cloud service reached per region (scp): the regions this one process
                      serves, each on its own port, e.g. kr-west1:8903,kr-east1:8913 (instead of --port)
  -h, --help          show this help

environment: SIMULATOR_STATE_FILE keeps the state across restarts (not with --pair);
<BACKEND>_SIM_USER / <BACKEND>_SIM_PASSWORD change the account (default admin / simulator).`;

/** A usage error: one line on stderr and exit code 2. */
class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'string' },
        volumes: { type: 'string' },
        latency: { type: 'string' },
        rate: { type: 'string' },
        pair: { type: 'string' },
        regions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one backend at most, got ${positionals.join(' ')}`);
  const num = (flag: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) > max)
      throw new UsageError(`--${flag} takes an integer from 0 to ${max}, got '${v}'`);
    return Number(v);
  };
  if (values.demo !== undefined && values.demo !== 'on' && values.demo !== 'off')
    throw new UsageError(`--demo takes on or off, got '${values.demo}'`);
  if (values.regions !== undefined && values.port !== undefined)
    throw new UsageError('--regions names the port of every region: leave --port out');
  const envPort = process.env.SIMULATOR_PORT;
  return {
    help: values.help === true,
    name: positionals[0] ?? process.env.BACKEND ?? 'vsnap',
    port: num('port', values.port, 65535) ?? num('port (SIMULATOR_PORT)', envPort || undefined, 65535),
    pair: num('pair', values.pair, 65535),
    host: values.host ?? (process.env.SIMULATOR_HOST || undefined),
    demo: values.demo !== 'off',
    bulkVolumes: num('volumes', values.volumes),
    latencyMs: num('latency', values.latency),
    replicationRate: num('rate', values.rate),
    regions: values.regions === undefined ? undefined : regionsOf(values.regions),
  };
}

/** `name:port,name:port`: region names as clouds write them (kr-west1), ports 0-65535. */
function regionsOf(text: string): { name: string; port: number }[] {
  const regions = text.split(',').map((part) => {
    const m = /^([a-z][a-z0-9-]{1,30}):(\d{1,5})$/.exec(part.trim());
    if (!m || Number(m[2]) > 65535)
      throw new UsageError(`--regions takes name:port pairs separated by commas (kr-west1:8903), got '${part}'`);
    return { name: m[1], port: Number(m[2]) };
  });
  const names = regions.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new UsageError(`--regions names a region twice: ${text}`);
  return regions;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!SIMULATORS[args.name])
    throw new UsageError(`unknown backend '${args.name}'; simulators: ${Object.keys(SIMULATORS).join(', ')}`);
  const kit = simulatorNamed(args.name);
  if (args.pair !== undefined && !kit.pair)
    throw new UsageError(`the ${args.name} simulator cannot pair for replication`);
  if (args.regions && !kit.regional)
    throw new UsageError(`the ${args.name} simulator is one array, not a service per region: --regions does not apply`);
  if (args.pair !== undefined && kit.regional)
    throw new UsageError(`the ${args.name} simulator replicates between its own regions: use --regions, not --pair`);
  const common = {
    host: args.host,
    demo: args.demo,
    bulkVolumes: args.bulkVolumes,
    latencyMs: args.latencyMs,
    replicationRate: args.replicationRate,
  };
  const started: RunningSimulator[] = [];
  const stop = () => void Promise.allSettled(started.map((s) => s.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // A pair starts fresh on both sides: a kept primary would gather a pairing with every earlier partner.
  const stateFile = args.pair === undefined ? process.env.SIMULATOR_STATE_FILE || undefined : undefined;
  if (args.pair !== undefined && process.env.SIMULATOR_STATE_FILE)
    console.log('--pair: SIMULATOR_STATE_FILE is not used; both arrays start fresh');
  const primary = await kit.start({ ...common, port: args.port, stateFile, regions: args.regions });
  started.push(primary);
  const { username, password } = kit.credentials;
  console.log(`${kit.displayName} simulator listening on ${primary.url} (account ${username} / ${password})`);
  for (const r of primary.regions ?? []) console.log(`  region ${r.name}: ${r.url}`);
  if (args.pair === undefined) return;
  const at = kit.partnerAt?.(
    { host: new URL(primary.url).hostname.replace(/^\[(.*)\]$/, '$1'), port: primary.port },
    0,
  );
  const secondary = await kit.start({
    ...common,
    host: at?.host ?? common.host,
    port: args.pair,
    stateFile: undefined,
  });
  started.push(secondary);
  await kit.pair!(primary.url, secondary.url);
  console.log(
    `${kit.displayName} replication partner listening on ${secondary.url} (same account), paired with ${primary.url}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(err instanceof UsageError ? 2 : 1);
});
