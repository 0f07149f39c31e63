// SCP File Storage errors as the simulator answers them: 400 is the OpenAPI's list of ValidationErrorModel, every other
// status a `{"detail"}` body (the framework's shape that list comes from), and the error the simulator throws.
import type { Response } from 'express';

/** One entry of a 400 answer, as the filestorage OpenAPI's ValidationErrorModel defines it (note `type_`). */
export interface ValidationErrorModel {
  loc: string[];
  msg: string;
  type_: string;
  ctx?: Record<string, unknown> | null;
}

export class ScpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Only for 400: the validation errors the body lists. */
    readonly errors?: ValidationErrorModel[],
  ) {
    super(message);
    this.name = 'ScpError';
  }
}

/** 400 with one or more validation errors. */
export const invalid = (errors: ValidationErrorModel[]): ScpError =>
  new ScpError(400, errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; '), errors);

export const invalidAt = (loc: string[], msg: string, type_ = 'value_error', ctx?: Record<string, unknown>): ScpError =>
  invalid([{ loc, msg, type_, ...(ctx ? { ctx } : {}) }]);

export const unauthorized = (message: string): ScpError => new ScpError(401, message);
export const forbidden = (message: string): ScpError => new ScpError(403, message);
export const notFound = (message: string): ScpError => new ScpError(404, message);
export const conflict = (message: string): ScpError => new ScpError(409, message);
/** An API version past its "supported until" date. */
export const retired = (message: string): ScpError => new ScpError(410, message);
/** Another region the call depends on did not answer. */
export const unavailable = (message: string): ScpError => new ScpError(503, message);

export function sendScpError(res: Response, err: ScpError): void {
  if (err.status === 400 && err.errors) res.status(400).json(err.errors);
  else res.status(err.status).json({ detail: err.message });
}

/** The body an injected failure of `status` answers (fault controls). */
export function sendStatus(res: Response, status: number, message: string): void {
  sendScpError(
    res,
    status === 400 ? invalidAt(['header'], message, 'value_error.fault') : new ScpError(status, message),
  );
}
