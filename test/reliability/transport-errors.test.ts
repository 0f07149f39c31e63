/**
 * Misconfigured array transport says how to fix it: plain HTTP reached as HTTPS, and a self-signed certificate not
 * trusted.
 */
import { SIMULATORS } from '../../simulators';
import pino from 'pino';
import { BACKENDS } from '../../plugins';
import type { BackendDriver } from '../../src/backend';
import type { RunningSimulator } from '../../simulators';
import { isStorageError } from '../../src/domain/errors';

const logger = pino({ level: 'silent' });

async function loginError(driver: BackendDriver, port: number, credentials: { username: string; password: string }) {
  try {
    await driver.login({ ipAddress: '127.0.0.1', port }, credentials);
  } catch (err) {
    return err;
  }
  throw new Error('the login succeeded');
}

describe('array transport errors', () => {
  const sims: RunningSimulator[] = [];
  const drivers: BackendDriver[] = [];
  afterAll(async () => {
    await Promise.allSettled([...sims.map((s) => s.close()), ...drivers.map((d) => d.close())]);
  });
  const driver = (name: string, tlsInsecure: boolean) => {
    const d = BACKENDS[name].create({ scheme: 'https', tlsInsecure, timeoutMs: 5000, connectTimeoutMs: 2000, logger });
    drivers.push(d);
    return d;
  };

  it('an array serving plain HTTP reached over HTTPS answers BACKEND_ERROR naming ARRAY_SCHEME', async () => {
    const sim = await SIMULATORS.vsnap.start({ port: 0, demo: false });
    sims.push(sim);
    const err = await loginError(driver('vsnap', false), sim.port, SIMULATORS.vsnap.credentials);
    expect(isStorageError(err) && err.code).toBe('BACKEND_ERROR');
    expect((err as Error).message).toMatch(/does not speak HTTPS.*ARRAY_SCHEME=http/);
  });

  it('a self-signed array certificate is refused with a message naming ARRAY_TLS_INSECURE, and accepted with it on', async () => {
    const sim = await SIMULATORS.ontap.start({ port: 0, demo: false });
    sims.push(sim);
    const creds = SIMULATORS.ontap.credentials;
    const err = await loginError(driver('ontap', false), sim.port, creds);
    expect(isStorageError(err) && err.code).toBe('BACKEND_ERROR');
    expect((err as Error).message).toMatch(/certificate .* not trusted .*ARRAY_TLS_INSECURE=on/);
    await expect(driver('ontap', true).login({ ipAddress: '127.0.0.1', port: sim.port }, creds)).resolves.toMatchObject(
      { storageId: expect.any(String) },
    );
  });
});
