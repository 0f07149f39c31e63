/** Where the plugin keeps its own facts on Element objects (one `cdm` key of their attributes), and CDM <-> Element volume names. */

/**
 * Element attributes are free JSON, but a ModifyVolume with `attributes` replaces them all: the
 * plugin keeps everything under this one key and preserves every other key it finds.
 */
export const CDM_KEY = 'cdm';

/** Consistency group membership, as kept on each member volume and on each group snapshot taken of the group. */
export interface CgTag {
  id: string;
  name: string;
  /** Epoch ms when the group was made. */
  created: number;
  /** Paired clusters the members replicate to (add-replication-target); each member has a volume pair there. */
  targets?: { id: string; name: string; hostAddress: string }[];
}

export interface CdmAttributes {
  /** The name CDM asked for, when Element could not take it as is. */
  name?: string;
  consistencyGroup?: CgTag;
  /** Set on the volume access group the plugin made for a CDM host. */
  host?: boolean;
}

type Attributes = Record<string, unknown> | null | undefined;

export function cdmOf(attributes: Attributes): CdmAttributes {
  const value = attributes?.[CDM_KEY];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as CdmAttributes) : {};
}

/** The attributes with the `cdm` key patched (undefined fields removed); other keys untouched. */
export function withCdm(attributes: Attributes, patch: Partial<Record<keyof CdmAttributes, unknown>>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...cdmOf(attributes) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  const out: Record<string, unknown> = { ...(attributes ?? {}) };
  if (Object.keys(next).length === 0) delete out[CDM_KEY];
  else out[CDM_KEY] = next;
  return out;
}

/** Element volume names take only letters, digits and dashes, up to 64 (an underscore is refused). */
export function elementVolumeName(cdmName: string): string {
  const name = cdmName.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
  return name === '' ? 'volume' : name;
}

/** The name CDM knows a volume by: the one it asked for when kept, else Element's own. */
export function cdmVolumeName(v: { name: string; attributes?: Attributes }): string {
  return cdmOf(v.attributes).name ?? v.name;
}

/** Attributes for a new volume named `cdmName` (the CDM name is kept only when Element had to change it). */
export function nameAttributes(cdmName: string, base: Attributes = {}): Record<string, unknown> {
  return withCdm(base, { name: elementVolumeName(cdmName) === cdmName ? undefined : cdmName });
}
