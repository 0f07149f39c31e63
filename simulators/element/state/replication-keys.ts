// Pairing keys as Element makes them: hex-encoded JSON. A cluster key carries a pairing account made for that pairing
// only.
import { invalid } from '../errors';

/**
 * StartClusterPairing's key: the fields Element puts in it. `username`/`password` are a pairing
 * account the originating cluster made for this pairing alone (never a cluster admin's), which the
 * other cluster uses to complete the pairing and, afterwards, to reach the originating cluster.
 * `mvip` is `host:port` so that several simulators can share one address.
 */
export interface ClusterPairingKey {
  clusterPairID: number;
  clusterPairUUID: string;
  clusterUniqueID: string;
  mvip: string;
  name: string;
  password: string;
  rpcConnectionID: number;
  username: string;
}

/** StartVolumePairing's key. */
export interface VolumePairingKey {
  mvip: string;
  volumeID: number;
  volumeName: string;
  volumePairUUID: string;
}

export const encodeKey = (key: ClusterPairingKey | VolumePairingKey): string =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('hex');

function decode(hex: string, what: string): Record<string, unknown> {
  const bad = () =>
    invalid(
      `The ${what} is not a key made by ${what === 'clusterPairingKey' ? 'StartClusterPairing' : 'StartVolumePairing'}`,
    );
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw bad();
  try {
    const v: unknown = JSON.parse(Buffer.from(hex, 'hex').toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw bad();
}

const has = (o: Record<string, unknown>, fields: Record<string, 'string' | 'number'>) =>
  Object.entries(fields).every(([k, t]) => typeof o[k] === t);

export function decodeClusterKey(hex: string): ClusterPairingKey {
  const o = decode(hex, 'clusterPairingKey');
  if (
    !has(o, {
      clusterPairID: 'number',
      clusterPairUUID: 'string',
      clusterUniqueID: 'string',
      mvip: 'string',
      name: 'string',
      password: 'string',
      rpcConnectionID: 'number',
      username: 'string',
    })
  ) {
    throw invalid('The clusterPairingKey is incomplete: it is not a key made by StartClusterPairing');
  }
  return o as unknown as ClusterPairingKey;
}

export function decodeVolumeKey(hex: string): VolumePairingKey {
  const o = decode(hex, 'volumePairingKey');
  if (!has(o, { mvip: 'string', volumeID: 'number', volumeName: 'string', volumePairUUID: 'string' })) {
    throw invalid('The volumePairingKey is incomplete: it is not a key made by StartVolumePairing');
  }
  return o as unknown as VolumePairingKey;
}
