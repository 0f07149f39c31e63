/** ONTAP REST error codes as named constants (codes are strings on the wire), the API error type, and predicates. */

/**
 * The codes the adapter acts on: those seen from real clusters (NetApp Trident, Harvest and the Ansible
 * collection quote them) and, where public sources show none, the code the simulator answers with,
 * marked "sim". The SnapMirror policy codes are those of the ONTAP REST reference for
 * PATCH /snapmirror/policies/{uuid}.
 */
export const ONTAP_ERROR = {
  DUPLICATE_ENTRY: '1',
  ENTRY_DOESNT_EXIST: '4',
  UNEXPECTED_ARGUMENT: '262179',
  /** sim: a required field is missing. */
  FIELD_REQUIRED: '262186',
  /** `The value "x" is invalid for field "y"`. */
  INVALID_FIELD_VALUE: '262197',
  INVALID_ENTRY: '655446',
  VOLUME_BUSY: '524486',
  /** Snapshot has dependent FlexClone volumes (or is otherwise in use). */
  SNAPSHOT_BUSY: '1638555',
  LUN_ALREADY_EXISTS: '5374242',
  LUN_MAP_EXISTS: '5374922',
  /** sim: a LUN map cannot be made because the igroup already uses the LUN number. */
  LUN_NUMBER_IN_USE: '5374923',
  /** sim: the LUN or volume still has LUN maps. */
  LUN_MAPPED: '5374924',
  /** sim: the aggregate (or the volume) has no room for the operation. */
  NO_SPACE: '917534',
  /** sim: a FlexVol volume must be at least 20 MiB. */
  VOLUME_TOO_SMALL: '917535',
  /** sim: the volume has FlexClone volumes and cannot be deleted. */
  VOLUME_HAS_CLONES: '917537',
  /** sim: the operation needs a FlexClone volume. */
  NOT_A_FLEXCLONE: '917538',
  /** sim: a snapshot cannot be taken while a FlexClone split runs. */
  SPLIT_IN_PROGRESS: '917539',
  /** sim: the volume belongs to a consistency group. */
  VOLUME_IN_CONSISTENCY_GROUP: '53411842',
  CONSISTENCY_GROUP_SNAPSHOT_EXISTS: '53411921',
  POLICY_RELATIONSHIP_CONFLICT: '13303843',
  POLICY_INVALID_INPUT: '13303850',
  /** sim: built-in policies and policies in use cannot be deleted. */
  POLICY_IN_USE: '13303844',
} as const;

export type OntapErrorCode = (typeof ONTAP_ERROR)[keyof typeof ONTAP_ERROR];

/** An error answer of the ONTAP API (`{error: {message, code, target}}`), or a job that ended in failure. */
export class OntapApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    /** Set when the error is the outcome of an asynchronous job rather than of the HTTP call. */
    readonly jobUuid?: string,
  ) {
    super(message);
    this.name = 'OntapApiError';
  }
}

export const isOntapError = (e: unknown): e is OntapApiError => e instanceof OntapApiError;
export const hasCode = (e: unknown, ...codes: string[]): boolean => isOntapError(e) && codes.includes(e.code);
export const isNotFound = (e: unknown): boolean =>
  isOntapError(e) && (e.status === 404 || e.code === ONTAP_ERROR.ENTRY_DOESNT_EXIST);
