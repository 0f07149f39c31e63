/**
 * The Element backend: a NetApp Element (SolidFire) all-flash cluster behind the CDM contract, over its JSON-RPC API.
 */
import { type BackendOptions, type CallContext, defineBackend } from '../../src/backend';
import type * as T from '../../src/domain/types';
import { arrayLabel } from '../../src/logs/array-label';
import { ArrayMemo, arrayKey, readsOf } from '../shared/array-memo';
import { cursorScope, cursorStoreOr } from '../shared/cursors';
import { pairedCredentials } from '../shared/paired';
import { arrayWires } from '../shared/http';
import { backendImages } from '../shared/images';
import { ElementApi, negotiateVersion } from './api';
import { ElementClient } from './client';
import { ElementConnection } from './connection';

/** Element serves its JSON-RPC API over HTTPS on 443 of the cluster's MVIP. */
export const ELEMENT_DEFAULT_PORT = 443;

/**
 * How long a volume's record and the running copy jobs are held per cluster (docs/backends/element.md): the plugin's
 * own changes drop them at once; a change made elsewhere is seen within this time.
 */
export const MEMO_TTL_MS = 3_000;

export default defineBackend({
  name: 'element',
  displayName: 'NetApp Element (SolidFire)',
  vendor: 'NetApp',
  defaultPort: ELEMENT_DEFAULT_PORT,
  capabilities: {
    clone: true,
    // Volumes are iSCSI LUNs: mount makes one read-write and answers path null (hosts reach it by mapping).
    mount: true,
    // A clone is a full copy that CloneVolume starts at once; split reports that copy's progress.
    split: true,
    restore: true,
    restoreToAlternate: true,
    restoreToNew: true,
    luns: true,
    hostCreation: true,
    hostMapping: true,
    // Element has Fibre Channel nodes, but this adapter and its simulator serve iSCSI only.
    fibreChannel: false,
    hostGroups: true,
    consistencyGroups: true,
    // Membership is kept on the array (volume attributes), not rebuilt per snapshot.
    persistentConsistencyGroups: true,
    singleConsistencyGroup: false,
    // A member of a group snapshot is an ordinary snapshot of its volume and may be deleted alone.
    deleteFromSnapshotGroup: true,
    incrementalConsistencyGroups: false,
    // Snapshots replicate over volume pairs to paired clusters (replicate: true, per volume or per group).
    // Existing snapshots could be sent (ModifySnapshot enableRemoteReplication) but the contract has no
    // call for it; a volume pair joins two clusters, so there is no replication to itself.
    replication: { volume: true, consistencyGroup: true, newSnapshot: true, existingSnapshot: false, toItself: false },
    remoteArrays: true,
  },
  // Why each capability that is off is off (501 answers and `npm run check` say it).
  unsupported: {
    fibreChannel: 'this adapter serves Element over iSCSI only',
    singleConsistencyGroup: 'a volume may be in several CDM groups on Element (groups are tags on the volumes)',
    incrementalConsistencyGroups: 'Element group snapshots are always full point-in-time copies of every member',
    'replication.existingSnapshot': 'the contract has no call that replicates an existing snapshot',
    'replication.toItself': 'an Element cluster cannot pair with itself',
  },
  images: backendImages('element'),
  create(options: BackendOptions) {
    const cursors = cursorStoreOr(options.cursors);
    const memo = new ArrayMemo(MEMO_TTL_MS);
    // What another plugin instance changes on a cluster, this one reads afresh too.
    options.arrayChanges?.onChange((array) => memo.changed(array));
    const { agent, wire } = arrayWires(options, ELEMENT_DEFAULT_PORT);
    // One negotiation per cluster and account, shared by every session (a failed one is forgotten and retried).
    const versions = new Map<string, Promise<string>>();
    const apiFor = (target: T.ArrayTarget, username: string, password: string, call?: CallContext) => {
      const w = wire(target, { username, password }, call);
      const key = `${w.origin} ${username}`;
      const client: ElementClient = new ElementClient({
        ...w,
        // Debug lines name the request they were written for.
        logger:
          call?.requestId && options.logger.isLevelEnabled('debug')
            ? options.logger.child({
                requestId: call.requestId,
                array: arrayLabel('element', target, ELEMENT_DEFAULT_PORT),
              })
            : options.logger,
        version: () => {
          let v = versions.get(key);
          if (!v) {
            v = negotiateVersion(client);
            versions.set(key, v);
            v.catch(() => versions.delete(key));
          }
          return v;
        },
      });
      return new ElementApi(client);
    };
    return {
      async login(target, creds, call) {
        const info = await apiFor(target, creds.username, creds.password, call).clusterInfo();
        return { storageId: info.uuid };
      },
      connect(target, creds, identity, call) {
        // A paired cluster is called with the credentials configured for it, else the session's own.
        const remote = (host: string, port: number) => {
          const c = pairedCredentials(options, host, port, creds);
          return apiFor({ ipAddress: host, port }, c.username, c.password, call);
        };
        const api = apiFor(target, creds.username, creds.password, call);
        // What the plugin itself changes on the cluster, its next read sees.
        const array = arrayKey(api.client.origin, identity.storageId);
        api.onChange = () => {
          memo.changed(array);
          options.arrayChanges?.announce(array);
        };
        return new ElementConnection(
          api,
          target,
          {
            reads: readsOf(memo, array),
            purgeOnDelete: true,
            copyWaitMs: 600_000,
            volumeCursors: cursorScope(cursors, 'element', array, 'volumes'),
          },
          remote,
        );
      },
      close: () => agent.close(),
    };
  },
});
