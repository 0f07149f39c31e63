/**
 * The suite's inputs, from flags or the environment (flags win): plugin URL, array, credentials, backend, report file.
 */
import type { SuiteOptions } from './context';

export const USAGE = `usage: npm run test:contract -- [options]

  --url URL          plugin API base URL            (CONTRACT_URL, default http://127.0.0.1:8080/storageplugin/api)
  --array HOST:PORT  the array sessions are opened on (CONTRACT_ARRAY, default 127.0.0.1:8900)
  --user NAME        array account                   (CONTRACT_USER, default admin)
  --password PASS    array password                  (CONTRACT_PASSWORD, default simulator)
  --backend NAME     simulator fixture to make volumes with: vsnap, element, ontap...
                     (CONTRACT_BACKEND, default: the name in GET /info's id cdm-storage-plugin.<name>)
  --no-fixture       run without a fixture (checks that need a new volume are skipped)
  --require-fixture  fail when no working fixture is available (CI)
  --only GROUPS      comma-separated groups to run (set-up, cleanup and logout always run)
  --report FILE      also write the report as JSON  (CONTRACT_REPORT)
  --timeout MS       budget of one HTTP call         (CONTRACT_TIMEOUT_MS, default 60000)`;

export interface CliOptions extends SuiteOptions {
  report?: string;
}

/** `host:port`, `[v6]:port`; the port is required (the array API's port differs per vendor). */
export function parseArray(value: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  if (!m) throw new Error(`--array must be host:port, got '${value}'`);
  return { host: m[1], port: Number(m[2]) };
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'\n${USAGE}`);
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (['no-fixture', 'require-fixture', 'help'].includes(name)) flags.set(name, true);
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  const known = new Set([
    'url',
    'array',
    'user',
    'password',
    'backend',
    'no-fixture',
    'require-fixture',
    'only',
    'report',
    'timeout',
    'help',
  ]);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n${USAGE}`);
  if (flags.has('help')) throw new Error(USAGE);
  const get = (flag: string, envName: string) => {
    const v = flags.get(flag);
    return typeof v === 'string' ? v : env[envName] || undefined;
  };
  const timeout = get('timeout', 'CONTRACT_TIMEOUT_MS');
  return {
    url: get('url', 'CONTRACT_URL') ?? 'http://127.0.0.1:8080/storageplugin/api',
    array: parseArray(get('array', 'CONTRACT_ARRAY') ?? '127.0.0.1:8900'),
    user: get('user', 'CONTRACT_USER') ?? 'admin',
    password: get('password', 'CONTRACT_PASSWORD') ?? 'simulator',
    backend: get('backend', 'CONTRACT_BACKEND'),
    fixture: flags.has('no-fixture') ? null : undefined,
    requireFixture: flags.has('require-fixture'),
    only: get('only', 'CONTRACT_ONLY')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    report: get('report', 'CONTRACT_REPORT'),
    timeoutMs: timeout === undefined ? undefined : Number(timeout),
  };
}
