import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, SETTINGS, loadConfig, parseKey, redactedConfig } from '../../src/config';
import { withTable } from '../../src/config/table';
import { remoteCredentialsLookup } from '../../src/remote-credentials';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      backend: 'vsnap',
      sessionIdleSeconds: 1800,
      simulator: true,
      arrayScheme: 'http',
      arrayTimeoutMs: 30000,
    });
    expect(c.redisUrl).toBeUndefined();
  });

  it('gives requests a deadline, locks a short lease, and bounds the log', () => {
    expect(loadConfig({})).toMatchObject({
      requestTimeoutMs: 60_000,
      lockTtlMs: 15_000,
      logMaxBytes: 50 * 1024 ** 2,
      logMaxFiles: 5,
      logDownloadMaxBytes: 100 * 1024 ** 2,
    });
    expect(loadConfig({ LOG_MAX_SIZE: '10mb', LOG_MAX_FILES: '3', REQUEST_TIMEOUT_MS: '5000' })).toMatchObject({
      logMaxBytes: 10 * 1024 ** 2,
      logMaxFiles: 3,
      requestTimeoutMs: 5000,
    });
    expect(() => loadConfig({ LOG_MAX_SIZE: 'huge' })).toThrow(/LOG_MAX_SIZE must be a size/);
  });

  it('reaches arrays over https when the simulator is off', () => {
    expect(loadConfig({ SIMULATOR: 'off' }).arrayScheme).toBe('https');
  });

  it('refuses a malformed number with the variable name in the message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
  });

  it('refuses to start in production without an encryption key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_ENCRYPTION_KEY is required/);
  });

  it('accepts a 32-byte key as hex or base64 and rejects other lengths', () => {
    const key = randomBytes(32);
    expect(parseKey(key.toString('hex'))).toEqual(key);
    expect(parseKey(key.toString('base64'))).toEqual(key);
    expect(() => parseKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('refuses a key with too little entropy (all zeros, one repeated byte)', () => {
    expect(() => parseKey('00'.repeat(32))).toThrow(/too little entropy/);
    expect(() => parseKey(Buffer.alloc(32, 7).toString('base64'))).toThrow(/too little entropy/);
  });

  it('never prints secrets', () => {
    const key = randomBytes(32).toString('hex');
    const c = loadConfig({
      REDIS_URL: 'redis://user:hunter2@redis:6379',
      SESSION_ENCRYPTION_KEY: key,
      METRICS_TOKEN: 'scrape-me',
    });
    const printed = JSON.stringify(redactedConfig(c));
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain(key);
    expect(printed).not.toContain('scrape-me');
    expect(printed).toContain('redis://***@redis:6379');
  });

  it('reads remote array credentials inline or from a file, looked up by host:port then host, never printed', () => {
    const table = {
      '127.0.0.1:8911': { username: 'repl', password: 's3cret-port' },
      'Array-B': { username: 'admin', password: 's3cret-host' },
    };
    const inline = loadConfig({ REMOTE_ARRAY_CREDENTIALS: JSON.stringify(table) });
    const lookup = remoteCredentialsLookup(inline.remoteArrayCredentials);
    expect(lookup('127.0.0.1', 8911)).toEqual({ username: 'repl', password: 's3cret-port' });
    expect(lookup('127.0.0.1', 8912)).toBeUndefined();
    expect(lookup('array-b', 443)).toEqual({ username: 'admin', password: 's3cret-host' });
    const printed = JSON.stringify(redactedConfig(inline));
    expect(printed).not.toContain('s3cret');
    expect(printed).toContain('127.0.0.1:8911');

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'remote-creds-')), 'remote.json');
    writeFileSync(file, JSON.stringify(table));
    expect(loadConfig({ REMOTE_ARRAY_CREDENTIALS: `@${file}` }).remoteArrayCredentials).toEqual(
      inline.remoteArrayCredentials,
    );
    expect(loadConfig({}).remoteArrayCredentials).toEqual({});
  });

  it('refuses malformed remote array credentials with a message that says what is wrong', () => {
    expect(() => loadConfig({ REMOTE_ARRAY_CREDENTIALS: '{nope' })).toThrow(/REMOTE_ARRAY_CREDENTIALS must be JSON/);
    expect(() => loadConfig({ REMOTE_ARRAY_CREDENTIALS: '[]' })).toThrow(/JSON object/);
    expect(() => loadConfig({ REMOTE_ARRAY_CREDENTIALS: '{"b": {"username": "x"}}' })).toThrow(ConfigError);
    expect(() => loadConfig({ REMOTE_ARRAY_CREDENTIALS: '{"b": {"username": "x"}}' })).toThrow(/\["b"\] needs/);
  });
});

describe('every setting is validated at start-up', () => {
  it.each([
    [{ BACKEND: 'nosuch' }, /^BACKEND must be one of vsnap, element, ontap.*got 'nosuch'$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'$/],
    [{ BODY_LIMIT: 'huge' }, /^BODY_LIMIT must be a size such as 512kb or 1mb/],
    [{ REDIS_URL: 'garbage' }, /^REDIS_URL must be a Redis URL such as redis:\/\/host:6379, got 'garbage'$/],
    [{ REDIS_URL: 'http://redis:6379' }, /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    [
      { TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' },
      /^TLS_CERT_FILE cannot be read: ENOENT/,
    ],
    [{ ARRAY_SCHEME: 'ftp' }, /^ARRAY_SCHEME must be one of http, https, got 'ftp'$/],
    [{ SIMULATOR: 'maybe' }, /^SIMULATOR must be on or off/],
    [{ REDIS_SENTINELS: 'a:1,b' }, /^REDIS_SENTINELS must be a comma-separated list of host:port, got 'b'$/],
  ])('%j is refused with a message naming the variable', (env, message) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]).toMatch(message);
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'abc', BACKEND: 'nosuch', LOG_LEVEL: 'loud', BODY_LIMIT: 'huge' });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'BACKEND',
      'BODY_LIMIT',
      'LOG_LEVEL',
      'PORT',
    ]);
  });
});

describe('the README configuration table', () => {
  it('is the one generated from the declared settings (npm run docs:config)', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(withTable(readme)).toBe(readme);
    for (const s of Object.values(SETTINGS)) expect(readme).toContain(`| \`${s.env}\` |`);
  });
});
