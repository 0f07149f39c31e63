/**
 * docker-compose.yml cannot run here (no Docker engine), so its shape is checked: the services that make a scaled-out
 * plugin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PRODUCTION_NODE_FLAGS } from '../../bench/node-flags';

const ROOT = path.resolve(__dirname, '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));

  it('runs Redis, the simulator, two plugin replicas and a load balancer', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['loadbalancer', 'plugin', 'redis', 'simulator']);
    expect(compose.services.plugin.deploy.replicas).toBe(2);
  });

  it('points every replica at the shared Redis, with one encryption key, behind nginx', () => {
    const env = compose.services.plugin.environment;
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.SESSION_ENCRYPTION_KEY).toMatch(/SESSION_ENCRYPTION_KEY/);
    expect(env.SIMULATOR).toBe('off');
    const nginx = readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');
    expect(nginx).toMatch(/server plugin:8080/);
    expect(compose.services.loadbalancer.volumes[0]).toMatch(/deploy\/nginx\.conf/);
  });

  it('builds the plugin and the simulator from their own image targets, the plugin without the simulator', () => {
    expect(compose.services.plugin.build.target).toBe('plugin');
    expect(compose.services.simulator.build.target).toBe('simulator');
    // The simulator service runs the compiled CLI that the simulator target builds.
    expect(compose.services.simulator.entrypoint.join(' ')).toContain('dist/simulators/cli.js');
    expect(dockerfile).toMatch(/^FROM .* AS simulator$/m);
  });
});

describe('Dockerfile', () => {
  it('runs the compiled plugin with the Node flags the benchmark measures', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...PRODUCTION_NODE_FLAGS, 'dist/src/server.js']);
  });
});
