/** Loads api-spec/openapi.yaml once and compiles the per-action body schemas named in its x-actions extensions. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { StorageError } from '../domain/errors';
import { PROJECT_ROOT } from '../paths';

export const SPEC_PATH = path.join(PROJECT_ROOT, 'api-spec/openapi.yaml');
export const API_BASE = '/storageplugin/api';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

let cached: OpenApiDocument | undefined;

/** The parsed spec. Callers that hand it to a library that may mutate it get a copy. */
export function loadSpec(): OpenApiDocument {
  cached ??= parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
  return structuredClone(cached);
}

/** One action of an operation's x-actions: the component schema names of its body and answer. */
export interface ActionSpec {
  request?: string;
  response?: string;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function schemaValidator(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!ajv) {
      // OpenAPI 3.0 schemas: `nullable` is understood by Ajv 8; vendor keywords are ignored.
      ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      ajv.addSchema(loadSpec(), 'spec');
    }
    v = ajv.getSchema(`spec#/components/schemas/${name}`);
    if (!v) throw new Error(`api-spec has no schema ${name}`);
    validators.set(name, v);
  }
  return v;
}

/** Validates a value against a component schema; the issues as readable strings (empty when valid). */
export function schemaIssues(name: string, value: unknown): { path: string; message: string }[] {
  const v = schemaValidator(name);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => ({
    path: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)',
    message: e.message ?? 'invalid',
  }));
}

/** Throws BAD_REQUEST when the body does not match the action's request schema. */
export function validateActionBody(action: string, spec: ActionSpec | undefined, body: unknown): void {
  if (!spec?.request) return;
  const issues = schemaIssues(spec.request, body ?? {});
  if (issues.length) {
    throw new StorageError(
      'BAD_REQUEST',
      `invalid body for action '${action}': ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      {
        details: issues,
      },
    );
  }
}
