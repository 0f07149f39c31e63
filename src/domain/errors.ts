/** The one domain error type and its catalog of stable codes; http/error-handler.ts turns them into HTTP. */

/**
 * Stable, machine-readable error types and the HTTP status each one answers with.
 * Codes never change once published; messages may. A unit test keeps this catalog and the
 * `ErrorType` enum of api-spec/openapi.yaml in step.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, title: 'The request is malformed or does not match the API specification' },
  UNKNOWN_ACTION: { status: 400, title: 'The action query parameter names no action of this resource' },
  INVALID_ARGUMENT: { status: 400, title: 'A value in the request is well-formed but not acceptable' },
  UNAUTHORIZED: { status: 401, title: 'No valid session, or the array refused the credentials' },
  FORBIDDEN: { status: 403, title: 'The array refused the operation for these credentials' },
  ARRAY_NOT_ALLOWED: { status: 403, title: 'The plugin is not allowed to reach that array (ARRAY_ALLOWLIST)' },
  NOT_FOUND: { status: 404, title: 'The resource does not exist' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'The resource does not support this HTTP method' },
  CONFLICT: { status: 409, title: 'The operation conflicts with the state of the resource' },
  INSUFFICIENT_SPACE: { status: 409, title: 'The pool has not enough free space for the operation' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The Accept or Content-Type header names an unsupported media type' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests from this client; retry after the Retry-After delay' },
  INTERNAL: { status: 500, title: 'An unexpected error inside the plugin' },
  UNSUPPORTED: { status: 501, title: 'The storage behind this plugin does not support the operation' },
  BACKEND_ERROR: { status: 502, title: 'The array answered with an error or an unreadable response' },
  BACKEND_UNAVAILABLE: { status: 503, title: 'The array could not be reached' },
  SESSION_STORE_UNAVAILABLE: { status: 503, title: 'The session store could not be reached' },
  BACKEND_TIMEOUT: { status: 504, title: 'The array did not answer in time' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorDetail {
  path?: string;
  message: string;
}

export class StorageError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  /** Seconds after which a retry may succeed (sent as Retry-After). */
  readonly retryAfter?: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: ErrorDetail[]; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StorageError';
    this.code = code;
    this.details = opts.details;
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}

export const notFound = (what: string, id: string): StorageError =>
  new StorageError('NOT_FOUND', `${what} '${id}' does not exist`);

export const unsupported = (message: string): StorageError => new StorageError('UNSUPPORTED', message);

export const invalidArgument = (message: string, path?: string): StorageError =>
  new StorageError('INVALID_ARGUMENT', message, path ? { details: [{ path, message }] } : {});

export const conflict = (message: string): StorageError => new StorageError('CONFLICT', message);

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}
