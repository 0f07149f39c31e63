import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseKey, redactedConfig } from '../../src/config';
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
    const hex = 'ab'.repeat(32);
    expect(parseKey(hex)).toHaveLength(32);
    expect(parseKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => parseKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('never prints secrets', () => {
    const c = loadConfig({ REDIS_URL: 'redis://user:hunter2@redis:6379', SESSION_ENCRYPTION_KEY: 'ab'.repeat(32) });
    const printed = JSON.stringify(redactedConfig(c));
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('abab');
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
