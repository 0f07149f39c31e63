/**
 * A CDM inventory walk while volumes come and go: pages are in creation order and resume from the array cursor the
 * previous page ended on, so a volume that exists from the first page to the last is listed exactly once.
 */
import { type TestPlugin, startTestPlugin } from '../helpers/plugin';

const LIMIT = 7;

describe.each(['vsnap', 'element', 'ontap'])('%s: a walk with creates and deletes in the middle', (backend) => {
  let p: TestPlugin;
  let sid: string;

  beforeAll(async () => {
    p = await startTestPlugin(backend);
    sid = await p.login();
  }, 60_000);
  afterAll(() => p?.close());

  const page = async (start: number) => {
    const res = await p.get(`/server/${p.fixture.serverId}/volume?limit=${LIMIT}&start=${start}`, sid);
    expect(res.status).toBe(200);
    return (res.body.volumes as { id: string; name: string }[]).map((v) => v.id);
  };

  it('neither skips nor repeats a volume that existed throughout', async () => {
    const created: string[] = [];
    for (let i = 0; i < 30; i++)
      created.push((await p.fixture.createVolume({ name: `walk_${i}`, type: 'lun', sizeBytes: 1 << 20 })).id);
    const before = new Set(await allIds());
    const gone = new Set<string>();
    const seen: string[] = [];
    let added = 0;
    for (let start = 0, n = 0; ; start += LIMIT, n++) {
      const ids = await page(start);
      seen.push(...ids);
      if (ids.length < LIMIT) break;
      // Between pages: delete one volume already listed (through the plugin, which refreshes what it holds) and one
      // not yet listed (on the array itself), and create two (on the array).
      const listed = ids[0];
      expect([200, 204]).toContain((await p.del(`/server/${p.fixture.serverId}/volume/${listed}`, sid)).status);
      gone.add(listed);
      const ahead = created.find((id) => !seen.includes(id) && !gone.has(id) && id !== created[created.length - 1]);
      if (ahead && n % 2 === 0) {
        await p.fixture.deleteVolume(ahead);
        gone.add(ahead);
      }
      for (let k = 0; k < 2; k++)
        await p.fixture.createVolume({ name: `walk_new_${n}_${k}`, type: 'lun', sizeBytes: 1 << 20 });
      added += 2;
      if (start > 200) throw new Error('the walk does not end');
    }
    const throughout = [...before].filter((id) => !gone.has(id));
    expect(throughout.length).toBeGreaterThan(10);
    for (const id of throughout) expect(seen.filter((s) => s === id)).toHaveLength(1);
    // Nothing at all is listed twice (volumes created during the walk may or may not be reached).
    expect(new Set(seen).size).toBe(seen.length);
    expect(added).toBeGreaterThan(0);
  }, 120_000);

  async function allIds(): Promise<string[]> {
    const res = await p.get(`/server/${p.fixture.serverId}/volume`, sid);
    expect(res.status).toBe(200);
    return (res.body.volumes as { id: string }[]).map((v) => v.id);
  }
});
