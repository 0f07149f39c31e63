/** The real entry point: HTTPS with a configured certificate, and refusal to start in production without a key. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { SIMULATORS } from '../../simulators';
import { spawnPlugin, waitForOutput } from '../helpers/process';
import { unzip } from '../helpers/zip';
import { freePort } from '../helpers/redis-server';

describe('the plugin process', () => {
  it('serves HTTPS when a certificate and key are configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cdm-tls-'));
    const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const [port, simPort] = [await freePort(), await freePort()];
    const p = spawnPlugin({
      PORT: String(port),
      HOST: '127.0.0.1',
      SIMULATOR_PORT: String(simPort),
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
    });
    const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      await waitForOutput(p, 'listening on https://');
      const res = await request(`https://127.0.0.1:${port}/storageplugin/api/info`, { dispatcher });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { id: string }).id).toBe('cdm-storage-plugin.vsnap');
      // Plain HTTP on the TLS port gets no API answer.
      const plain = await request(`http://127.0.0.1:${port}/storageplugin/api/info`).then(
        (r) => r.statusCode,
        () => 'refused',
      );
      expect(plain).not.toBe(200);
    } finally {
      await dispatcher.close();
      await p.stop();
    }
  });

  it('refuses to start in production without SESSION_ENCRYPTION_KEY, saying why', async () => {
    const p = spawnPlugin({ NODE_ENV: 'production', PORT: String(await freePort()) });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/configuration error: SESSION_ENCRYPTION_KEY is required when NODE_ENV=production/);
  });

  it.each([
    [{ BACKEND: 'nosuch' }, 'BACKEND must be one of'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT must be a size'],
    [{ REDIS_URL: 'garbage' }, 'REDIS_URL must be a Redis URL'],
    [{ TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' }, 'TLS_CERT_FILE cannot be read'],
    [{ PORT: 'abc' }, 'PORT must be an integer'],
    [{ ARRAY_ALLOWLIST: '10.0.0.0/99' }, 'ARRAY_ALLOWLIST has a bad entry'],
    [{ ARRAY_ALLOWLIST: 'user@array.example' }, 'ARRAY_ALLOWLIST has a bad entry'],
  ])('with %j it stops before listening: one line saying what is wrong, exit code 2', async (env, message) => {
    const p = spawnPlugin({ ...env, SIMULATOR: 'off' });
    expect(await p.exited).toBe(2);
    const lines = p.output().trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.find((l) => l.startsWith('configuration error: '))).toContain(message);
    expect(p.output()).not.toMatch(/\n\s+at /);
  });

  it('warns at start-up in production when ARRAY_ALLOWLIST is empty, and not when it lists arrays', async () => {
    const start = async (env: NodeJS.ProcessEnv) => {
      const p = spawnPlugin({
        NODE_ENV: 'production',
        SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        ...env,
      });
      try {
        await waitForOutput(p, 'listening on http://');
        return p.output();
      } finally {
        await p.stop();
      }
    };
    expect(await start({})).toMatch(/ARRAY_ALLOWLIST is empty/);
    expect(await start({ ARRAY_ALLOWLIST: '10.0.0.0/8:443,array1.example.com' })).not.toMatch(
      /ARRAY_ALLOWLIST is empty/,
    );
  }, 60_000);

  it('writes its configuration for the operator (stdout, the file) and for no GET /log caller', async () => {
    const [port, simPort] = [await freePort(), await freePort()];
    const logDir = mkdtempSync(path.join(tmpdir(), 'cdm-operator-lines-'));
    const paired = '10.9.8.7';
    const p = spawnPlugin({
      PORT: String(port),
      HOST: '127.0.0.1',
      SIMULATOR_PORT: String(simPort),
      LOG_DIR: logDir,
      ARRAY_ALLOWLIST: `127.0.0.1,${paired}`,
      REMOTE_ARRAY_CREDENTIALS: JSON.stringify({ [paired]: { username: 'replicator', password: 'not-in-any-log' } }),
    });
    try {
      await waitForOutput(p, 'listening on http://');
      const api = `http://127.0.0.1:${port}/storageplugin/api`;
      const { username, password } = SIMULATORS.vsnap.credentials;
      const login = await request(`${api}/session`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ipAddress: '127.0.0.1', port: simPort }),
      });
      expect(login.statusCode).toBe(201);
      const { sessionId } = (await login.body.json()) as { sessionId: string };
      const log = await request(`${api}/log`, {
        headers: { 'x-storageplugin-sessionid': sessionId, accept: 'application/zip' },
      });
      expect(log.statusCode).toBe(200);
      const given = Object.values(unzip(Buffer.from(await log.body.arrayBuffer()))).join('\n');
      expect(given).toContain('session created');
      expect(given).not.toContain(paired);
      // The operator has it, on stdout and in the file; the password nowhere.
      expect(p.output()).toContain(paired);
      expect(readFileSync(path.join(logDir, 'plugin.log'), 'utf8')).toContain(paired);
      expect(p.output() + readFileSync(path.join(logDir, 'plugin.log'), 'utf8')).not.toContain('not-in-any-log');
    } finally {
      await p.stop();
    }
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const p = spawnPlugin({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SIMULATOR_PORT: String(await freePort()),
    });
    await waitForOutput(p, 'listening on http://');
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});
