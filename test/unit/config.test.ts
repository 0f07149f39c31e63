import { ConfigError, loadConfig, parseKey, redactedConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, backend: 'vsnap', sessionIdleSeconds: 1800, simulator: true, arrayScheme: 'http', arrayTimeoutMs: 30000 });
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
});
