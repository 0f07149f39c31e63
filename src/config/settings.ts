/**
 * Every environment variable the plugin reads, declared once: its kind, default and meaning. loadConfig() validates
 * them all at start-up, and the README's configuration table is generated from this list.
 */
import { BACKENDS } from '../../plugins';
import * as k from './kinds';

export interface Setting<T = unknown> {
  env: string;
  kind: k.Kind<T>;
  /** The value when the variable is unset or empty; undefined means "unset". */
  default?: T;
  /** The default as the table shows it, when it is not simply the value (e.g. "generated per process"). */
  shownDefault?: string;
  description: string;
  /** Never printed: the start-up line and logs show it as ***. */
  secret?: boolean;
}

const setting = <T>(s: Setting<T>): Setting<T> => s;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SETTINGS = {
  port: setting({
    env: 'PORT',
    kind: k.integer(0, 65535),
    default: 8080,
    description: 'port the plugin listens on (0: any free port)',
  }),
  host: setting({ env: 'HOST', kind: k.text, default: '0.0.0.0', description: 'address the plugin listens on' }),
  backend: setting({
    env: 'BACKEND',
    kind: k.oneOf(Object.keys(BACKENDS)),
    default: 'vsnap',
    description: 'which backend this instance serves (one storage type per plugin, as CDM expects)',
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    kind: k.redisUrl,
    shownDefault: 'unset',
    secret: true,
    description:
      'Redis for sessions, locks and rate limits. Unset (and no Sentinel/Cluster): `redis://127.0.0.1:6379` if it answers, else in process with a loud warning (lost on restart, not shared)',
  }),
  redisSentinels: setting({
    env: 'REDIS_SENTINELS',
    kind: k.hostPorts,
    shownDefault: 'unset',
    description: 'Redis Sentinel instead: the sentinels',
  }),
  redisSentinelMaster: setting({
    env: 'REDIS_SENTINEL_MASTER',
    kind: k.text,
    default: 'mymaster',
    description: 'the master name Sentinel watches',
  }),
  redisClusterNodes: setting({
    env: 'REDIS_CLUSTER_NODES',
    kind: k.hostPorts,
    shownDefault: 'unset',
    description: 'Redis Cluster instead: seed nodes',
  }),
  redisPassword: setting({
    env: 'REDIS_PASSWORD',
    kind: k.text,
    shownDefault: 'unset',
    secret: true,
    description: 'password of Sentinel/Cluster nodes (a URL carries its own)',
  }),
  redisCommandTimeoutMs: setting({
    env: 'REDIS_COMMAND_TIMEOUT_MS',
    kind: k.integer(10, 60000),
    default: 250,
    description: 'a Redis command not answered by then fails: the call answers 503',
  }),
  sessionKey: setting({
    env: 'SESSION_ENCRYPTION_KEY',
    kind: k.key32,
    shownDefault: 'generated per process',
    secret: true,
    description:
      'seals array credentials at rest (AES-256-GCM). Set it so sessions survive restarts and work across instances; required when `NODE_ENV=production`',
  }),
  sessionIdleSeconds: setting({
    env: 'SESSION_IDLE_TIMEOUT',
    kind: k.integer(10, 7 * 24 * 3600),
    default: 1800,
    description: 'seconds a session lives without use (sliding)',
  }),
  sessionMaxLifetimeSeconds: setting({
    env: 'SESSION_MAX_LIFETIME',
    kind: k.integer(60, 30 * 24 * 3600),
    default: 86400,
    description: 'seconds after which a session ends however much it is used',
  }),
  sessionRateLimit: setting({
    env: 'SESSION_RATE_LIMIT',
    kind: k.integer(1, 1_000_000),
    default: 30,
    description: '`POST /session` calls per minute per client address, counted across all instances',
  }),
  loginFailuresPerClient: setting({
    env: 'LOGIN_FAILURES_PER_CLIENT',
    kind: k.integer(1, 1_000_000),
    default: 20,
    description:
      'failed logins (refused credentials or no array answering) one client address may make per `LOGIN_FAILURE_WINDOW`; past it `POST /session` answers 429 until the window ends',
  }),
  loginFailuresPerArray: setting({
    env: 'LOGIN_FAILURES_PER_ARRAY',
    kind: k.integer(1, 1_000_000),
    default: 10,
    description:
      'failed logins to one array address and port, from any client, per `LOGIN_FAILURE_WINDOW`; past it logins to that array answer 429 until the window ends',
  }),
  loginFailureWindowSeconds: setting({
    env: 'LOGIN_FAILURE_WINDOW',
    kind: k.integer(1, 86400),
    default: 900,
    description: 'seconds over which failed logins are counted',
  }),
  arrayAllowlist: setting({
    env: 'ARRAY_ALLOWLIST',
    kind: k.allowlist,
    shownDefault: 'unset (every array; a warning when `NODE_ENV=production`)',
    description:
      'the arrays `POST /session` may name, and the paired arrays the plugin calls itself; any other answers 403 before a connection is tried. A name entry allows that name only, an address or range allows IP literals only (no DNS lookup)',
  }),
  trustProxy: setting({
    env: 'TRUST_PROXY',
    kind: k.integer(0, 10),
    default: 0,
    description: 'reverse proxies whose `X-Forwarded-For` gives the client address',
  }),
  corsOrigins: setting({
    env: 'CORS_ORIGINS',
    kind: k.list,
    default: [],
    shownDefault: 'unset (CORS off)',
    description: 'browser origins allowed to call the API',
  }),
  lockTtlMs: setting({
    env: 'LOCK_TTL_MS',
    kind: k.integer(1000, 3_600_000),
    default: 15_000,
    description:
      'lease of an operation lock and of the record of a create under way: a live holder renews it every third of it, so a crashed holder frees its locks after at most this',
  }),
  createWindowSeconds: setting({
    env: 'CREATE_WINDOW',
    kind: k.integer(1, 86400),
    default: 600,
    description: 'seconds during which repeating a create returns the same object',
  }),
  simulator: setting({
    env: 'SIMULATOR',
    kind: k.onOff,
    shownDefault: '`on` (`off` when `NODE_ENV=production`)',
    description: "start the backend's simulator inside the plugin (the production build holds none)",
  }),
  simulatorPort: setting({
    env: 'SIMULATOR_PORT',
    kind: k.integer(0, 65535),
    shownDefault: "the simulator's own (8900, 8901, 8902)",
    description: 'port of the embedded simulator',
  }),
  simulatorStateFile: setting({
    env: 'SIMULATOR_STATE_FILE',
    kind: k.text,
    shownDefault: 'unset',
    description: "file the embedded simulator's state is kept in (survives restarts)",
  }),
  arrayScheme: setting({
    env: 'ARRAY_SCHEME',
    kind: k.oneOf(['http', 'https'] as const),
    shownDefault: '`http` with the simulator, else `https`',
    description: 'how arrays are reached',
  }),
  arrayTlsInsecure: setting({
    env: 'ARRAY_TLS_INSECURE',
    kind: k.onOff,
    default: false,
    description: 'accept self-signed array certificates',
  }),
  remoteArrayCredentials: setting({
    env: 'REMOTE_ARRAY_CREDENTIALS',
    kind: k.text,
    shownDefault: 'unset',
    secret: true,
    description:
      'accounts on paired arrays the plugin must call itself: JSON `{"<host>[:<port>]": {"username", "password"}}`, or `@<file>` holding it. Unset for an array: the session\'s own credentials are used',
  }),
  arrayTimeoutMs: setting({
    env: 'ARRAY_TIMEOUT_MS',
    kind: k.integer(100, 600_000),
    default: 30000,
    description: 'budget of one array call',
  }),
  requestTimeoutMs: setting({
    env: 'REQUEST_TIMEOUT_MS',
    kind: k.integer(1000, 3_600_000),
    default: 60_000,
    description:
      "deadline of one request, from its arrival: every array call, retry and job poll it makes draws from it, and past it the answer is 504. Keep it below CDM's own timeout",
  }),
  arrayConnectTimeoutMs: setting({
    env: 'ARRAY_CONNECT_TIMEOUT_MS',
    kind: k.integer(100, 120_000),
    default: 5000,
    description: 'budget of opening a connection to an array',
  }),
  tlsCertFile: setting({
    env: 'TLS_CERT_FILE',
    kind: k.file,
    shownDefault: 'unset',
    description: 'PEM certificate: with `TLS_KEY_FILE`, the plugin serves HTTPS',
  }),
  tlsKeyFile: setting({
    env: 'TLS_KEY_FILE',
    kind: k.file,
    shownDefault: 'unset',
    secret: true,
    description: 'PEM private key of `TLS_CERT_FILE`',
  }),
  logDir: setting({
    env: 'LOG_DIR',
    kind: k.text,
    default: 'logs',
    shownDefault: './logs',
    description: 'folder of the structured JSON logs (also on stdout); `GET /log` zips it',
  }),
  logMaxSize: setting({
    env: 'LOG_MAX_SIZE',
    kind: k.bytes(1024 ** 3),
    default: 50 * 1024 ** 2,
    shownDefault: '`50mb`',
    description: 'size at which the log file is rotated (`plugin.log` becomes `plugin.log.1`, and so on)',
  }),
  logMaxFiles: setting({
    env: 'LOG_MAX_FILES',
    kind: k.integer(1, 100),
    default: 5,
    description: 'log files kept, the current one included; the oldest is deleted at rotation',
  }),
  logDownloadMaxSize: setting({
    env: 'LOG_DOWNLOAD_MAX_SIZE',
    kind: k.bytes(10 * 1024 ** 3),
    default: 100 * 1024 ** 2,
    shownDefault: '`100mb`',
    description: 'most log read into one `GET /log` download, newest lines first (older ones are left out)',
  }),
  logStdout: setting({
    env: 'LOG_STDOUT',
    kind: k.onOff,
    default: true,
    description: 'also write every log line, request lines too, to stdout (where a container runtime collects them)',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    kind: k.oneOf(LOG_LEVELS),
    default: 'info' as const,
    description: 'least severe level logged',
  }),
  bodyLimit: setting({
    env: 'BODY_LIMIT',
    kind: k.size(64 * 1024 ** 2),
    default: '1mb',
    description: 'largest request body',
  }),
  validateResponses: setting({
    env: 'VALIDATE_RESPONSES',
    kind: k.onOff,
    default: false,
    description: 'validate every response against the spec (the tests turn it on)',
  }),
  metrics: setting({
    env: 'METRICS',
    kind: k.onOff,
    default: true,
    description: 'serve Prometheus metrics at `GET /metrics`',
  }),
  metricsToken: setting({
    env: 'METRICS_TOKEN',
    kind: k.text,
    shownDefault: 'unset (open)',
    secret: true,
    description: '`GET /metrics` then requires `Authorization: Bearer <token>`',
  }),
  nodeEnv: setting({
    env: 'NODE_ENV',
    kind: k.text,
    shownDefault: 'unset',
    description: '`production` requires `SESSION_ENCRYPTION_KEY` and turns the simulator off by default',
  }),
};

export type SettingName = keyof typeof SETTINGS;
