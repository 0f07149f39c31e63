// The error the ONTAP simulator throws and the `{error: {message, code, target}}` body it answers with.
import type { Response } from 'express';
import { ONTAP_ERROR } from './codes';

export { ONTAP_ERROR };

/** An ONTAP error: HTTP status, numeric code (a string on the wire), message and the field it is about. */
export class OntapError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
    this.name = 'OntapError';
  }
}

export const notFound = (message: string, target?: string): OntapError =>
  new OntapError(404, ONTAP_ERROR.ENTRY_DOESNT_EXIST, message, target);
export const invalidValue = (field: string, value: unknown): OntapError =>
  new OntapError(
    400,
    ONTAP_ERROR.INVALID_FIELD_VALUE,
    `The value "${typeof value === 'string' ? value : JSON.stringify(value)}" is invalid for field "${field}"`,
    field,
  );
export const invalid = (message: string, target?: string): OntapError =>
  new OntapError(400, ONTAP_ERROR.INVALID_ENTRY, message, target);
export const required = (field: string): OntapError =>
  new OntapError(400, ONTAP_ERROR.FIELD_REQUIRED, `Field "${field}" is required.`, field);
export const unexpected = (field: string): OntapError =>
  new OntapError(400, ONTAP_ERROR.UNEXPECTED_ARGUMENT, `Unexpected argument "${field}".`, field);
export const duplicate = (message: string, target?: string): OntapError =>
  new OntapError(409, ONTAP_ERROR.DUPLICATE_ENTRY, message, target);
export const conflict = (code: string, message: string, target?: string): OntapError =>
  new OntapError(409, code, message, target);
export const noSpace = (message: string): OntapError => new OntapError(409, ONTAP_ERROR.NO_SPACE, message);

export function sendError(res: Response, status: number, code: string, message: string, target?: string): void {
  res.status(status).json({ error: target === undefined ? { message, code } : { message, code, target } });
}

export function sendOntapError(res: Response, err: OntapError): void {
  sendError(res, err.status, err.code, err.message, err.target);
}

/** The code an injected failure of a bare HTTP status carries. */
export function codeForStatus(status: number): string {
  if (status === 404) return ONTAP_ERROR.ENTRY_DOESNT_EXIST;
  if (status === 403) return ONTAP_ERROR.NOT_AUTHORIZED;
  if (status === 409) return ONTAP_ERROR.DUPLICATE_ENTRY;
  if (status >= 400 && status < 500) return ONTAP_ERROR.INVALID_ENTRY;
  return ONTAP_ERROR.JOB_FAILED;
}
