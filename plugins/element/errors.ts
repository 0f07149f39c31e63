/**
 * Element error names (the `error.name` of a JSON-RPC answer) as named constants, with the predicates the adapter uses.
 */

export const ELEMENT_ERROR = {
  UNKNOWN_API_METHOD: 'xUnknownAPIMethod',
  UNKNOWN_API_VERSION: 'xUnknownAPIVersion',
  MISSING_PARAMETER: 'xMissingParameter',
  INVALID_PARAMETER: 'xInvalidParameter',
  INVALID_API_PARAMETER: 'xInvalidAPIParameter',
  INVALID_PARAMETER_TYPE: 'xInvalidParameterType',
  UNRECOGNIZED_ENUM_STRING: 'xUnrecognizedEnumString',
  EXCEEDED_LIMIT: 'xExceededLimit',
  PERMISSION_DENIED: 'xPermissionDenied',
  VOLUME_ID_DOES_NOT_EXIST: 'xVolumeIDDoesNotExist',
  SNAPSHOT_ID_DOES_NOT_EXIST: 'xSnapshotIDDoesNotExist',
  GROUP_SNAPSHOT_ID_DOES_NOT_EXIST: 'xGroupSnapshotIDDoesNotExist',
  ACCOUNT_ID_DOES_NOT_EXIST: 'xAccountIDDoesNotExist',
  UNKNOWN_ACCOUNT: 'xUnknownAccount',
  /** Spelled with a lowercase "d" by some clients (Trident): matched without regard to case. */
  VOLUME_ACCESS_GROUP_ID_DOES_NOT_EXIST: 'xVolumeAccessGroupIDDoesNotExist',
  INITIATOR_DOES_NOT_EXIST: 'xInitiatorDoesNotExist',
  INITIATOR_EXISTS: 'xInitiatorExists',
  ASYNC_HANDLE_DOES_NOT_EXIST: 'xAsyncHandleDoesNotExist',
  DUPLICATE_USERNAME: 'xDuplicateUsername',
  CLONE_IN_PROGRESS: 'xCloneInProgress',
  CLUSTER_FULL: 'xClusterFull',
  DB_VERSION_MISMATCH: 'xDBVersionMismatch',
  NOT_READY_FOR_IO: 'xNotReadyForIO',
  SLICE_NOT_REGISTERED: 'xSliceNotRegistered',
  /** Simulator's names for replication conditions Element's public clients never name (see simulator/errors.ts). */
  VOLUME_ALREADY_PAIRED: 'xVolumeAlreadyPaired',
  CLUSTER_PAIR_IN_USE: 'xClusterPairInUse',
  REMOTE_CLUSTER_UNREACHABLE: 'xRemoteClusterUnreachable',
} as const;

/** Errors that say the call was not carried out and may be sent again (the Cinder driver retries the same set). */
export const RETRYABLE_ERRORS: readonly string[] = [
  ELEMENT_ERROR.DB_VERSION_MISMATCH,
  ELEMENT_ERROR.NOT_READY_FOR_IO,
  ELEMENT_ERROR.SLICE_NOT_REGISTERED,
];

/** A method error of the Element API: HTTP 200 with `{error: {code, name, message}}`. */
export class ElementApiError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ElementApiError';
  }
}

export const isElementError = (e: unknown): e is ElementApiError => e instanceof ElementApiError;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const isNamed = (e: unknown, name: string): boolean => isElementError(e) && same(e.errorName, name);

/** Every "x...DoesNotExist" name, and xUnknownAccount, mean the object is not there. */
export const isNotFoundName = (name: string): boolean =>
  /DoesNotExist$/i.test(name) || same(name, ELEMENT_ERROR.UNKNOWN_ACCOUNT);

export const isRetryable = (e: unknown): boolean =>
  isElementError(e) && RETRYABLE_ERRORS.some((n) => same(n, e.errorName));
