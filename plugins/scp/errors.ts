/** SCP File Storage error answers: the HTTP status (the OpenAPI documents each) with its body, and predicates. */
import type { ScpValidationError } from './types';

/** Statuses the filestorage OpenAPI documents, by name. */
export const SCP_STATUS = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** An API version past its "supported until" date. */
  GONE: 410,
  UNAVAILABLE: 503,
} as const;

/** A failed call: the status, what the body said, and for a 400 its ValidationErrorModel list. */
export class ScpApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ScpValidationError[] = [],
  ) {
    super(message);
    this.name = 'ScpApiError';
  }
}

export const isScpError = (e: unknown): e is ScpApiError => e instanceof ScpApiError;
export const isNotFound = (e: unknown): boolean => isScpError(e) && e.status === SCP_STATUS.NOT_FOUND;
export const isConflict = (e: unknown): boolean => isScpError(e) && e.status === SCP_STATUS.CONFLICT;
