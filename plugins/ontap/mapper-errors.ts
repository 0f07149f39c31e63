/** ONTAP errors as the domain errors CDM sees: by code first (codes are stable), then by HTTP status. */
import { StorageError } from '../../src/domain/errors';
import { ONTAP_ERROR, OntapApiError } from './errors';

/** Codes that mean "the state of the object forbids it" (HTTP 409 in the contract). */
const CONFLICT_CODES: ReadonlySet<string> = new Set([
  ONTAP_ERROR.DUPLICATE_ENTRY,
  ONTAP_ERROR.SNAPSHOT_BUSY,
  ONTAP_ERROR.VOLUME_BUSY,
  ONTAP_ERROR.LUN_ALREADY_EXISTS,
  ONTAP_ERROR.LUN_MAP_EXISTS,
  ONTAP_ERROR.LUN_NUMBER_IN_USE,
  ONTAP_ERROR.LUN_MAPPED,
  ONTAP_ERROR.VOLUME_HAS_CLONES,
  ONTAP_ERROR.NOT_A_FLEXCLONE,
  ONTAP_ERROR.SPLIT_IN_PROGRESS,
  ONTAP_ERROR.VOLUME_IN_CONSISTENCY_GROUP,
  ONTAP_ERROR.CONSISTENCY_GROUP_SNAPSHOT_EXISTS,
  ONTAP_ERROR.POLICY_IN_USE,
  ONTAP_ERROR.POLICY_RELATIONSHIP_CONFLICT,
]);

/** Codes that mean "a value in the request is not acceptable". */
const INVALID_CODES: ReadonlySet<string> = new Set([
  ONTAP_ERROR.UNEXPECTED_ARGUMENT,
  ONTAP_ERROR.FIELD_REQUIRED,
  ONTAP_ERROR.INVALID_FIELD_VALUE,
  ONTAP_ERROR.INVALID_ENTRY,
  ONTAP_ERROR.VOLUME_TOO_SMALL,
  ONTAP_ERROR.POLICY_INVALID_INPUT,
]);

export interface What {
  kind: string;
  id: string;
}

/**
 * An ONTAP error as the domain error CDM sees. `what` names the object the call was about, so
 * "entry doesn't exist" reads "volume 'x' does not exist".
 */
export function fromOntap(err: unknown, what?: What): unknown {
  if (!(err instanceof OntapApiError)) return err;
  const vendor = `the array said: ${err.message}${err.code ? ` (code ${err.code})` : ''}`;
  if (err.status === 401) return new StorageError('UNAUTHORIZED', 'the array refused the credentials');
  if (err.status === 403) return new StorageError('FORBIDDEN', `the array refused the operation for this user (${err.message})`);
  if (err.code === ONTAP_ERROR.ENTRY_DOESNT_EXIST || err.status === 404) {
    return what ? new StorageError('NOT_FOUND', `${what.kind} '${what.id}' does not exist`) : new StorageError('NOT_FOUND', vendor);
  }
  if (err.code === ONTAP_ERROR.NO_SPACE) return new StorageError('INSUFFICIENT_SPACE', vendor);
  if (CONFLICT_CODES.has(err.code) || err.status === 409) return new StorageError('CONFLICT', vendor);
  if (INVALID_CODES.has(err.code) || err.status === 400) return new StorageError('INVALID_ARGUMENT', vendor);
  if (err.jobUuid) return new StorageError('BACKEND_ERROR', `the array's job ${err.jobUuid} failed: ${err.message} (code ${err.code})`);
  return new StorageError('BACKEND_ERROR', `the array failed (HTTP ${err.status}, code ${err.code || 'none'}): ${err.message}`);
}
