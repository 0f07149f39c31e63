// GET /v1/volumes as the OpenAPI defines it: offset and limit (default 20), a name and a disk type to filter by, and
// the four sorts; `count` is every volume that matches, the page is `filestorages`.
import { type RunningScpSimulator, startScpSimulator } from '../../simulators/scp/server';
import { KEY, ok } from './sim-helpers';

interface List {
  count: number;
  filestorages: { id: string; name: string; type_name: string; created_at: string }[];
}

describe('SCP simulator: volume lists', () => {
  let s: RunningScpSimulator;
  let url: string;
  const made: string[] = [];
  beforeAll(async () => {
    let tick = 0;
    // A clock that moves on at every look, so created_at orders the volumes strictly.
    s = await startScpSimulator({
      regions: [{ name: 'kr-west1', port: 0 }],
      keys: [KEY],
      demo: false,
      bulkVolumes: 21,
      now: () => Date.now() + tick++,
    });
    url = s.url;
    for (const [name, type] of [
      ['zeta_vol', 'SSD'],
      ['alpha_vol', 'HDD'],
      ['mid_vol', 'SSD'],
    ])
      made.push(
        (
          await ok<{ volume_id: string }>(url, '/v1/volumes', {
            method: 'POST',
            timestamp: Date.now(),
            body: { name, protocol: 'NFS', type_name: type },
          })
        ).volume_id,
      );
  });
  afterAll(() => s.close());

  const list = (q: string) => ok<List>(url, `/v1/volumes${q}`);

  it('pages 20 at a time by default, newest first, and counts every volume', async () => {
    const page = await list('');
    expect([page.count, page.filestorages.length]).toEqual([24, 20]);
    expect(page.filestorages[0].id).toBe(made[2]);
  });

  it('pages in creation order without overlap, and past the end is empty', async () => {
    const all = (await list('?sort=created_at:asc&limit=100')).filestorages.map((v) => v.id);
    const pages = await Promise.all([0, 10, 20].map((o) => list(`?sort=created_at:asc&offset=${o}&limit=10`)));
    expect(pages.flatMap((p) => p.filestorages.map((v) => v.id))).toEqual(all);
    expect(all.slice(-3)).toEqual(made);
    expect((await list('?sort=created_at:asc&offset=24')).filestorages).toEqual([]);
  });

  it('filters by disk type and by name, and sorts by name', async () => {
    const ssd = await list('?type_name=SSD&sort=name:asc');
    expect([ssd.count, ssd.filestorages.map((v) => v.name.slice(0, -6))]).toEqual([2, ['mid_vol', 'zeta_vol']]);
    const named = await list('?name=alpha');
    expect(named.filestorages.map((v) => v.id)).toEqual([made[1]]);
    const desc = (await list('?sort=name:desc&limit=1')).filestorages[0].name;
    expect(desc.startsWith('zeta_vol')).toBe(true);
  });
});
