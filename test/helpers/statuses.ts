/**
 * The statuses each operation can answer, derived from the code: which route module registers it (found by running
 * each module's registration against a recording router), the error codes that module and the http modules it imports
 * name, what the request pipeline adds (validation, Accept, session check, body limit), and, for modules that call the
 * storage service, every code the domain and the adapters throw. Codes become statuses through ERROR_CATALOG.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOG, type ErrorCode } from '../../src/domain/errors';
import { isPublic } from '../../src/http/session';

const ROOT = path.resolve(__dirname, '../..');
const CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];
/** The helpers of domain/errors.ts and the code each throws. */
const HELPERS: Record<string, ErrorCode> = {
  notFound: 'NOT_FOUND',
  unsupported: 'UNSUPPORTED',
  invalidArgument: 'INVALID_ARGUMENT',
  conflict: 'CONFLICT',
};
/** Not sources of errors: the catalog itself and the handler's table of statuses of foreign errors. */
const NOT_SOURCES = new Set(['src/domain/errors.ts', 'src/http/error-handler.ts']);

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** Error codes a source file throws: catalog codes quoted in it, and calls of the helpers. */
export function codesIn(file: string): Set<ErrorCode> {
  if (NOT_SOURCES.has(file)) return new Set();
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found = new Set<ErrorCode>(CODES.filter((c) => text.includes(`'${c}'`)));
  for (const [fn, code] of Object.entries(HELPERS)) if (new RegExp(`\\b${fn}\\(`).test(text)) found.add(code);
  return found;
}

/** The file and the src/http files it imports, transitively (what a route module's handlers run). */
function httpClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), `${m[1]}.ts`));
    if (target.startsWith('src/http/')) httpClosure(target, seen);
  }
  return seen;
}

const union = (sets: Iterable<Set<ErrorCode>>) => new Set([...sets].flatMap((s) => [...s]));

/** Codes anything behind the storage service can throw: the domain layer and every adapter. */
const SERVICE_CODES = union([...filesUnder('src/domain'), ...filesUnder('plugins')].map((f) => codesIn(f)));

/** Which route module registers each `METHOD /template` (with `{param}`s), by running each registration. */
export async function routeModules(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  // Whatever a registration is given (backend, driver, policy): registering only stores handlers.
  const anything: unknown = new Proxy(function () {}, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => 'x' : anything),
    apply: () => anything,
  });
  for (const file of filesUnder('src/http/routes')) {
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (!name.endsWith('Routes') || typeof fn !== 'function') continue;
      const record =
        (method: string) =>
        (p: string): unknown => {
          found.set(`${method} ${p.replace(/:(\w+)/g, '{$1}')}`, file);
          return recorder;
        };
      const recorder = { get: record('GET'), post: record('POST'), put: record('PUT'), delete: record('DELETE') };
      (fn as (...a: unknown[]) => unknown)(...Array(fn.length).fill(anything), recorder);
    }
  }
  return found;
}

export interface SpecOperation {
  method: string;
  template: string;
  secured: boolean;
  hasBody: boolean;
  hasAction: boolean;
}

/** The error codes an operation can answer with. */
export function codesOf(op: SpecOperation, module: string): Set<ErrorCode> {
  const codes = new Set<ErrorCode>(['BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL']);
  if (op.secured && !isPublic(op.method, op.template)) {
    for (const c of codesIn('src/http/session.ts')) codes.add(c);
    codes.add('SESSION_STORE_UNAVAILABLE');
  }
  if (op.hasBody) codes.add('PAYLOAD_TOO_LARGE');
  for (const file of httpClosure(module)) for (const c of codesIn(file)) codes.add(c);
  if (/\.service\b/.test(readFileSync(path.join(ROOT, module), 'utf8'))) for (const c of SERVICE_CODES) codes.add(c);
  return codes;
}

export const statusesOf = (codes: Set<ErrorCode>): number[] =>
  [...new Set([...codes].map((c) => ERROR_CATALOG[c].status))].sort();
