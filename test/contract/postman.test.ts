/**
 * The Postman collection covers every operation and action of the spec, and the committed JSON is what postman/build.ts
 * generates.
 */
import { readFileSync } from 'node:fs';
import { COLLECTION_FILE, ENVIRONMENT_FILE, buildCollection, buildEnvironment, serialize } from '../../postman/build';
import { ContractSpec } from './spec';

interface Item {
  name: string;
  item?: Item[];
  request?: { method: string; url: { raw: string } };
  event?: { listen: string; script: { exec: string[] } }[];
}

/** Every request of the collection as method, path (variables as placeholders) and action. */
function requests(
  items: Item[],
  folder = '',
): { folder: string; name: string; method: string; path: string; action?: string; tests: string }[] {
  return items.flatMap((i) => {
    if (i.item) return requests(i.item, i.name);
    const [p, q = ''] = i.request!.url.raw.replace('{{baseUrl}}', '').split('?');
    const tests = (i.event ?? [])
      .filter((e) => e.listen === 'test')
      .flatMap((e) => e.script.exec)
      .join('\n');
    return [
      {
        folder,
        name: i.name,
        method: i.request!.method,
        path: p.replace(/\{\{[^}]+\}\}/g, 'x'),
        action: new URLSearchParams(q).get('action') ?? undefined,
        tests,
      },
    ];
  });
}

describe('the Postman collection', () => {
  const collection = buildCollection() as unknown as { item: Item[] };
  const all = requests(collection.item);
  const spec = new ContractSpec();

  it('is committed as postman/build.ts generates it (run npx tsx postman/build.ts after editing)', () => {
    expect(readFileSync(COLLECTION_FILE, 'utf8')).toBe(serialize(buildCollection()));
    expect(readFileSync(ENVIRONMENT_FILE, 'utf8')).toBe(serialize(buildEnvironment()));
  });

  it('checks the CDM corner cases: the session Location, a block volume mounted with path null, empty collections', () => {
    const named = (name: string) => all.find((r) => r.name === name)!;
    expect(named('Log in (HTTP Basic)').tests).toMatch(/headers\.get\('Location'\)\)\.to\.match\(\/\\\/session\$\//);
    expect(named("Mount the first LUN's volume").tests).toMatch(/path\).to.eql\(null\)/);
    for (const list of ['LUNs', 'Host groups', 'Consistency groups', 'Remote arrays']) {
      // Listed with 200 always: no 501 is accepted for a collection.
      expect([list, named(list).tests.includes('501')]).toEqual([list, false]);
      expect([list, /to\.have\.status\(200\)/.test(named(list).tests)]).toEqual([list, true]);
    }
    const probes = all.filter((r) => /does not exist \(are .* served\?\)/.test(r.name));
    expect(probes.map((r) => r.path)).toEqual([
      '/server/x/lun/postman_nolun_x',
      '/server/x/hostgroup/postman_nohg_x',
      '/server/x/consistencygroup/postman_nocg_x',
    ]);
    // Where not served, a member is 404 and the list was empty.
    for (const probe of probes) expect(probe.tests).toMatch(/collection is an empty list/);
    expect(named('A consistency group').tests).toMatch(/404 NOT_FOUND \(not served/);
  });

  it.each(spec.operations.map((o) => [`${o.method} ${o.template}`, o] as const))(
    'has a request for %s and each of its actions',
    (_name, op) => {
      const matching = all.filter((r) => r.method === op.method && op.regex.test(r.path));
      expect(matching.length).toBeGreaterThan(0);
      for (const action of spec.actions(op))
        expect([action, matching.some((r) => r.action === action)]).toEqual([action, true]);
    },
  );

  it('tests the status of every request, and the body wherever one comes back', () => {
    for (const r of all) {
      expect([r.name, /to\.have\.status\(\d+\)/.test(r.tests)]).toEqual([r.name, true]);
      // A body against its schema, an empty body, the zip of GET /log, or the page of GET /docs.
      expect([r.name, /jsonSchema|text\(\)\)\.to\.eql\(''\)|a zip archive|an HTML page/.test(r.tests)]).toEqual([
        r.name,
        true,
      ]);
    }
  });

  it('walks the resources in the order an operator explores them', () => {
    const folders = collection.item.map((f) => f.name);
    const order = [
      'Plugin information',
      'Session',
      'Storage',
      'Servers',
      'Pools and networks',
      'Volumes',
      'Snapshots',
      'Volume actions',
      'Hosts',
      'Consistency groups',
      'Remote arrays',
      'Log',
      'Log out',
    ];
    expect(folders.filter((f) => order.includes(f))).toEqual(order);
  });

  it('captures the session id in the first login and sends it on every later request', () => {
    expect(all[1]).toMatchObject({ name: 'Log in (HTTP Basic)' });
    expect(all[1].tests).toContain('pm.collectionVariables.set("sessionId"');
    expect(JSON.stringify((collection as { auth?: unknown }).auth)).toContain('{{sessionId}}');
  });
});
