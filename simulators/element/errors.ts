// Element JSON-RPC error names as named constants, and the error the simulator's methods throw.
//
// Names taken from public Element clients (the SolidFire SDKs, Trident, the Cinder driver) where they
// exist; the few conditions those clients never name (a clone still copying, a full cluster, an
// unparsable request) carry names of the same x-prefixed shape, chosen here and documented as such.

export const X_UNKNOWN_API_METHOD = 'xUnknownAPIMethod';
export const X_UNKNOWN_API_VERSION = 'xUnknownAPIVersion';
export const X_MISSING_PARAMETER = 'xMissingParameter';
export const X_INVALID_PARAMETER = 'xInvalidParameter';
export const X_INVALID_PARAMETER_TYPE = 'xInvalidParameterType';
export const X_EXCEEDED_LIMIT = 'xExceededLimit';
export const X_PERMISSION_DENIED = 'xPermissionDenied';
export const X_VOLUME_ID_DOES_NOT_EXIST = 'xVolumeIDDoesNotExist';
export const X_SNAPSHOT_ID_DOES_NOT_EXIST = 'xSnapshotIDDoesNotExist';
export const X_GROUP_SNAPSHOT_ID_DOES_NOT_EXIST = 'xGroupSnapshotIDDoesNotExist';
export const X_ACCOUNT_ID_DOES_NOT_EXIST = 'xAccountIDDoesNotExist';
export const X_UNKNOWN_ACCOUNT = 'xUnknownAccount';
export const X_DUPLICATE_USERNAME = 'xDuplicateUsername';
export const X_VOLUME_ACCESS_GROUP_ID_DOES_NOT_EXIST = 'xVolumeAccessGroupIDDoesNotExist';
export const X_INITIATOR_DOES_NOT_EXIST = 'xInitiatorDoesNotExist';
export const X_INITIATOR_EXISTS = 'xInitiatorExists';
export const X_ASYNC_HANDLE_DOES_NOT_EXIST = 'xAsyncHandleDoesNotExist';
/** Retryable by every known client: the request was not carried out. */
export const X_DB_VERSION_MISMATCH = 'xDBVersionMismatch';
/** Simulator's name: a volume or snapshot is the source or target of a clone or copy still running. */
export const X_CLONE_IN_PROGRESS = 'xCloneInProgress';
/** Simulator's name: the cluster has no block space left for the write. */
export const X_CLUSTER_FULL = 'xClusterFull';
/** Simulator's name (RemoveAccount): the account still owns volumes, deleted ones not yet purged included. */
export const X_ACCOUNT_HAS_VOLUMES = 'xAccountHasVolumes';
/** Simulator's name (RemoveClusterPair): volume pairs still use the cluster pair. */
export const X_CLUSTER_PAIR_IN_USE = 'xClusterPairInUse';
export const X_CLUSTER_PAIR_ID_DOES_NOT_EXIST = 'xClusterPairIDDoesNotExist';
/** Simulator's name: no volume pair on the volume (RemoveVolumePair, ModifyVolumePair). */
export const X_VOLUME_PAIR_DOES_NOT_EXIST = 'xVolumePairDoesNotExist';
/** Simulator's name: the volume already takes part in a volume pair. */
export const X_VOLUME_ALREADY_PAIRED = 'xVolumeAlreadyPaired';
/** Simulator's name: a paired cluster did not answer a cluster-to-cluster call. */
export const X_REMOTE_CLUSTER_UNREACHABLE = 'xRemoteClusterUnreachable';
/** Simulator's name: the request body is not a JSON-RPC request. */
export const X_INVALID_REQUEST = 'xInvalidRequest';
export const X_INTERNAL_ERROR = 'xInternalError';

/** An Element method error: answered as HTTP 200 with `{id, error: {code: 500, name, message}}`. */
export class RpcError extends Error {
  constructor(
    readonly rpcName: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export const missing = (key: string) => new RpcError(X_MISSING_PARAMETER, `Required parameter '${key}' is missing`);
export const invalid = (message: string) => new RpcError(X_INVALID_PARAMETER, message);
export const wrongType = (key: string, type: string) =>
  new RpcError(X_INVALID_PARAMETER_TYPE, `Parameter '${key}' must be ${type}`);
export const exceeded = (message: string) => new RpcError(X_EXCEEDED_LIMIT, message);
export const busy = (message: string) => new RpcError(X_CLONE_IN_PROGRESS, message);

/** The JSON-RPC error member. Element answers code 500 for every method error. */
export function errorBody(err: RpcError): { code: number; name: string; message: string } {
  return { code: 500, name: err.rpcName, message: err.message };
}
