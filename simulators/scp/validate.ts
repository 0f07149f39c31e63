// Request validation with the answers the filestorage API gives: every problem found becomes one
// ValidationErrorModel of a 400 list, located as `["body", field]` or `["query", name]`. Patterns are the OpenAPI's;
// those that list alternatives without anchors (`5min|hourly|...`) are read as the enumerations they are.
import type { Request } from 'express';
import { type ValidationErrorModel, invalid } from './errors';

type Where = 'body' | 'query' | 'path';

interface StringRule {
  required?: boolean;
  nullable?: boolean;
  pattern?: RegExp;
  /** The pattern as the OpenAPI writes it, for the message. @default pattern.source */
  shown?: string;
  maxLength?: number;
}

interface IntRule {
  required?: boolean;
  nullable?: boolean;
  min?: number;
  max?: number;
  default?: number;
}

export class Checker {
  readonly errors: ValidationErrorModel[] = [];
  private readonly fields: Record<string, unknown>;
  /** The input is no object at all: that one error says it, not one per field. */
  private readonly broken: boolean;

  constructor(
    input: unknown,
    private readonly where: Where,
  ) {
    this.broken = input === null || typeof input !== 'object' || Array.isArray(input);
    if (this.broken) {
      this.fields = {};
      this.errors.push(
        input === undefined
          ? { loc: [where], msg: 'Field required', type_: 'missing' }
          : {
              loc: [where],
              msg: 'Input should be a valid dictionary or object to extract fields from',
              type_: 'model_attributes_type',
            },
      );
    } else this.fields = input as Record<string, unknown>;
  }

  private fail(name: string, msg: string, type_: string, ctx?: Record<string, unknown>): undefined {
    this.errors.push({ loc: [this.where, name], msg, type_, ...(ctx ? { ctx } : {}) });
    return undefined;
  }

  /** Absent (or null where allowed): undefined; a missing required field is an error. */
  private present(name: string, required?: boolean, nullable?: boolean): boolean {
    const v = this.fields[name];
    if (v === undefined || (v === null && nullable)) {
      if (required && !this.broken) this.fail(name, 'Field required', 'missing');
      return false;
    }
    return true;
  }

  string(name: string, rule: StringRule = {}): string | undefined {
    if (!this.present(name, rule.required, rule.nullable)) return undefined;
    const v = this.fields[name];
    if (typeof v !== 'string') return this.fail(name, 'Input should be a valid string', 'string_type');
    if (rule.maxLength !== undefined && v.length > rule.maxLength)
      return this.fail(name, `String should have at most ${rule.maxLength} characters`, 'string_too_long', {
        max_length: rule.maxLength,
      });
    if (rule.pattern && !rule.pattern.test(v)) {
      const pattern = rule.shown ?? rule.pattern.source;
      return this.fail(name, `String should match pattern '${pattern}'`, 'string_pattern_mismatch', { pattern });
    }
    return v;
  }

  /** An integer (a query parameter's digits too). */
  int(name: string, rule: IntRule = {}): number | undefined {
    if (!this.present(name, rule.required, rule.nullable)) return rule.default;
    const raw = this.fields[name];
    const v = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v))
      return this.fail(name, 'Input should be a valid integer', typeof raw === 'string' ? 'int_parsing' : 'int_type');
    if (rule.min !== undefined && v < rule.min)
      return this.fail(name, `Input should be greater than or equal to ${rule.min}`, 'greater_than_equal', {
        ge: rule.min,
      });
    if (rule.max !== undefined && v > rule.max)
      return this.fail(name, `Input should be less than or equal to ${rule.max}`, 'less_than_equal', { le: rule.max });
    return v;
  }

  bool(name: string, required = false): boolean | undefined {
    if (!this.present(name, required)) return undefined;
    const v = this.fields[name];
    if (typeof v !== 'boolean') return this.fail(name, 'Input should be a valid boolean', 'bool_type');
    return v;
  }

  /** A nested object, checked by `inner` (its errors are located under `name`). */
  object<T>(name: string, required: boolean, inner: (c: Checker) => T): T | undefined {
    if (!this.present(name, required)) return undefined;
    const c = new Checker(this.fields[name], this.where);
    const out = inner(c);
    for (const e of c.errors) this.errors.push({ ...e, loc: [this.where, name, ...e.loc.slice(1)] });
    return c.errors.length ? undefined : out;
  }

  list(name: string, maxItems?: number): unknown[] | undefined {
    const v = this.fields[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.fail(name, 'Input should be a valid list', 'list_type');
    if (maxItems !== undefined && v.length > maxItems)
      return this.fail(name, `List should have at most ${maxItems} items after validation`, 'too_long', {
        max_length: maxItems,
      });
    return v;
  }

  /** Throws the 400 when anything failed. */
  done(): void {
    if (this.errors.length) throw invalid(this.errors);
  }
}

export const bodyOf = (req: Request): Checker => new Checker(req.body, 'body');
export const queryOf = (req: Request): Checker => new Checker(req.query, 'query');

/** A required query parameter the path's operation names (e.g. `volume_id`). */
export function requiredQuery(req: Request, name: string): string {
  const c = queryOf(req);
  const v = c.string(name, { required: true });
  c.done();
  return v as string;
}

export const param = (req: Request, name: string): string => String(req.params[name]);

/** The OpenAPI's patterns. */
export const PATTERN = {
  volumeName: /^[a-z]([a-z0-9_]){2,20}$/,
  protocol: /^(NFS|CIFS)$/,
  typeName: /^(HDD|SSD|HighPerformanceSSD)$/,
  replicableType: /^(HDD|SSD)$/,
  sort: /^(name:asc|name:desc|created_at:asc|created_at:desc)$/,
  action: /^(add|remove)$/,
  objectType: /^(VM|BM|GPU|GPU_NODE|ENDPOINT)$/,
  frequency: /^(5min|hourly|daily|weekly|monthly)$/,
  replicationType: /^(replication|backup)$/,
  policy: /^(use|paused)$/,
  updateType11: /^(policy|frequency)$/,
  updateType10: /^(policy|modify_schedule)$/,
  scheduleFrequency: /^(WEEKLY|DAILY)$/,
  hour: /^([0-9]|1[0-9]|2[0-3])$/,
  dayOfWeek: /^(SUN|MON|TUE|WED|THU|FRI|SAT)$/,
};
