// The standalone runner: starts from the environment, logs its URL, and on SIGTERM saves the state and exits 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';

const ROOT = resolve(__dirname, '../..');

describe('Element simulator: standalone runner (main.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'element-main-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on ELEMENT_SIM_PORT with the ELEMENT_SIM_USER account, and exits 0 on SIGTERM with the state saved', async () => {
    const stateFile = join(dir, 'state.json');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'plugins/element/simulator/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ELEMENT_SIM_PORT: '0', ELEMENT_SIM_HOST: '127.0.0.1', ELEMENT_SIM_USER: 'ops', ELEMENT_SIM_PASSWORD: 'pw', ELEMENT_SIM_DEMO: 'false', SIMULATOR_STATE_FILE: stateFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) done(match[1]);
        });
        child.once('exit', () => fail(new Error(`runner exited early: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await request(`${url}/json-rpc/12.3`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}` },
        body: JSON.stringify({ method: 'AddAccount', params: { username: 'from-main' }, id: 1 }),
      });
      expect(((await res.body.json()) as { result: { accountID: number } }).result.accountID).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(saved.accounts.map((a: { username: string }) => a.username)).toEqual(['from-main']);
  });
});
