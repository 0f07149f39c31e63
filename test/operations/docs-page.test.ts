// The spec as a page a person can read: served by the plugin (no CDN), it renders in headless Chromium (Debian's
// chromium package; .ci/run installs it) with the API's title and operations, and a screenshot is taken.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { API, type TestPlugin, startTestPlugin } from '../helpers/plugin';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/**
 * Headless Chromium as the machine allows it: no sandbox as root, nothing fetched from the network. Asynchronous: the
 * plugin it loads the page from runs in this process.
 */
async function chromium(args: string[]): Promise<string> {
  if (!CHROMIUM) throw new Error('Chromium is needed for this test: apt-get install chromium (.ci/run installs it)');
  const profile = mkdtempSync(path.join(tmpdir(), 'chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        // Lets Swagger UI fetch the spec and render before the DOM is read.
        '--virtual-time-budget=15000',
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('GET /storageplugin/api/docs', () => {
  let p: TestPlugin;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    p = await startTestPlugin('vsnap');
    server = createServer(p.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API}/docs`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await p.close();
  });

  it('is an HTML page whose assets come from the plugin itself, under a CSP that allows nothing else', async () => {
    const res = await request(p.app).get(`${API}/docs`).set('accept', 'text/html').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.text).not.toMatch(/https?:\/\//);
    await request(p.app)
      .get(`${API}/docs/swagger-ui-bundle.js`)
      .expect(200)
      .expect('content-type', /javascript/);
    // The trailing-slash address would break the page's relative links: it is redirected.
    await request(p.app).get(`${API}/docs/`).expect(301).expect('location', `${API}/docs`);
  });

  it('renders in headless Chromium with the API title and its operations', async () => {
    const dom = await chromium(['--dump-dom', url]);
    expect(dom).toContain('IBM Spectrum Copy Data Management storage plugin API');
    expect(dom).toContain('/server/{serverId}/volume/{volumeId}');
    expect(dom).toContain('POST');
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-shot-'));
    const shot = path.join(dir, 'docs.png');
    await chromium([`--screenshot=${shot}`, '--window-size=1280,1600', url]);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A blank page compresses to a few KB; a rendered one is much larger.
    expect(png.length).toBeGreaterThan(30_000);
    rmSync(dir, { recursive: true, force: true });
  });
});
