/** vSnap error types (the `error.type` of its error body) as named constants, with predicates. */

export const VSNAP_ERROR = {
  INVALID_PARAMETER: 'InvalidParameterError',
  AUTHENTICATION: 'AuthenticationError',
  PERMISSION_DENIED: 'PermissionDeniedError',
  NOT_FOUND: 'NotFoundError',
  OBJECT_EXISTS: 'ObjectExistsError',
  OBJECT_IN_USE: 'ObjectInUseError',
  INSUFFICIENT_SPACE: 'InsufficientSpaceError',
  INTERNAL: 'InternalError',
} as const;

/** An error answer of the vSnap API: the HTTP status with the body's `{error: {type, message}}`. */
export class VsnapApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'VsnapApiError';
  }
}

export const isVsnapError = (e: unknown): e is VsnapApiError => e instanceof VsnapApiError;
export const isNotFound = (e: unknown): boolean => isVsnapError(e) && e.status === 404;
export const isObjectExists = (e: unknown): boolean => isVsnapError(e) && e.type === VSNAP_ERROR.OBJECT_EXISTS;
