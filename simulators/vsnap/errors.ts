// vSnap error types as named constants, the error the simulator throws, and the helper that sends the error body.
import type { Response } from 'express';

/** The vSnap REST API developer guide, section 1: errors are `{"error": {"message", "type"}}`. */
export const INVALID_PARAMETER_ERROR = 'InvalidParameterError';
export const AUTHENTICATION_ERROR = 'AuthenticationError';
export const PERMISSION_DENIED_ERROR = 'PermissionDeniedError';
export const NOT_FOUND_ERROR = 'NotFoundError';
export const OBJECT_EXISTS_ERROR = 'ObjectExistsError';
export const OBJECT_IN_USE_ERROR = 'ObjectInUseError';
export const INSUFFICIENT_SPACE_ERROR = 'InsufficientSpaceError';
export const INTERNAL_ERROR = 'InternalError';
/** A partner system could not be reached, or broke off a call (replication, seed 12-14). */
export const CONNECTION_ERROR = 'ConnectionError';

export type VsnapErrorType =
  | typeof INVALID_PARAMETER_ERROR
  | typeof AUTHENTICATION_ERROR
  | typeof PERMISSION_DENIED_ERROR
  | typeof NOT_FOUND_ERROR
  | typeof OBJECT_EXISTS_ERROR
  | typeof OBJECT_IN_USE_ERROR
  | typeof INSUFFICIENT_SPACE_ERROR
  | typeof INTERNAL_ERROR
  | typeof CONNECTION_ERROR;

/** HTTP status of each error type. */
export const ERROR_STATUS: Readonly<Record<VsnapErrorType, number>> = {
  [INVALID_PARAMETER_ERROR]: 400,
  [AUTHENTICATION_ERROR]: 401,
  [PERMISSION_DENIED_ERROR]: 403,
  [NOT_FOUND_ERROR]: 404,
  [OBJECT_EXISTS_ERROR]: 409,
  [OBJECT_IN_USE_ERROR]: 409,
  [INSUFFICIENT_SPACE_ERROR]: 409,
  [INTERNAL_ERROR]: 500,
  [CONNECTION_ERROR]: 500,
};

export class VsnapError extends Error {
  readonly status: number;
  constructor(
    readonly type: VsnapErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'VsnapError';
    this.status = ERROR_STATUS[type];
  }
}

export const invalid = (message: string): VsnapError => new VsnapError(INVALID_PARAMETER_ERROR, message);
export const notFound = (message: string): VsnapError => new VsnapError(NOT_FOUND_ERROR, message);
export const exists = (message: string): VsnapError => new VsnapError(OBJECT_EXISTS_ERROR, message);
export const inUse = (message: string): VsnapError => new VsnapError(OBJECT_IN_USE_ERROR, message);
export const unreachable = (message: string): VsnapError => new VsnapError(CONNECTION_ERROR, message);
export const noSpace = (message: string): VsnapError => new VsnapError(INSUFFICIENT_SPACE_ERROR, message);

/** The error type a bare HTTP status stands for (used by injected failures). */
export function typeForStatus(status: number): VsnapErrorType {
  const found = (Object.keys(ERROR_STATUS) as VsnapErrorType[]).find((t) => ERROR_STATUS[t] === status);
  return found ?? INTERNAL_ERROR;
}

export function sendError(res: Response, status: number, type: VsnapErrorType, message: string): void {
  res.status(status).json({ error: { message, type } });
}

export function sendVsnapError(res: Response, err: VsnapError): void {
  sendError(res, err.status, err.type, err.message);
}
