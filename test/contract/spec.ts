/** The contract as data: loads api-spec/openapi.yaml and tells whether an HTTP answer is one the spec allows. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const SPEC_FILE = path.resolve(__dirname, '../../api-spec/openapi.yaml');

type Json = Record<string, unknown>;

/** The first place where an answer departs from the spec: a JSON path into the body, `status` or `header X`. */
export interface Mismatch {
  path: string;
  message: string;
}

/** One operation of the spec (a path template and a verb). */
export interface SpecOperation {
  template: string;
  method: string;
  op: Json;
  /** Matches a concrete path (no query) against the template. */
  regex: RegExp;
}

/** What the suite knows of an answer: enough to check it against its operation. */
export interface AnswerToCheck {
  method: string;
  /** Path under the API base, without the query. */
  path: string;
  query: URLSearchParams;
  status: number;
  headers: Record<string, string>;
  raw: Buffer;
}

const VERBS = ['get', 'post', 'put', 'delete', 'patch'];

/** Ajv reports `/stats/size`; people read `$.stats.size` (and the missing or extra property named). */
export function jsonPath(e: ErrorObject): string {
  let p = '$';
  for (const seg of e.instancePath.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    p += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  }
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && params.missingProperty) p += `.${params.missingProperty}`;
  if (e.keyword === 'additionalProperties' && params.additionalProperty) p += `.${params.additionalProperty}`;
  return p;
}

/** The most telling of Ajv's errors: a leaf keyword rather than a oneOf/anyOf summary, deepest first. */
function firstError(errors: ErrorObject[]): ErrorObject {
  const leaves = errors.filter((e) => !['oneOf', 'anyOf', 'allOf', 'not', 'if'].includes(e.keyword));
  const pool = leaves.length ? leaves : errors;
  return pool.reduce(
    (best, e) => (e.instancePath.split('/').length > best.instancePath.split('/').length ? e : best),
    pool[0],
  );
}

function describe(e: ErrorObject): string {
  const params = e.params as { allowedValues?: unknown[] };
  if (e.keyword === 'required') return 'is required but missing';
  if (e.keyword === 'additionalProperties') return 'is not a property the spec allows';
  if (e.keyword === 'enum' && params.allowedValues)
    return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? 'is invalid';
}

/**
 * `{ $ref: '#/x' }` inside the spec becomes `spec#/x`, so a schema compiled on its own still resolves into the spec.
 */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value))
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : rebase(v);
    return out;
  }
  return value;
}

export class ContractSpec {
  readonly doc: Json & {
    paths: Record<string, Json>;
    components: { schemas: Record<string, unknown>; responses: Record<string, Json> };
  };
  readonly operations: SpecOperation[] = [];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file = SPEC_FILE) {
    this.doc = parse(readFileSync(file, 'utf8'));
    // OpenAPI 3.0 schemas: Ajv 8 understands `nullable`; vendor keywords (x-actions) are ignored.
    this.ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc, 'spec');
    for (const [template, item] of Object.entries(this.doc.paths)) {
      // Paths with servers of their own (the operator's /healthz, /readyz, /metrics) are not under the API base.
      if ((item as Json).servers) continue;
      const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
      for (const verb of VERBS) {
        if (item[verb]) this.operations.push({ template, method: verb.toUpperCase(), op: item[verb] as Json, regex });
      }
    }
  }

  /** The operation a method and concrete path (under the API base, no query) belong to. */
  operation(method: string, p: string): SpecOperation | undefined {
    return this.operations.find((o) => o.method === method.toUpperCase() && o.regex.test(p));
  }

  /** Whether the path exists in the spec under some verb (a wrong verb should then answer 405). */
  knowsPath(p: string): boolean {
    return this.operations.some((o) => o.regex.test(p));
  }

  /** The action names an operation declares in x-actions (empty when it has none). */
  actions(op: SpecOperation): string[] {
    return Object.keys((op.op['x-actions'] as Json | undefined) ?? {});
  }

  /** Checks a value against a component schema by name. */
  schemaMismatch(name: string, value: unknown): Mismatch | undefined {
    return this.validate(`#/components/schemas/${name}`, { $ref: `#/components/schemas/${name}` }, value);
  }

  private validate(key: string, schema: unknown, value: unknown): Mismatch | undefined {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(rebase(schema) as Json);
      this.compiled.set(key, v);
    }
    if (v(value)) return undefined;
    const e = firstError(v.errors ?? []);
    return { path: jsonPath(e), message: describe(e) };
  }

  private resolveResponse(r: Json): Json {
    const ref = r.$ref as string | undefined;
    return ref ? this.doc.components.responses[ref.split('/').pop() as string] : r;
  }

  /**
   * The first way an answer departs from the spec: an undeclared status, a missing header, the wrong
   * content type, or a body that does not match the schema (for actions, the one x-actions names).
   */
  check(a: AnswerToCheck): Mismatch | undefined {
    const found = this.operation(a.method, a.path);
    const errorSchema = this.doc.components.responses.Error;
    if (!found) {
      // Paths or verbs outside the spec may only answer an error, in the one error shape.
      if (a.status < 400)
        return { path: 'status', message: `${a.method} ${a.path} is not in the spec, yet it answered ${a.status}` };
      return this.checkContent(a, errorSchema, undefined);
    }
    const responses = found.op.responses as Record<string, Json>;
    const declared = responses[String(a.status)] ?? (a.status >= 400 ? responses.default : undefined);
    if (!declared) {
      return {
        path: 'status',
        message: `${a.status} is not a status the spec declares for ${found.method} ${found.template} (declared: ${Object.keys(responses).join(', ')})`,
      };
    }
    const response = this.resolveResponse(declared);
    for (const name of Object.keys((response.headers as Json | undefined) ?? {})) {
      if (!a.headers[name.toLowerCase()])
        return { path: `header ${name}`, message: `the ${name} header is required on ${a.status} but missing` };
    }
    let actionSchema: string | null | undefined;
    const xActions = found.op['x-actions'] as Record<string, { response?: string }> | undefined;
    const action = a.query.get('action');
    if (xActions && a.status < 300 && action && xActions[action]) actionSchema = xActions[action].response ?? null;
    return this.checkContent(a, response, actionSchema);
  }

  /** `actionSchema`: a component name, null for an action that answers no body, undefined for the declared schema. */
  private checkContent(
    a: AnswerToCheck,
    response: Json,
    actionSchema: string | null | undefined,
  ): Mismatch | undefined {
    const content = response.content as Record<string, { schema?: Json }> | undefined;
    if (!content || actionSchema === null) {
      if (a.raw.length > 0)
        return { path: '$', message: `the spec declares no body for ${a.status}, yet ${a.raw.length} bytes came back` };
      return undefined;
    }
    const type = (a.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const media = content[type];
    if (!media)
      return {
        path: 'header Content-Type',
        message: `'${type || '(none)'}' is not a declared media type for ${a.status} (declared: ${Object.keys(content).join(', ')})`,
      };
    if (type !== 'application/json') return undefined;
    let body: unknown;
    try {
      body = JSON.parse(a.raw.toString('utf8'));
    } catch {
      return {
        path: '$',
        message: `the body is not valid JSON: ${JSON.stringify(a.raw.toString('utf8').slice(0, 80))}`,
      };
    }
    if (actionSchema) return this.schemaMismatch(actionSchema, body);
    const schema = media.schema ?? {};
    return this.validate(JSON.stringify(schema), schema, body);
  }
}
