/** Redis Sentinel and Redis Cluster work through configuration alone (throwaway servers on loopback). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logs/logger';
import { openStores } from '../../src/stores';
import { ThrowawayRedis, freePort } from '../helpers/redis-server';

const record = {
  backend: 'vsnap',
  identity: { storageId: 's' },
  target: { ipAddress: '127.0.0.1', port: 1 },
  credentials: { username: 'u', password: 'p' },
  createdAt: Date.now(),
};

/** Sessions, locks and create records all work on the store. */
async function exercise(env: NodeJS.ProcessEnv): Promise<void> {
  const stores = await openStores(loadConfig(env), silentLogger());
  try {
    const id = await stores.sessions.create(record);
    expect(await stores.sessions.get(id)).toEqual(record);
    const token = await stores.coordinator.acquire('lock:test', 5000);
    expect(token).not.toBeNull();
    expect(await stores.coordinator.acquire('lock:test', 5000)).toBeNull();
    await stores.coordinator.release('lock:test', token!);
    expect((await stores.coordinator.hit('ratelimit:test', 1000)).count).toBeGreaterThanOrEqual(1);
  } finally {
    await stores.close();
  }
}

describe('Redis topologies by configuration', () => {
  const servers: ThrowawayRedis[] = [];
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.kill()));
  });

  it('Sentinel: REDIS_SENTINELS and REDIS_SENTINEL_MASTER find the master', async () => {
    const master = await ThrowawayRedis.start();
    servers.push(master);
    const dir = mkdtempSync(path.join(tmpdir(), 'sentinel-'));
    const port = await freePort();
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor cdm-master 127.0.0.1 ${master.port} 1\n`,
    );
    const sentinel = await ThrowawayRedis.startExact([conf, '--sentinel'], port);
    servers.push(sentinel);
    await exercise({ REDIS_SENTINELS: `127.0.0.1:${port}`, REDIS_SENTINEL_MASTER: 'cdm-master' });
  });

  it('Cluster: REDIS_CLUSTER_NODES reaches a three-master cluster', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cluster-'));
    const nodes: ThrowawayRedis[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      nodes.push(
        await ThrowawayRedis.start(
          ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir],
          port,
        ),
      );
    }
    servers.push(...nodes);
    const clients = nodes.map((n) => new Redis(n.port, '127.0.0.1'));
    try {
      const ranges = [
        [0, 5460],
        [5461, 10922],
        [10923, 16383],
      ];
      await Promise.all(
        clients.map((c, i) => c.call('CLUSTER', 'ADDSLOTSRANGE', String(ranges[i][0]), String(ranges[i][1]))),
      );
      for (const n of nodes.slice(1)) await clients[0].call('CLUSTER', 'MEET', '127.0.0.1', String(n.port));
      const deadline = Date.now() + 10_000;
      const allOk = async () =>
        (await Promise.all(clients.map((c) => c.call('CLUSTER', 'INFO')))).every((i) =>
          /cluster_state:ok/.test(String(i)),
        );
      while (!(await allOk())) {
        if (Date.now() > deadline) throw new Error('cluster did not form');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      clients.forEach((c) => c.disconnect());
    }
    await exercise({ REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') });
  });
});
