/** loadConfig(): the plugin's typed configuration, read from the environment once and validated. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseHostPorts } from './redis/client';
import { type RemoteCredentials, parseRemoteCredentials } from './remote-credentials';

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
  /** Trust X-Forwarded-For from this many proxies (for the client address of rate limits). @default 0 */
  trustProxy: number;
  /** Origins allowed by CORS; none (CORS off) by default. */
  corsOrigins: string[];
  /** Life of an operation lock that is not renewed (a crashed holder frees it after this). @default 300000 */
  lockTtlMs: number;
  /** Identical creates within this window yield one object. @default 600 */
  createWindowSeconds: number;
  /** 32-byte key (hex or base64) that encrypts array credentials at rest; generated per process when absent. */
  sessionKey?: Buffer;
  /** Folder of the plugin's own structured logs (served zipped by GET /log). @default './logs' */
  logDir: string;
  /** pino level. @default 'info' */
  logLevel: string;
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
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on/off (or true/false), got '${env[name]}'`);
}

function hostPorts(env: NodeJS.ProcessEnv, name: string): { host: string; port: number }[] | undefined {
  try {
    return parseHostPorts(env[name]);
  } catch (err) {
    throw new ConfigError(`${name} must be a comma-separated list of host:port: ${(err as Error).message}`);
  }
}

function remoteCredentials(env: NodeJS.ProcessEnv): RemoteCredentials {
  try {
    return parseRemoteCredentials(env.REMOTE_ARRAY_CREDENTIALS);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32)
    throw new ConfigError('SESSION_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const simulator = bool(env, 'SIMULATOR', !production);
  const scheme = env.ARRAY_SCHEME ?? (simulator ? 'http' : 'https');
  if (scheme !== 'http' && scheme !== 'https')
    throw new ConfigError(`ARRAY_SCHEME must be http or https, got '${scheme}'`);
  const sessionKey = env.SESSION_ENCRYPTION_KEY ? parseKey(env.SESSION_ENCRYPTION_KEY) : undefined;
  if (production && !sessionKey) {
    throw new ConfigError(
      'SESSION_ENCRYPTION_KEY is required when NODE_ENV=production: array credentials are encrypted at rest with it (generate one with `openssl rand -hex 32`)',
    );
  }
  let tls: Config['tls'];
  if (env.TLS_CERT_FILE || env.TLS_KEY_FILE) {
    if (!env.TLS_CERT_FILE || !env.TLS_KEY_FILE)
      throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    tls = { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) };
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    backend: env.BACKEND || 'vsnap',
    redisUrl: env.REDIS_URL || undefined,
    redisSentinels: hostPorts(env, 'REDIS_SENTINELS'),
    redisSentinelMaster: env.REDIS_SENTINEL_MASTER || 'mymaster',
    redisClusterNodes: hostPorts(env, 'REDIS_CLUSTER_NODES'),
    redisPassword: env.REDIS_PASSWORD || undefined,
    redisCommandTimeoutMs: int(env, 'REDIS_COMMAND_TIMEOUT_MS', 250, 10, 60000),
    sessionIdleSeconds: int(env, 'SESSION_IDLE_TIMEOUT', 1800, 10, 7 * 24 * 3600),
    sessionMaxLifetimeSeconds: int(env, 'SESSION_MAX_LIFETIME', 86400, 60, 30 * 24 * 3600),
    sessionRateLimit: int(env, 'SESSION_RATE_LIMIT', 30, 1, 1_000_000),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 10),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    lockTtlMs: int(env, 'LOCK_TTL_MS', 300000, 1000, 3600000),
    createWindowSeconds: int(env, 'CREATE_WINDOW', 600, 1, 86400),
    sessionKey,
    logDir: path.resolve(env.LOG_DIR || 'logs'),
    logLevel: env.LOG_LEVEL || 'info',
    simulator,
    simulatorPort: env.SIMULATOR_PORT ? int(env, 'SIMULATOR_PORT', 0, 0, 65535) : undefined,
    simulatorStateFile: env.SIMULATOR_STATE_FILE || undefined,
    arrayScheme: scheme,
    arrayTlsInsecure: bool(env, 'ARRAY_TLS_INSECURE', false),
    arrayTimeoutMs: int(env, 'ARRAY_TIMEOUT_MS', 30000, 100, 600000),
    arrayConnectTimeoutMs: int(env, 'ARRAY_CONNECT_TIMEOUT_MS', 5000, 100, 120000),
    remoteArrayCredentials: remoteCredentials(env),
    tls,
    bodyLimit: env.BODY_LIMIT || '1mb',
    production,
    validateResponses: bool(env, 'VALIDATE_RESPONSES', false),
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
    remoteArrayCredentials: Object.fromEntries(Object.keys(c.remoteArrayCredentials).map((k) => [k, '***'])),
  };
}
