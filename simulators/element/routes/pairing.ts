// Cluster pairing: StartClusterPairing, CompleteClusterPairing, ListClusterPairs, RemoveClusterPair, and their
// cluster-to-cluster halves.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { RpcError, X_CLUSTER_PAIR_IN_USE, exceeded, invalid } from '../errors';
import type { ClusterPairRecord, PeerCluster } from '../state/model';
import { int, str } from '../params';
import { decodeClusterKey, encodeKey } from '../state/replication-keys';
import type { ElementState } from '../state/state';
import type { MethodContext, MethodTable } from './types';

/** "A single cluster can be paired with up to four other clusters" (pending pairings count). */
export const MAX_CLUSTER_PAIRS = 4;

/**
 * A pairing account: made for one pairing only, never a cluster admin. The other cluster uses it to
 * complete the pairing and then for every cluster-to-cluster call; RemoveClusterPair deletes it.
 */
const pairingAccount = () => ({
  username: `__SF_pair_${randomBytes(12).toString('base64url')}`,
  password: randomBytes(24).toString('base64url'),
});

function assertRoom(state: ElementState): void {
  if (state.clusterPairs.size >= MAX_CLUSTER_PAIRS) {
    throw exceeded(
      `The cluster already has ${state.clusterPairs.size} cluster pairs (pending ones included), the most it may have: RemoveClusterPair one first`,
    );
  }
}

/** The cluster pair whose pairing account made this call (cluster-to-cluster methods only). */
export function callerPair(ctx: MethodContext): ClusterPairRecord {
  for (const cp of ctx.state.clusterPairs.values()) if (cp.localAccount.username === ctx.caller.username) return cp;
  throw invalid('This pairing account belongs to no cluster pair');
}

function peerCluster(p: Record<string, unknown>): PeerCluster {
  const c = p.cluster as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') throw invalid("Parameter 'cluster' is missing");
  return {
    name: str(c, 'name'),
    uuid: str(c, 'uuid'),
    uniqueID: str(c, 'uniqueID'),
    mvip: str(c, 'mvip'),
    version: str(c, 'version'),
  };
}

function account(p: Record<string, unknown>): { username: string; password: string } {
  const a = p.account as Record<string, unknown> | undefined;
  if (!a || typeof a !== 'object') throw invalid("Parameter 'account' is missing");
  return { username: str(a, 'username'), password: str(a, 'password') };
}

/** ListClusterPairs' clusterPair object. `clusterUUID` is the partner's uuid (the SDK models it as a string). */
function clusterPairView(cp: ClusterPairRecord): Record<string, unknown> {
  return {
    clusterName: cp.remote?.name ?? '',
    clusterPairID: cp.clusterPairID,
    clusterPairUUID: cp.clusterPairUUID,
    clusterUUID: cp.remote?.uuid ?? '',
    latency: cp.latency,
    mvip: cp.remote?.mvip ?? '',
    status: cp.status,
    version: cp.remote?.version ?? '',
  };
}

export const pairingMethods: MethodTable = {
  StartClusterPairing: {
    since: 9.6,
    run: ({ state, replication }) => {
      assertRoom(state);
      const cp: ClusterPairRecord = {
        clusterPairID: state.nextId('clusterPair'),
        clusterPairUUID: randomUUID(),
        status: 'Requested',
        statusDetails: '',
        localAccount: pairingAccount(),
        remoteAccount: null,
        remote: null,
        rpcConnectionID: randomInt(1, 2 ** 31 - 1),
        latency: 0,
        createTime: state.now(),
      };
      state.clusterPairs.set(cp.clusterPairID, cp);
      state.changed();
      const c = state.cluster;
      const key = {
        clusterPairID: cp.clusterPairID,
        clusterPairUUID: cp.clusterPairUUID,
        clusterUniqueID: c.uniqueID,
        mvip: replication.endpoint,
        name: c.name,
        password: cp.localAccount.password,
        rpcConnectionID: cp.rpcConnectionID,
        username: cp.localAccount.username,
      };
      return { clusterPairID: cp.clusterPairID, clusterPairingKey: encodeKey(key) };
    },
  },
  CompleteClusterPairing: {
    since: 9.6,
    run: async ({ state, replication }, p) => {
      const key = decodeClusterKey(str(p, 'clusterPairingKey'));
      if (key.clusterUniqueID === state.cluster.uniqueID)
        throw invalid('The key was made by this cluster: CompleteClusterPairing runs on the other cluster');
      const already = [...state.clusterPairs.values()].find(
        (cp) => cp.remote?.mvip === key.mvip || cp.remote?.uniqueID === key.clusterUniqueID,
      );
      if (already)
        throw invalid(
          `The cluster is already paired with ${key.name} (${key.mvip}) as cluster pair ${already.clusterPairID}`,
        );
      assertRoom(state);
      const cp: ClusterPairRecord = {
        clusterPairID: state.nextId('clusterPair'),
        clusterPairUUID: key.clusterPairUUID,
        status: 'Connected',
        statusDetails: '',
        localAccount: pairingAccount(),
        remoteAccount: { username: key.username, password: key.password },
        remote: { name: key.name, uuid: '', uniqueID: key.clusterUniqueID, mvip: key.mvip, version: '' },
        rpcConnectionID: key.rpcConnectionID,
        latency: 0,
        createTime: state.now(),
      };
      // The originating cluster learns this one (and the account to call it with) and answers who it is.
      const answer = await replication.callPeer<{ cluster: PeerCluster }>(cp, 'PeerCompleteClusterPairing', {
        clusterPairUUID: key.clusterPairUUID,
        cluster: replication.self(),
        account: cp.localAccount,
      });
      assertRoom(state);
      cp.remote = peerCluster(answer as unknown as Record<string, unknown>);
      state.clusterPairs.set(cp.clusterPairID, cp);
      state.changed();
      return { clusterPairID: cp.clusterPairID };
    },
  },
  ListClusterPairs: {
    since: 9.6,
    run: ({ state }) => ({
      clusterPairs: [...state.clusterPairs.values()]
        .sort((a, b) => a.clusterPairID - b.clusterPairID)
        .map(clusterPairView),
    }),
  },
  RemoveClusterPair: {
    since: 9.6,
    run: async ({ state, replication }, p) => {
      const cp = state.clusterPair(int(p, 'clusterPairID'));
      const used = [...state.volumePairs.values()].filter((v) => v.clusterPairID === cp.clusterPairID);
      if (used.length > 0) {
        throw new RpcError(
          X_CLUSTER_PAIR_IN_USE,
          `Cluster pair ${cp.clusterPairID} is used by ${used.length} volume pair(s) (volumes ${used.map((v) => v.volumeID).join(', ')}): RemoveVolumePair them first`,
        );
      }
      // Only this side goes: the partner's half shows Misconfigured until RemoveClusterPair there removes it.
      if (cp.remote && cp.remoteAccount && cp.status !== 'Misconfigured')
        await replication.callPeer(cp, 'PeerRemoveClusterPair', {}).catch(() => undefined);
      state.clusterPairs.delete(cp.clusterPairID);
      state.changed();
      return {};
    },
  },

  PeerCompleteClusterPairing: {
    internal: true,
    run: (ctx, p) => {
      const cp = callerPair(ctx);
      if (cp.status !== 'Requested' || cp.clusterPairUUID !== str(p, 'clusterPairUUID'))
        throw invalid('The pairing key was used already');
      cp.remote = peerCluster(p);
      cp.remoteAccount = account(p);
      cp.status = 'Connected';
      ctx.state.changed();
      return { cluster: ctx.replication.self() };
    },
  },
  /** The partner removed its half of the cluster pair. */
  PeerRemoveClusterPair: {
    internal: true,
    run: (ctx) => {
      const cp = callerPair(ctx);
      cp.status = 'Misconfigured';
      cp.statusDetails = 'The cluster pair was removed on the paired cluster: RemoveClusterPair here too';
      ctx.state.changed();
      return {};
    },
  },
};
