// Capacity accounting: thin volumes take the blocks written, snapshots pin the blocks they share; raw figures count
// both Helix copies.
import { BLOCK_SIZE } from '../../shared/blocks';
import { RpcError, X_CLUSTER_FULL, exceeded } from '../errors';
import type { ElementState } from './state';

/** Bytes of distinct blocks on the drives (one copy). */
export const uniqueBytes = (state: ElementState): number => state.store.usedBytes;

/** Sum of the sizes of every volume not yet purged (Element counts deleted volumes until they are purged). */
export function provisionedBytes(state: ElementState): number {
  let sum = 0;
  for (const v of state.volumes.values()) sum += v.totalSize;
  return sum;
}

export function freeBytes(state: ElementState): number {
  return Math.max(0, state.cluster.capacityBytes - uniqueBytes(state));
}

/** Refuse a change that would allocate more blocks than the cluster has free. */
export function ensureSpace(state: ElementState, netBytes: number): void {
  if (netBytes > freeBytes(state)) {
    throw new RpcError(X_CLUSTER_FULL, `The cluster is full: ${freeBytes(state)} bytes free, ${netBytes} needed`);
  }
}

/** Refuse a new volume beyond the thin provisioning limit. */
export function ensureProvisionable(state: ElementState, addBytes: number): void {
  const after = provisionedBytes(state) + addBytes;
  if (after > state.cluster.maxProvisionedBytes) {
    throw exceeded(
      `Provisioning ${addBytes} more bytes would exceed the cluster's maxProvisionedSpace of ${state.cluster.maxProvisionedBytes} bytes`,
    );
  }
}

const blocksOf = (bytes: number) => Math.floor(bytes / BLOCK_SIZE);

/** GetClusterCapacity's fields (performance counters are idle). */
export function capacityView(state: ElementState): Record<string, unknown> {
  const rep = state.cluster.repCount;
  let nonZero = 0;
  let zero = 0;
  for (const v of state.volumes.values()) {
    if (v.status !== 'active') continue;
    const written = blocksOf(state.store.referencedBytes(v.content));
    nonZero += written;
    zero += Math.max(0, blocksOf(v.totalSize) - written);
  }
  let snapshotNonZero = 0;
  for (const s of state.snapshots.values()) snapshotNonZero += blocksOf(state.store.referencedBytes(s.content));
  const unique = blocksOf(uniqueBytes(state));
  return {
    activeBlockSpace: unique * BLOCK_SIZE * rep,
    activeSessions: 0,
    averageIOPS: 0,
    clusterRecentIOSize: 0,
    currentIOPS: 0,
    maxIOPS: 500000,
    maxOverProvisionableSpace: state.cluster.maxProvisionedBytes,
    maxProvisionedSpace: state.cluster.maxProvisionedBytes,
    maxUsedMetadataSpace: Math.floor(state.cluster.capacityBytes / 10),
    maxUsedSpace: state.cluster.capacityBytes * rep,
    nonZeroBlocks: nonZero,
    peakActiveSessions: 0,
    peakIOPS: 0,
    provisionedSpace: provisionedBytes(state),
    snapshotNonZeroBlocks: snapshotNonZero,
    timestamp: new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    totalOps: 0,
    uniqueBlocks: unique,
    // No compression in the simulator: the unique blocks take their full size.
    uniqueBlocksUsedSpace: unique * BLOCK_SIZE,
    usedMetadataSpace: state.volumes.size * 65536,
    usedMetadataSpaceInSnapshots: state.snapshots.size * 65536,
    usedSpace: unique * BLOCK_SIZE * rep,
    zeroBlocks: zero,
  };
}
