// NetApp's own Ansible collection (netapp.ontap), unchanged, drives two ONTAP simulators over HTTPS and REST: the
// playbook in ontap/playbook.yml runs twice; the first run succeeds, the second changes nothing. Needs
// `ansible-playbook` (Debian's `ansible` package); skipped with a message without it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestSim, startSimsOnOnePort } from '../ontap/sim-helpers';

const PLAYBOOK = path.join(__dirname, 'ontap', 'playbook.yml');
const ANSIBLE = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
if (!ANSIBLE)
  console.warn(
    'test/clients: ansible-playbook is not installed, so the NetApp Ansible collection test is skipped (on Debian: apt-get install ansible)',
  );
const maybe = ANSIBLE ? it : it.skip;

interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

/** The PLAY RECAP line of one host. */
export function parseRecap(output: string): Recap | undefined {
  const m = /localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/.exec(output);
  if (!m) return undefined;
  const [ok, changed, unreachable, failed, skipped] = m.slice(1).map(Number);
  return { ok, changed, unreachable, failed, skipped };
}

/** The tasks that failed or changed, with ansible's message, for an assertion that says why. */
const outcomeLines = (output: string, what: RegExp): string[] => {
  const lines = output.split('\n');
  return lines.flatMap((l, i) => {
    if (!what.test(l)) return [];
    const task = lines
      .slice(0, i)
      .reverse()
      .find((t) => t.startsWith('TASK ['));
    return [`${task ?? ''} ${l}`.slice(0, 600)];
  });
};

function playbook(vars: Record<string, string>, home: string): Promise<{ output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      ANSIBLE,
      ['-i', 'localhost,', PLAYBOOK, ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`])],
      {
        cwd: home,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LANG: 'C.UTF-8',
          HOME: home,
          // Everything ansible writes stays in the temporary directory: not the user's home.
          ANSIBLE_HOME: home,
          ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
          ANSIBLE_REMOTE_TEMP: path.join(home, 'remote-tmp'),
          ANSIBLE_CONFIG: path.join(home, 'none.cfg'),
          ANSIBLE_HOST_KEY_CHECKING: 'False',
          ANSIBLE_RETRY_FILES_ENABLED: 'False',
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
          ANSIBLE_LOCALHOST_WARNING: 'False',
          ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ output, seconds: (Date.now() - started) / 1000 }));
  });
}

describe('NetApp Ansible collection against the ONTAP simulator', () => {
  let src: TestSim;
  let dst: TestSim;
  let home: string;
  beforeAll(async () => {
    if (!ANSIBLE) return;
    home = mkdtempSync(path.join(tmpdir(), 'ansible-ontap-'));
    // Two clusters on their own loopback addresses and one port, as real clusters all answer on 443.
    [src, dst] = await startSimsOnOnePort(['127.0.0.2', '127.0.0.3'], { demo: false });
  });
  afterAll(async () => {
    await Promise.allSettled([src?.close(), dst?.close()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  maybe(
    'runs the playbook without a failed task, then again with nothing changed',
    async () => {
      const vars = {
        src: new URL(src.url).hostname,
        dst: new URL(dst.url).hostname,
        port: new URL(src.url).port,
        user: 'admin',
        password: 'simulator',
      };
      const first = await playbook(vars, home);
      const one = parseRecap(first.output);
      expect({ recap: one, failed: outcomeLines(first.output, /^(fatal|failed):/) }).toMatchObject({
        recap: { failed: 0, unreachable: 0 },
        failed: [],
      });
      expect(one!.changed).toBeGreaterThan(20);

      const second = await playbook(vars, home);
      const two = parseRecap(second.output);
      expect({ recap: two, changed: outcomeLines(second.output, /^(changed|fatal|failed):/) }).toMatchObject({
        recap: { failed: 0, unreachable: 0, changed: 0 },
        changed: [],
      });
      console.log(
        `ansible recap: first run ${JSON.stringify(one)} in ${first.seconds.toFixed(1)} s, second run ${JSON.stringify(two)} in ${second.seconds.toFixed(1)} s`,
      );

      // What the playbook declared is what the arrays hold.
      const vol = (await src.get('/api/storage/volumes?name=ans_resize&fields=size,comment')).body.records[0];
      expect(vol).toMatchObject({ size: 128 * 1024 ** 2, comment: 'resized by ansible' });
      expect((await src.get('/api/storage/volumes?name=ans_gone')).body.num_records).toBe(0);
      const snaps = (await src.get(`/api/storage/volumes?name=ans_vol&fields=uuid`)).body.records[0].uuid;
      const names = (await src.get(`/api/storage/volumes/${snaps}/snapshots?fields=name`)).body.records.map(
        (s: { name: string }) => s.name,
      );
      expect(names).toEqual(expect.arrayContaining(['ans_snap', 'ans_snap_new']));
      expect(names).not.toContain('ans_snap_old');
      expect(names).not.toContain('ans_snap_gone');
      const rels = (await dst.get('/api/snapmirror/relationships?fields=source,destination,state')).body.records;
      expect(rels).toEqual([
        expect.objectContaining({
          source: expect.objectContaining({ path: 'svm1_src:ans_vol' }),
          destination: expect.objectContaining({ path: 'svm1:ans_vol' }),
          state: 'snapmirrored',
        }),
      ]);
      const peers = (await dst.get('/api/cluster/peers?fields=remote')).body.records;
      expect(peers.map((p: { remote: { ip_addresses: string[] } }) => p.remote.ip_addresses)).toEqual([['127.0.0.2']]);
    },
    // Measured at about 130 s for both runs: the collection's SnapMirror module sleeps 30 s after each transfer it starts.
    300_000,
  );
});
