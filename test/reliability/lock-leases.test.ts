/**
 * Locks and the records of creates under way are short leases renewed by their live holder: a holder killed with
 * SIGKILL frees them within about one lease, a live one keeps them for as long as it works.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { RedisCoordinator } from '../../src/coordination/redis';
import { createOnce } from '../../src/domain/idempotency';
import { withLocks } from '../../src/domain/locks';
import { RedisSessionStore } from '../../src/sessions/redis-store';
import { REDIS_URL } from '../helpers/env';

const LEASE_MS = 1500;

describe('lock leases', () => {
  let sessions: RedisSessionStore;
  let coord: RedisCoordinator;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    sessions = await RedisSessionStore.connect(REDIS_URL, { idleSeconds: 60, key: randomBytes(32) });
    coord = new RedisCoordinator(sessions.redis);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await sessions.close();
  });

  /** A child process holding the lock and the create record, once it says so. */
  async function holder(lockKey: string, createKey: string): Promise<ChildProcess> {
    // One process (the tsx loader inside node, not the tsx CLI, which would run the script in a grandchild that a
    // SIGKILL of its parent does not reach).
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../helpers/lock-holder.ts'), lockKey, createKey, String(LEASE_MS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before holding`)));
    });
    return child;
  }

  const taken = async (key: string) => {
    const token = await coord.acquire(key, LEASE_MS);
    if (token) await coord.release(key, token);
    return !token;
  };

  it("a killed holder's lock and create record free within about one lease", async () => {
    const id = randomBytes(6).toString('hex');
    const [lockKey, createKey] = [`test:lease:lock:${id}`, `test:lease:create:${id}`];
    const child = await holder(lockKey, createKey);
    // Alive past several leases: its renewals keep both.
    await new Promise((r) => setTimeout(r, LEASE_MS * 2.5));
    expect(await taken(lockKey)).toBe(true);
    expect(await coord.get(createKey)).not.toBeNull();

    child.kill('SIGKILL');
    const killed = Date.now();
    const freed = async (what: string, held: () => Promise<boolean>) => {
      while (await held()) {
        if (Date.now() - killed > LEASE_MS * 3) throw new Error(`the ${what} of a dead holder was not freed`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return Date.now() - killed;
    };
    // Each lease was last renewed at most a third of a lease before the kill: gone within one lease (plus slack).
    expect(await freed('lock', () => taken(lockKey))).toBeLessThanOrEqual(LEASE_MS + 500);
    expect(await freed('create record', async () => (await coord.get(createKey)) !== null)).toBeLessThanOrEqual(
      LEASE_MS + 500,
    );

    // A repeat of the create now creates instead of waiting for the dead one and answering 409.
    const made = await createOnce(
      coord,
      { key: createKey, what: 'a snapshot', params: { a: 1 }, windowMs: 5000, waitMs: 500, leaseMs: LEASE_MS },
      async () => ({ id: 'fresh' }),
      async (x) => ({ id: x }),
    );
    expect(made.id).toBe('fresh');
  }, 30_000);

  it('a live holder keeps its lock through many leases, and others get 409 meanwhile', async () => {
    const key = `test:lease:live:${randomBytes(6).toString('hex')}`;
    let conflicts = 0;
    await withLocks(coord, [{ key, what: 'v' }], { ttlMs: LEASE_MS }, async () => {
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, LEASE_MS / 2));
        await withLocks(coord, [{ key, what: 'v' }], { ttlMs: LEASE_MS }, async () => undefined).catch((e) => {
          if (e.code === 'CONFLICT') conflicts++;
        });
      }
    });
    // Eight tries over more than two leases: the lock never lapsed.
    expect(conflicts).toBe(8);
    expect(await taken(key)).toBe(false);
  }, 30_000);
});
