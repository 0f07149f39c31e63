// The layout's rules, checked on the source tree: dependencies one way between the product and the simulators,
// no import cycles, one shape per backend, and a production build that holds no simulator.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BACKENDS } from '../../plugins';
import { SIMULATORS } from '../../simulators';

const ROOT = path.resolve(__dirname, '../..');
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Relative imports (static, dynamic with a literal, require) of every file, resolved to files of the tree. */
function importGraph(dirs: string[]): Edge[] {
  const edges: Edge[] = [];
  const re =
    /(import\s+(type\s+)?[^'";]*?from\s*|export\s+(type\s+)?[^'";]*?from\s*|import\(\s*|require\(\s*)['"](\.[^'"]+)['"]/g;
  for (const file of dirs.flatMap((d) => tsFiles(path.join(ROOT, d)))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(re)) {
      const base = path.resolve(path.dirname(file), m[4]);
      const to = [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
      if (to) edges.push({ from: rel(file), to: rel(to), typeOnly: Boolean(m[2] || m[3]) });
    }
  }
  return edges;
}

const graph = importGraph(['src', 'plugins', 'simulators']);
const product = (f: string) => f.startsWith('src/') || f.startsWith('plugins/');

describe('the product and the simulators', () => {
  it('src/ and plugins/ import nothing of simulators/', () => {
    expect(graph.filter((e) => product(e.from) && e.to.startsWith('simulators/'))).toEqual([]);
  });

  it('simulators/ import nothing of src/ or plugins/', () => {
    expect(graph.filter((e) => e.from.startsWith('simulators/') && product(e.to))).toEqual([]);
  });

  it('only the embedded-simulator start names the simulators, and only at run time', () => {
    const naming = tsFiles(path.join(ROOT, 'src'))
      .concat(tsFiles(path.join(ROOT, 'plugins')))
      .filter((f) => /simulators\//.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(naming).toEqual(['src/embedded-simulator.ts']);
    expect(readFileSync(path.join(ROOT, 'src/embedded-simulator.ts'), 'utf8')).toMatch(
      /await import\(SIMULATORS_MODULE\)/,
    );
  });

  it('the production build (tsconfig.build.json) compiles no simulator file', () => {
    const files = execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'],
      { cwd: ROOT, encoding: 'utf8' },
    )
      .split('\n')
      .filter((f) => f.startsWith(ROOT))
      .map(rel);
    expect(files).toContain('src/server.ts');
    expect(files.filter((f) => f.startsWith('plugins/')).length).toBeGreaterThan(30);
    expect(files.filter((f) => f.startsWith('simulators/') || f.startsWith('test/'))).toEqual([]);
  });
});

describe('imports', () => {
  it('form no cycle (type-only imports aside)', () => {
    const next = new Map<string, string[]>();
    for (const e of graph) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f]);
        return;
      }
      state.set(f, 'open');
      for (const to of next.get(f) ?? []) visit(to, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of next.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe('one shape per backend', () => {
  const CORE = ['index', 'client', 'api', 'errors', 'mapper', 'types', 'connection'];
  const TOPICS = ['inventory', 'volumes', 'snapshots', 'restore', 'hosts', 'replication'];

  it.each(Object.keys(BACKENDS))('plugins/%s has the core and topic modules, and no others', (name) => {
    const files = readdirSync(path.join(ROOT, 'plugins', name))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    const groups = BACKENDS[name].capabilities.consistencyGroups ? ['consistency-groups'] : [];
    expect(files).toEqual([...CORE, ...TOPICS, ...groups].sort());
  });

  it.each(Object.keys(SIMULATORS))(
    'simulators/%s keeps its route handlers in routes/ and its state in state/',
    (name) => {
      const dir = path.join(ROOT, 'simulators', name);
      for (const sub of ['routes', 'state']) expect(statSync(path.join(dir, sub)).isDirectory()).toBe(true);
      for (const f of ['index.ts', 'server.ts', 'fixture.ts', 'errors.ts', 'dataplane.ts', 'demo.ts'])
        expect(existsSync(path.join(dir, f))).toBe(true);
    },
  );
});
