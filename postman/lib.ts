/**
 * Builders for the Postman collection: requests, folders, and the test-script lines they share, with the spec's schemas
 * made Postman-ready.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const SPEC = parse(readFileSync(path.resolve(__dirname, '../api-spec/openapi.yaml'), 'utf8')) as {
  components: { schemas: Record<string, Json> };
};

/**
 * A component schema as Postman's Ajv (draft-07, no OpenAPI keywords) reads it: `nullable` becomes a
 * null type, formats and descriptions go, and `$ref`s point into `definitions`.
 */
function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (!value || typeof value !== 'object') return value;
  const s = value as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (['nullable', 'format', 'description', 'default', 'example'].includes(k) || k.startsWith('x-')) continue;
    if (k === '$ref') out.$ref = `#/definitions/${String(v).split('/').pop()}`;
    else out[k] = convert(v);
  }
  if (s.nullable === true && typeof s.type === 'string') out.type = [s.type, 'null'];
  return out;
}

/** Every component schema, converted; they refer to each other as `#/definitions/<name>`. */
export function postmanSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(SPEC.components.schemas).map(([name, schema]) => [name, convert(schema)]));
}

export type Auth = 'session' | 'none' | 'basic' | { session: string };

export interface RequestSpec {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under {{baseUrl}}, with {{variables}} and an optional ?query. */
  path: string;
  /** @default 'session' (the collection's x-storageplugin-sessionid) */
  auth?: Auth;
  /** @default 'application/json' */
  accept?: string;
  /** A JSON body, or a raw string (variables inside are substituted as text, so numbers stay numbers). */
  body?: unknown;
  raw?: string;
  description?: string;
  pre?: string[];
  test: string[];
}

const script = (listen: 'prerequest' | 'test', exec: string[]) => ({
  listen,
  script: { type: 'text/javascript', exec },
});

function authOf(auth: Auth): Json | undefined {
  if (auth === 'session') return undefined; // inherits the collection's
  if (auth === 'none') return { type: 'noauth' };
  if (auth === 'basic')
    return {
      type: 'basic',
      basic: [
        { key: 'username', value: '{{username}}', type: 'string' },
        { key: 'password', value: '{{password}}', type: 'string' },
      ],
    };
  return apiKeyAuth(auth.session);
}

export function apiKeyAuth(value: string): Json {
  return {
    type: 'apikey',
    apikey: [
      { key: 'key', value: 'x-storageplugin-sessionid', type: 'string' },
      { key: 'value', value, type: 'string' },
      { key: 'in', value: 'header', type: 'string' },
    ],
  };
}

export function request(r: RequestSpec): Json {
  const [p, q] = r.path.split('?');
  const headers = [{ key: 'Accept', value: r.accept ?? 'application/json' }];
  const raw = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body, null, 2));
  if (raw !== undefined) headers.push({ key: 'Content-Type', value: 'application/json' });
  // Every test script reads the spec's schemas that the collection's pre-request script provides.
  const test = r.test.some((l) => l.includes('S.'))
    ? ["var S = JSON.parse(pm.variables.get('cdmSchemas'));", ...r.test]
    : r.test;
  const events = [...(r.pre ? [script('prerequest', r.pre)] : []), script('test', test)];
  const item: Json = {
    name: r.name,
    event: events,
    request: {
      method: r.method,
      header: headers,
      ...(authOf(r.auth ?? 'session') ? { auth: authOf(r.auth ?? 'session') } : {}),
      ...(raw !== undefined ? { body: { mode: 'raw', raw, options: { raw: { language: 'json' } } } } : {}),
      url: {
        raw: `{{baseUrl}}${r.path}`,
        host: ['{{baseUrl}}'],
        path: p.split('/').filter(Boolean),
        ...(q ? { query: q.split('&').map((kv) => ({ key: kv.split('=')[0], value: kv.split('=')[1] ?? '' })) } : {}),
      },
      ...(r.description ? { description: r.description } : {}),
    },
  };
  return item;
}

export function folder(name: string, description: string, items: Json[]): Json {
  return { name, description, item: items };
}

/* ---- test-script lines ---- */

const q = (s: string) => JSON.stringify(s);

export const status = (code: number): string[] => [
  `pm.test(${q(`status is ${code}`)}, function () { pm.response.to.have.status(${code}); });`,
];

/** The body against a spec schema; S is read from the schemas the collection's pre-request script sets. */
export const schema = (name: string): string[] => [
  `pm.test(${q(`the body matches the spec's ${name} schema`)}, function () { pm.response.to.have.jsonSchema(S.${name}); });`,
];

export const ok = (code: number, name: string): string[] => [...status(code), ...schema(name)];

export const noBody = (code: number): string[] => [
  ...status(code),
  `pm.test('there is no body', function () { pm.expect(pm.response.text()).to.eql(''); });`,
];

/** The documented error: status, the Error schema and the stable type. */
export const error = (code: number, type: string): string[] => [
  ...status(code),
  ...schema('Error'),
  `pm.test(${q(`the error type is ${type}`)}, function () { pm.expect(pm.response.json().error.type).to.eql(${q(type)}); });`,
];

/**
 * A feature that may not be served: `servedExpr` (JS, evaluated in the script) says whether the
 * success is expected; when it is not, the answer must be the documented 501 UNSUPPORTED, checked as
 * strictly as the success would be. `servedExpr` null: either answer is fine, each checked strictly.
 */
export function okOrUnsupported(code: number, name: string | null, servedExpr: string | null, what: string): string[] {
  const success = name
    ? `pm.response.to.have.status(${code}); pm.response.to.have.jsonSchema(S.${name});`
    : `pm.response.to.have.status(${code}); pm.expect(pm.response.text()).to.eql('');`;
  const unsupported =
    "pm.response.to.have.status(501); pm.response.to.have.jsonSchema(S.Error); pm.expect(pm.response.json().error.type).to.eql('UNSUPPORTED');";
  const answer = `${code}${name ? ` with ${name}` : ''}`;
  return [
    // true: the success is expected; false: the 501 is; null: either, whichever came is checked strictly.
    `var served = ${servedExpr ?? 'null'};`,
    `pm.test(${q(`${what}: `)} + (served === true ? ${q(`${answer} (the server says it is served)`)} : served === false ? ${q('the documented 501 UNSUPPORTED (the server says it is not served)')} : ${q(`${answer}, or the documented 501 UNSUPPORTED`)}), function () {`,
    `  if (served === true || (served === null && pm.response.code !== 501)) { ${success} } else { ${unsupported} }`,
    '});',
  ];
}

/**
 * A member of a collection the storage may not have: served, the success; not served, 404 NOT_FOUND (the collection
 * is empty, so nothing in it exists). `servedExpr` as in okOrUnsupported.
 */
export function okOrMissing(code: number, name: string, servedExpr: string, what: string): string[] {
  return [
    `var served = ${servedExpr};`,
    `pm.test(${q(`${what}: `)} + (served ? ${q(`${code} with ${name} (it is served)`)} : ${q('404 NOT_FOUND (not served: the collection is empty)')}), function () {`,
    `  if (served) { pm.response.to.have.status(${code}); pm.response.to.have.jsonSchema(S.${name}); } else { pm.response.to.have.status(404); pm.response.to.have.jsonSchema(S.Error); pm.expect(pm.response.json().error.type).to.eql('NOT_FOUND'); }`,
    '});',
  ];
}

/**
 * An action on an object that does not exist, asked to learn whether the collection is served: 404 NOT_FOUND where it
 * is, the documented 501 UNSUPPORTED where not (each checked strictly). Sets `variable` to 'true' or 'false'; where
 * not served, the list read before (its length in `countVariable`) must have been empty.
 */
export function servedProbe(variable: string, countVariable: string, what: string): string[] {
  return [
    `pm.test(${q(`${what}: 404 NOT_FOUND where served, the documented 501 UNSUPPORTED where not`)}, function () {`,
    '  if (pm.response.code === 501) { pm.response.to.have.status(501); } else { pm.response.to.have.status(404); }',
    '  pm.response.to.have.jsonSchema(S.Error);',
    "  pm.expect(pm.response.json().error.type).to.eql(pm.response.code === 404 ? 'NOT_FOUND' : 'UNSUPPORTED');",
    '});',
    set(variable, 'String(pm.response.code !== 501)'),
    `if (pm.response.code === 501) { pm.test(${q(`${what}: not served, so the collection is an empty list`)}, function () { pm.expect(Number(${get(countVariable)})).to.eql(0); }); }`,
  ];
}

/** Reads a `supports`/`config` flag of the server captured by GET /server/{id}. */
export const flag = (name: string): string =>
  `JSON.parse(pm.collectionVariables.get('serverFlags') || '{}')[${q(name)}] === true`;

export const set = (name: string, expr: string): string => `pm.collectionVariables.set(${q(name)}, ${expr});`;

export const get = (name: string): string => `pm.collectionVariables.get(${q(name)})`;

/** Skips the request (with the reason in the console) unless the condition holds. */
export const skipUnless = (cond: string, reason: string): string[] => [
  `if (!(${cond})) { console.log(${q(`skipped: ${reason}`)}); pm.execution.skipRequest(); }`,
];

/** Only when the answer is a success: the lines run inside a guard. */
export const onSuccess = (lines: string[]): string[] => [
  'if (pm.response.code < 300) {',
  ...lines.map((l) => `  ${l}`),
  '}',
];
