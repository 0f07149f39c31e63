/** The ONTAP backend: a NetApp ONTAP cluster behind the CDM contract through its REST API, each SVM a CDM server. */
import { type BackendOptions, type CallContext, defineBackend } from '../../src/backend';
import type * as T from '../../src/domain/types';
import { ArrayMemo, arrayKey, readsOf } from '../shared/array-memo';
import { cursorScope, cursorStoreOr } from '../shared/cursors';
import { pairedCredentials } from '../shared/paired';
import { arrayWires } from '../shared/http';
import { backendImages } from '../shared/images';
import { OntapApi } from './api';
import { OntapClient } from './client';
import { OntapConnection } from './connection';
import { fromOntap } from './mapper';

/** ONTAP serves its REST API over HTTPS on 443 of the cluster management LIF. */
export const ONTAP_DEFAULT_PORT = 443;

/**
 * How long whether a volume holds LUNs (its CDM kind) is held per cluster (docs/backends/ontap.md): the plugin's own
 * changes drop it at once; a LUN made or removed elsewhere is seen within this time.
 */
export const MEMO_TTL_MS = 10_000;

/** `host:port` (IPv6 in brackets) of a cluster peer address; a bare host means the default port. */
export function splitAddress(address: string): { host: string; port: number | undefined } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(
    address.includes(':') && !address.startsWith('[') && address.split(':').length > 2 ? `[${address}]` : address,
  );
  return { host: m?.[1] ?? address, port: m?.[2] ? Number(m[2]) : undefined };
}

export default defineBackend({
  name: 'ontap',
  displayName: 'NetApp ONTAP',
  vendor: 'NetApp',
  defaultPort: ONTAP_DEFAULT_PORT,
  capabilities: {
    clone: true,
    mount: true,
    // FlexClone volumes split at any time, with progress (clone.split_complete_percent).
    split: true,
    restore: true,
    restoreToAlternate: true,
    restoreToNew: true,
    luns: true,
    hostCreation: true,
    hostMapping: true,
    // igroups take FC WWPNs (protocol fcp or mixed) and SVMs have FC LIFs.
    fibreChannel: true,
    // A parent igroup (ONTAP 9.9+ nested igroups) is a host group: its LUN maps reach every child.
    hostGroups: true,
    consistencyGroups: true,
    persistentConsistencyGroups: true,
    // A volume belongs to at most one ONTAP consistency group, and a group may hold a single volume.
    singleConsistencyGroup: true,
    // One member's snapshot can be deleted on its own; the group snapshot then reports itself partial.
    deleteFromSnapshotGroup: true,
    incrementalConsistencyGroups: false,
    // SnapMirror to a peered cluster, or within this one (to an SVM peered locally, as ONTAP allows): a replicated
    // snapshot is sent over the volume's relationship (source_snapshot); groups get a replica per member. The
    // contract has no call for an existing snapshot.
    replication: { volume: true, consistencyGroup: true, newSnapshot: true, existingSnapshot: false, toItself: true },
    // Cluster peers, and the cluster itself once an SVM has a local SVM peer.
    remoteArrays: true,
  },
  // Why each capability that is off is off (501 answers and `npm run check` say it).
  unsupported: {
    incrementalConsistencyGroups: 'ONTAP consistency group snapshots are full point-in-time copies of every member',
    'replication.existingSnapshot': 'the contract has no call that replicates an existing snapshot',
  },
  images: backendImages('ontap'),
  create(options: BackendOptions) {
    const cursors = cursorStoreOr(options.cursors);
    const memo = new ArrayMemo(MEMO_TTL_MS);
    // What another plugin instance changes on a cluster, this one reads afresh too.
    options.arrayChanges?.onChange((array) => memo.changed(array));
    const { agent, wire } = arrayWires(options, ONTAP_DEFAULT_PORT);
    const apiFor = (target: T.ArrayTarget, username: string, password: string, call?: CallContext) =>
      new OntapApi(new OntapClient(wire(target, { username, password }, call)));
    return {
      async login(target, creds, call) {
        try {
          // What real clients do first: the cluster's version, which also proves the credentials.
          const cluster = await apiFor(target, creds.username, creds.password, call).cluster();
          return { storageId: cluster.uuid };
        } catch (err) {
          throw fromOntap(err);
        }
      },
      connect(target, creds, identity, call) {
        const api = apiFor(target, creds.username, creds.password, call);
        const array = arrayKey(api.client.origin, identity.storageId);
        api.client.cursors = cursorScope(cursors, 'ontap', array);
        // What the plugin itself changes on the cluster, its next read sees.
        api.client.onChange = () => {
          memo.changed(array);
          options.arrayChanges?.announce(array);
        };
        // A peered cluster is reached with the credentials configured for it, else the session's own.
        // ONTAP lists a peer's addresses bare: every cluster answers its API on the same port, so a peer is reached on
        // the port this one is (an address that names its port is taken as it is).
        const remote = (address: string) => {
          const { host, port: named } = splitAddress(address);
          const port = named ?? target.port ?? ONTAP_DEFAULT_PORT;
          const c = pairedCredentials(options, host, port, creds);
          return apiFor({ ipAddress: host, port }, c.username, c.password, call);
        };
        return new OntapConnection(api, target, {
          splitWaitMs: options.timeoutMs,
          remote,
          reads: readsOf(memo, array),
        });
      },
      close: () => agent.close(),
    };
  },
});
