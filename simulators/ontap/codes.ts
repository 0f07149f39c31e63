/**
 * ONTAP REST error codes the simulator answers with (codes are strings on the wire): its own copy, as a real cluster
 * has its own.
 */

/**
 * Codes seen from real clusters (NetApp Trident, Harvest and the Ansible collection quote them) and,
 * where public sources show none, the code this simulator answers with, marked "sim".
 * The SnapMirror policy codes are those of the ONTAP REST reference for PATCH /snapmirror/policies/{uuid}.
 */
export const ONTAP_ERROR = {
  DUPLICATE_ENTRY: '1',
  /** sim: the path names no API. */
  API_NOT_FOUND: '3',
  ENTRY_DOESNT_EXIST: '4',
  /** The account may not run the call (HTTP 403). */
  NOT_AUTHORIZED: '6',
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
  /** sim: a job did not finish within the simulator's own limit. */
  JOB_FAILED: '460770',

  // SnapMirror policy codes, as the PATCH /snapmirror/policies/{uuid} document lists them.
  INTERVAL_SCHEDULE: '6619714',
  POLICY_NOT_SUPPORTED: '13303842',
  POLICY_RELATIONSHIP_CONFLICT: '13303843',
  POLICY_INVALID_INPUT: '13303850',
  POLICY_MAX_RULES: '13303887',
  POLICY_RETENTION_EMPTY: '13304050',
  POLICY_PERIOD_INVALID: '13304092',
  POLICY_WARN_WITHOUT_PRESERVE: '6621045',
  POLICY_WARN_NOT_BELOW_COUNT: '13304129',
  POLICY_COUNT_RANGE: '13304126',
  POLICY_TOTAL_COUNT: '13304130',
  POLICY_FLEXGROUP_SCHEDULE: '13304131',
  POLICY_COUNT_ABOVE_ONE: '13304011',
  POLICY_NO_PRESERVE: '6621091',
  POLICY_RULE_WITHOUT_SCHEDULE: '6621088',
  POLICY_CG_SCHEDULE: '6621129',
  // Peering and SnapMirror codes ("sim" where no public source shows ONTAP's).
  /** sim: the cluster peer does not answer (intercluster call failed). */
  PEER_UNREACHABLE: '13303812',
  /** sim: the cluster peer passphrase is wrong or expired. */
  PEER_AUTH_FAILED: '4653061',
  /** sim: a cluster peer cannot be deleted while SVM peers use it; an SVM peer while relationships do. */
  PEER_IN_USE: '4653063',
  /** sim: the relationship is not in a state that allows the operation. */
  RELATIONSHIP_STATE: '13303819',
  /** sim: the destination volume is not a data-protection volume. */
  DESTINATION_NOT_DP: '13303821',
  /** sim: a transfer is already running on the relationship. */
  TRANSFER_IN_PROGRESS: '13303822',
  /** sim: the relationship already exists. */
  RELATIONSHIP_EXISTS: '13303845',
  /** sim: built-in policies and policies in use cannot be deleted. */
  POLICY_IN_USE: '13303844',
  // Job schedule codes, as the /cluster/schedules documents list them.
  /** A schedule a SnapMirror policy or relationship (or anything else) references cannot be deleted. */
  SCHEDULE_IN_USE: '459758',
  /** "The schedule specified is not a valid schedule." */
  SCHEDULE_INVALID: '459760',
} as const;

export type OntapErrorCode = (typeof ONTAP_ERROR)[keyof typeof ONTAP_ERROR];
