/**
 * Every check, in the order a CDM server walks a plugin: who it is, a session, the inventory, then the changes, the
 * errors, and the way out.
 */
import type { Check } from '../check';
import { cloneChecks } from './clone';
import { consistencyGroupChecks } from './consistency-groups';
import { authChecks } from './errors-auth';
import { missingIdChecks } from './errors-ids';
import { requestErrorChecks } from './errors-requests';
import { fixtureChecks } from './fixture';
import { hostGroupChecks } from './hostgroups';
import { hostChecks } from './hosts';
import { networkChecks, poolChecks, remoteArrayChecks } from './inventory';
import { logChecks } from './log';
import { lunChecks } from './luns';
import { restoreChecks } from './restore';
import { serverChecks, storageChecks } from './servers';
import { infoChecks, sessionChecks } from './session';
import { snapshotChecks } from './snapshots';
import { cleanupChecks, logoutChecks } from './teardown';
import { volumeChecks } from './volumes';

export const ALL_CHECKS: Check[] = [
  ...infoChecks,
  ...sessionChecks,
  ...fixtureChecks,
  ...storageChecks,
  ...serverChecks,
  ...poolChecks,
  ...networkChecks,
  ...volumeChecks,
  ...snapshotChecks,
  ...cloneChecks,
  ...restoreChecks,
  ...lunChecks,
  ...hostChecks,
  ...hostGroupChecks,
  // Before the groups: add-replication-target needs a remote array's name.
  ...remoteArrayChecks,
  ...consistencyGroupChecks,
  ...authChecks,
  ...missingIdChecks,
  ...requestErrorChecks,
  ...logChecks,
  ...cleanupChecks,
  ...logoutChecks,
];

/** Groups that run even when --only names others: the rest depends on them. */
export const ALWAYS = new Set(['info', 'session', 'fixture', 'storage', 'servers', 'cleanup', 'logout']);
