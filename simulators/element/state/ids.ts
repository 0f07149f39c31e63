// Element's identity strings: a volume's IQN and SCSI NAA/EUI device ids, built the way a cluster builds them.
import type { ClusterRecord } from './model';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const asciiHex = (s: string) => Buffer.from(s.padEnd(4, '0').slice(0, 4), 'ascii').toString('hex');

/** Every Element volume is its own iSCSI target: iqn.2010-01.com.solidfire:<uniqueID>.<name>.<volumeID>. */
export function volumeIqn(cluster: ClusterRecord, name: string, volumeID: number): string {
  return `iqn.2010-01.com.solidfire:${cluster.uniqueID}.${name.toLowerCase()}.${volumeID}`;
}

/**
 * NAA type 6 with NetApp SolidFire's OUI (f47acc), then the cluster id and the volume id, e.g.
 * 6f47acc100000000306f746f00000018.
 */
export function naaDeviceId(cluster: ClusterRecord, volumeID: number): string {
  return `6f47acc100000000${asciiHex(cluster.uniqueID)}${hex8(volumeID)}`;
}

export function euiDeviceId(cluster: ClusterRecord, volumeID: number): string {
  return `${asciiHex(cluster.uniqueID)}${hex8(volumeID)}f47acc0100000000`;
}

/** Element volume names: 1 to 64 letters, digits and dashes (no underscores or dots). */
export const VOLUME_NAME = /^[A-Za-z0-9-]{1,64}$/;

/** An iSCSI initiator name (iqn. or eui. or naa.) or a Fibre Channel WWPN. */
export const INITIATOR_NAME =
  /^(iqn\.\d{4}-\d{2}\.[a-z0-9.-]+(:.+)?|eui\.[0-9a-f]{16}|naa\.[0-9a-f]{16,32}|([0-9a-f]{2}:){7}[0-9a-f]{2}|[0-9a-f]{16})$/i;

/** ISO 8601 without milliseconds, as Element writes times. */
export const iso = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
