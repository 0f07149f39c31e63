/**
 * loadConfig(): the plugin's typed configuration, read from the environment once and validated against the declared
 * settings (settings.ts); every problem is reported at once.
 */
import path from 'node:path';
import { type Allowlist, parseAllowlist } from '../domain/allowlist';
import { type RemoteCredentials, parseRemoteCredentials } from '../remote-credentials';
import { type Kind, Problem } from './kinds';
import { LOG_LEVELS, SETTINGS, type Setting } from './settings';

export { SETTINGS } from './settings';

export interface Config {
  /** Port of the plugin's HTTP(S) listener. @default 8080 */
  port: number;
  /** Address to listen on. @default '0.0.0.0' */
  host: string;
  /** Backend registry name. @default 'vsnap' */
  backend: string;
  /**
   * Redis URL of the session store; undefined (and no Sentinel/Cluster) means "try the default address, else
   * in-process".
   */
  redisUrl?: string;
  /** Redis Sentinel addresses and master name (instead of redisUrl). */
  redisSentinels?: { host: string; port: number }[];
  redisSentinelMaster: string;
  /** Redis Cluster seed nodes (instead of redisUrl). */
  redisClusterNodes?: { host: string; port: number }[];
  /** Password of Sentinel/Cluster nodes. */
  redisPassword?: string;
  /** A Redis command not answered within this fails (503). @default 250 */
  redisCommandTimeoutMs: number;
  /** Sliding idle expiry of a session, in seconds. @default 1800 */
  sessionIdleSeconds: number;
  /** Absolute life of a session, whatever its use, in seconds. @default 86400 */
  sessionMaxLifetimeSeconds: number;
  /** POST /session calls allowed per client address per minute, across all instances. @default 30 */
  sessionRateLimit: number;
  /** Failed logins per client address per loginFailureWindowSeconds. @default 20 */
  loginFailuresPerClient: number;
  /** Failed logins per array address and port, from any client, per loginFailureWindowSeconds. @default 10 */
  loginFailuresPerArray: number;
  /** @default 900 */
  loginFailureWindowSeconds: number;
  /** The arrays POST /session may name (ARRAY_ALLOWLIST); empty allows every array. */
  arrayAllowlist: Allowlist;
  /** Trust X-Forwarded-For from this many proxies (for the client address of rate limits). @default 0 */
  trustProxy: number;
  /** Origins allowed by CORS; none (CORS off) by default. */
  corsOrigins: string[];
  /** Lease of an operation lock (and of a create under way), renewed by a live holder. @default 15000 */
  lockTtlMs: number;
  /** Deadline of one request: every array call it makes draws from it. @default 60000 */
  requestTimeoutMs: number;
  /** Identical creates within this window yield one object. @default 600 */
  createWindowSeconds: number;
  /** 32-byte key (hex or base64) that encrypts array credentials at rest; generated per process when absent. */
  sessionKey?: Buffer;
  /** Folder of the plugin's own structured logs (served zipped by GET /log). @default './logs' */
  logDir: string;
  /** The log file is rotated at this size, in bytes. @default 50 MiB */
  logMaxBytes: number;
  /** Log files kept, the current one included. @default 5 */
  logMaxFiles: number;
  /** Most log bytes one GET /log download reads, newest first. @default 100 MiB */
  logDownloadMaxBytes: number;
  /** Also write the log lines to stdout. @default true */
  logStdout: boolean;
  /** pino level. @default 'info' */
  logLevel: (typeof LOG_LEVELS)[number];
  /** Run the backend's simulator inside the plugin process. @default true */
  simulator: boolean;
  /** Port of the embedded simulator. @default the backend's default port */
  simulatorPort?: number;
  /** State file of the embedded simulator. */
  simulatorStateFile?: string;
  /** @see BackendOptions.scheme */
  arrayScheme: 'http' | 'https';
  arrayTlsInsecure: boolean;
  arrayTimeoutMs: number;
  arrayConnectTimeoutMs: number;
  /** Accounts on paired arrays, by host or host:port (REMOTE_ARRAY_CREDENTIALS). */
  remoteArrayCredentials: RemoteCredentials;
  /** PEM certificate and key: when both are set the plugin serves HTTPS. */
  tls?: { cert: Buffer; key: Buffer };
  /** Largest accepted JSON body. @default '1mb' */
  bodyLimit: string;
  production: boolean;
  /** Validate every response against the spec (on in tests; costs throughput). @default false */
  validateResponses: boolean;
  /** Serve Prometheus metrics at GET /metrics. @default true */
  metrics: boolean;
  /** Bearer token GET /metrics requires; open when unset. */
  metricsToken?: string;
}

/** The configuration is wrong: `problems` lists every fault, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Accepts 64 hex characters or base64 of 32 bytes with enough entropy (see kinds.key32). */
export function parseKey(raw: string): Buffer {
  try {
    return SETTINGS.sessionKey.kind.parse(raw);
  } catch (err) {
    throw new ConfigError([`SESSION_ENCRYPTION_KEY ${(err as Error).message}`]);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const read = <T>(s: Setting<T>): T | undefined => {
    const raw = env[s.env];
    if (raw === undefined || raw === '') return s.default;
    try {
      return (s.kind as Kind<T>).parse(raw);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      problems.push(`${s.env} ${err.message}`);
      return s.default;
    }
  };
  const v = Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, read(s as Setting)])) as {
    [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never;
  };
  const production = v.nodeEnv === 'production';
  const simulator = v.simulator ?? !production;

  if (production && !v.sessionKey && !env.SESSION_ENCRYPTION_KEY)
    problems.push(
      'SESSION_ENCRYPTION_KEY is required when NODE_ENV=production: array credentials are encrypted at rest with it (generate one with `openssl rand -hex 32`)',
    );
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE))
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  let remoteArrayCredentials: RemoteCredentials = {};
  try {
    remoteArrayCredentials = parseRemoteCredentials(v.remoteArrayCredentials);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    port: v.port!,
    host: v.host!,
    backend: v.backend!,
    redisUrl: v.redisUrl,
    redisSentinels: v.redisSentinels?.length ? v.redisSentinels : undefined,
    redisSentinelMaster: v.redisSentinelMaster!,
    redisClusterNodes: v.redisClusterNodes?.length ? v.redisClusterNodes : undefined,
    redisPassword: v.redisPassword,
    redisCommandTimeoutMs: v.redisCommandTimeoutMs!,
    sessionIdleSeconds: v.sessionIdleSeconds!,
    sessionMaxLifetimeSeconds: v.sessionMaxLifetimeSeconds!,
    sessionRateLimit: v.sessionRateLimit!,
    loginFailuresPerClient: v.loginFailuresPerClient!,
    loginFailuresPerArray: v.loginFailuresPerArray!,
    loginFailureWindowSeconds: v.loginFailureWindowSeconds!,
    arrayAllowlist: v.arrayAllowlist ?? parseAllowlist(''),
    trustProxy: v.trustProxy!,
    corsOrigins: v.corsOrigins!,
    lockTtlMs: v.lockTtlMs!,
    requestTimeoutMs: v.requestTimeoutMs!,
    createWindowSeconds: v.createWindowSeconds!,
    sessionKey: v.sessionKey,
    logDir: path.resolve(v.logDir!),
    logLevel: v.logLevel!,
    logMaxBytes: v.logMaxSize!,
    logMaxFiles: v.logMaxFiles!,
    logDownloadMaxBytes: v.logDownloadMaxSize!,
    logStdout: v.logStdout!,
    simulator,
    simulatorPort: v.simulatorPort,
    simulatorStateFile: v.simulatorStateFile,
    arrayScheme: v.arrayScheme ?? (simulator ? 'http' : 'https'),
    arrayTlsInsecure: v.arrayTlsInsecure!,
    arrayTimeoutMs: v.arrayTimeoutMs!,
    arrayConnectTimeoutMs: v.arrayConnectTimeoutMs!,
    remoteArrayCredentials,
    tls: v.tlsCertFile && v.tlsKeyFile ? { cert: v.tlsCertFile, key: v.tlsKeyFile } : undefined,
    bodyLimit: v.bodyLimit!,
    production,
    validateResponses: v.validateResponses!,
    metrics: v.metrics!,
    metricsToken: v.metricsToken,
  };
}

/** The configuration as it may be printed: secrets replaced. */
export function redactedConfig(c: Config): Record<string, unknown> {
  return {
    ...c,
    redisUrl: c.redisUrl?.replace(/\/\/([^@/]*)@/, '//***@'),
    redisPassword: c.redisPassword ? '***' : undefined,
    sessionKey: c.sessionKey ? '***' : undefined,
    tls: c.tls ? '***' : undefined,
    metricsToken: c.metricsToken ? '***' : undefined,
    arrayAllowlist: c.arrayAllowlist.entries,
    remoteArrayCredentials: Object.fromEntries(Object.keys(c.remoteArrayCredentials).map((k) => [k, '***'])),
  };
}
