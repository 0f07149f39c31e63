/**
 * The attribute convention the CDM plugin documents for Element objects: one `cdm` key in a volume's or
 * access group's attributes (consistency group membership, a CDM name Element could not take, a host
 * tag). Demo data and the fixture follow it as an administrator with the array's own tools would.
 */
import { randomBytes } from 'node:crypto';

export const CDM_KEY = 'cdm';

type Attributes = Record<string, unknown> | null | undefined;

const cdmOf = (attributes: Attributes): Record<string, unknown> => {
  const value = attributes?.[CDM_KEY];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

/** The attributes with keys of `cdm` set (undefined removes one); every other key kept. */
export function withCdm(attributes: Attributes, patch: Record<string, unknown>): Record<string, unknown> {
  const cdm = { ...cdmOf(attributes), ...patch };
  for (const k of Object.keys(cdm)) if (cdm[k] === undefined) delete cdm[k];
  const out: Record<string, unknown> = { ...(attributes ?? {}), [CDM_KEY]: cdm };
  if (Object.keys(cdm).length === 0) delete out[CDM_KEY];
  return out;
}

/** Element takes letters, digits and dashes in volume names (up to 64): other characters become dashes. */
export const elementName = (name: string): string => name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64) || 'volume';

/** The name CDM shows for a volume: the one kept in `cdm.name` when Element had to change it. */
export const cdmName = (v: { name: string; attributes?: Attributes }): string =>
  (cdmOf(v.attributes).name as string | undefined) ?? v.name;

/** A volume named `name` as Element stores it, with the CDM name kept when it differs. */
export const namedVolume = (name: string): { name: string; attributes: Record<string, unknown> } => ({
  name: elementName(name),
  attributes: withCdm({}, { name: elementName(name) === name ? undefined : name }),
});

/** A fresh consistency group id, in the form the plugin makes them. */
export const newGroupId = (): string => `cg-${randomBytes(6).toString('hex')}`;

/** The volume pair mode CDM replication uses: snapshots only. */
export const CDM_PAIR_MODE = 'SnapshotsOnly';
