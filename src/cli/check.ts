/**
 * `npm run check -- --backend ontap --host H [--port P] --user U [--json]`: before registering an array in CDM, logs
 * in through the real adapter and says what the array is, which CDM capabilities it will have (and why not), and
 * how its collections read (counts and latency). The password comes from ARRAY_PASSWORD or a prompt.
 */
import { parseArgs } from 'node:util';
import { BACKENDS } from '../../plugins';
import { silentLogger } from '../logs/logger';
import { type CheckReport, checkArray } from './check-array';
import { readPassword } from './prompt';

const USAGE = `usage: npm run check -- --backend <${Object.keys(BACKENDS).join('|')}> --host <host> [options]

Logs in to the array through the plugin's adapter and reports what CDM will be able to do with it.

options:
  --backend NAME     the storage type (as BACKEND)
  --host HOST        the array's address (host name or IP)
  --port PORT        its API port (default: the vendor's, e.g. 443 for Element and ONTAP)
  --user USER        the account (default: admin); the password from $ARRAY_PASSWORD or a prompt
  --scheme SCHEME    https (default) or http
  --insecure         accept a self-signed array certificate (as ARRAY_TLS_INSECURE=on)
  --timeout MS       budget of one array call (default: 30000)
  --json             print the report as JSON
  -h, --help         show this help

exit code: 0 when the array answers and every collection reads, 1 when it does not, 2 for a usage error.`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        backend: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        scheme: { type: 'string' },
        insecure: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { help: true as const };
  if (!v.backend || !BACKENDS[v.backend])
    throw new UsageError(
      `--backend must be one of ${Object.keys(BACKENDS).join(', ')}${v.backend ? `, got '${v.backend}'` : ''}`,
    );
  if (!v.host) throw new UsageError('--host is required: the array to check');
  const int = (flag: string, raw: string | undefined, min: number, max: number) => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new UsageError(`--${flag} takes an integer from ${min} to ${max}, got '${raw}'`);
    return Number(raw);
  };
  const scheme = v.scheme ?? 'https';
  if (scheme !== 'http' && scheme !== 'https') throw new UsageError(`--scheme takes http or https, got '${scheme}'`);
  return {
    help: false as const,
    backend: v.backend,
    host: v.host,
    port: int('port', v.port, 1, 65535),
    user: v.user ?? 'admin',
    scheme: scheme as 'http' | 'https',
    insecure: v.insecure === true,
    timeoutMs: int('timeout', v.timeout, 100, 600_000) ?? 30_000,
    json: v.json === true,
  };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function printTable(r: CheckReport): void {
  const out: string[] = [];
  if (r.array) {
    out.push(`${r.array.vendor} ${r.array.name} (version ${r.array.version}), storage id ${r.array.storageId}`);
    out.push(`logged in through the ${r.backend} adapter in ${ms(r.loginMs)}`, '');
  } else {
    out.push(`login to the array failed: ${r.error}`);
  }
  if (r.capabilities.length) {
    const w = Math.max(...r.capabilities.map((c) => c.name.length));
    out.push(`${'capability'.padEnd(w)}  CDM can use it`);
    for (const c of r.capabilities) out.push(`${c.name.padEnd(w)}  ${c.supported ? 'yes' : `no: ${c.why}`}`);
    out.push('');
  }
  if (r.collections.length) {
    const w = Math.max(...r.collections.map((c) => c.name.length));
    out.push(`${'collection'.padEnd(w)}  ${'count'.padStart(7)}  latency`);
    for (const c of r.collections)
      out.push(
        `${c.name.padEnd(w)}  ${String(c.count ?? '-').padStart(7)}  ${c.error ? `failed: ${c.error}` : ms(c.ms)}`,
      );
  }
  console.log(out.join('\n'));
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const password = process.env.ARRAY_PASSWORD ?? (await readPassword(`password of ${args.user}@${args.host}: `));
  const backend = BACKENDS[args.backend];
  const driver = backend.create({
    scheme: args.scheme,
    tlsInsecure: args.insecure,
    timeoutMs: args.timeoutMs,
    connectTimeoutMs: Math.min(args.timeoutMs, 5000),
    logger: silentLogger(),
  });
  try {
    const report = await checkArray(
      backend,
      driver,
      { ipAddress: args.host, port: args.port ?? backend.defaultPort },
      { username: args.user, password },
    );
    if (args.json) console.log(JSON.stringify(report, null, 2));
    else printTable(report);
    return report.ok ? 0 : 1;
  } finally {
    await driver.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
