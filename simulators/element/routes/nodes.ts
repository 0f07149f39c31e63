// The cluster's one node, as ListActiveNodes shows it: its addresses are the cluster's, its platform the host's.
import { createHash } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { ElementState } from '../state/state';
import type { MethodTable } from './types';

/** The simulated cluster is a single node: it holds the MVIP and SVIP and is the whole ensemble. */
export const NODE_ID = 1;

/** A stable node UUID derived from the cluster's, so it survives restarts with the state file. */
function nodeUuid(clusterUuid: string, nodeID: number): string {
  const h = createHash('sha1').update(`${clusterUuid}:node:${nodeID}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

/** Cluster and storage traffic share the storage network; management is on the MVIP's network. */
export const nodeCip = (state: ElementState): string => state.cluster.svip;

export function nodeView(state: ElementState): Record<string, unknown> {
  const c = state.cluster;
  return {
    nodeID: NODE_ID,
    // Service ids: the node's master service; 0 where the node has no Fibre Channel service, as on iSCSI-only nodes.
    associatedMasterServiceID: NODE_ID,
    associatedFServiceID: 0,
    fibreChannelTargetPortGroup: null,
    name: `${c.name}-${String(NODE_ID).padStart(2, '0')}`,
    platformInfo: {
      nodeType: 'SF-SIM',
      chassisType: 'SIM',
      cpuModel: cpus()[0]?.model ?? 'unknown',
      nodeMemoryGB: Math.round(totalmem() / 1024 ** 3),
    },
    softwareVersion: c.version,
    cip: nodeCip(state),
    cipi: 'Bond10G',
    mip: c.mvip,
    mipi: 'Bond1G',
    sip: c.svip,
    sipi: 'Bond10G',
    uuid: nodeUuid(c.uuid, NODE_ID),
    virtualNetworks: [],
    attributes: {},
  };
}

export const nodeMethods: MethodTable = {
  ListActiveNodes: {
    run: ({ state }) => ({ nodes: [nodeView(state)] }),
  },
};
