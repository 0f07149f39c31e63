/** The vSnap backend: an IBM Spectrum Protect Plus vSnap (ZFS) appliance behind the CDM contract. */
import { type BackendOptions, type CallContext, defineBackend } from '../../src/backend';
import type * as T from '../../src/domain/types';
import { arrayKey } from '../shared/array-memo';
import { cursorScope, cursorStoreOr } from '../shared/cursors';
import { arrayWires } from '../shared/http';
import { ListIndexes } from '../shared/list-index';
import { backendImages } from '../shared/images';
import { VsnapApi } from './api';
import { VsnapClient } from './client';
import { VsnapConnection } from './connection';
import { fromVsnap } from './mapper';
import type { VsnapVolume } from './types';

/**
 * How the appliance's volume list is held between pages (docs/backends/vsnap.md, "Listing"): a page is at most
 * maxAgeMs older than the walk's first page, and dropped after idleMs without a page.
 */
export const VOLUME_INDEX = { idleMs: 30_000, maxAgeMs: 120_000, maxItems: 250_000, maxArrays: 8 };

/** vSnap serves its REST API on 8900. */
export const VSNAP_DEFAULT_PORT = 8900;

export default defineBackend({
  name: 'vsnap',
  displayName: 'IBM Spectrum Protect Plus vSnap',
  vendor: 'IBM',
  defaultPort: VSNAP_DEFAULT_PORT,
  capabilities: {
    clone: true,
    mount: true,
    // ZFS clones stay tied to their snapshot and the vSnap API has no split: volumes say NONE or NOT_NEEDED.
    split: false,
    restore: true,
    restoreToAlternate: true,
    restoreToNew: true,
    luns: true,
    hostCreation: true,
    hostMapping: true,
    fibreChannel: false,
    hostGroups: false,
    consistencyGroups: false,
    persistentConsistencyGroups: false,
    singleConsistencyGroup: false,
    deleteFromSnapshotGroup: false,
    incrementalConsistencyGroups: false,
    // Volume relationships with partner appliances; vSnap has no consistency groups, the contract no call
    // for an existing snapshot, and a vSnap cannot partner with itself.
    replication: { volume: true, consistencyGroup: false, newSnapshot: true, existingSnapshot: false, toItself: false },
    remoteArrays: true,
  },
  // Why each capability that is off is off (501 answers and `npm run check` say it).
  unsupported: {
    split: 'ZFS clones stay tied to their snapshot and the vSnap API has no split',
    fibreChannel: 'vSnap serves iSCSI and NFS only',
    hostGroups: 'vSnap has hosts but no groups of hosts',
    consistencyGroups: 'vSnap has no consistency groups: each volume is snapshotted on its own',
    persistentConsistencyGroups: 'vSnap has no consistency groups',
    singleConsistencyGroup: 'vSnap has no consistency groups',
    deleteFromSnapshotGroup: 'vSnap has no group snapshots',
    incrementalConsistencyGroups: 'vSnap has no consistency groups',
    'replication.consistencyGroup': 'vSnap has no consistency groups to replicate',
    'replication.existingSnapshot': 'the contract has no call that replicates an existing snapshot',
    'replication.toItself': 'a vSnap appliance cannot partner with itself',
  },
  images: backendImages('vsnap'),
  create(options: BackendOptions) {
    const { agent, wire } = arrayWires(options, VSNAP_DEFAULT_PORT);
    const cursors = cursorStoreOr(options.cursors);
    const index = new ListIndexes<VsnapVolume>(VOLUME_INDEX);
    // What another plugin instance changes on an appliance, this one reads again too.
    options.arrayChanges?.onChange((array) => index.changed(array));
    const apiFor = (target: T.ArrayTarget, username: string, password: string, call?: CallContext) =>
      new VsnapApi(new VsnapClient(wire(target, { username, password }, call)));
    return {
      async login(target, creds, call) {
        try {
          const sys = await apiFor(target, creds.username, creds.password, call).system();
          return { storageId: sys.id };
        } catch (err) {
          throw fromVsnap(err);
        }
      },
      connect(target, creds, identity, call) {
        const api = apiFor(target, creds.username, creds.password, call);
        const array = arrayKey(api.client.origin, identity.storageId);
        // What the plugin itself changes on the appliance is in the next page it lists.
        api.client.onChange = () => {
          index.changed(array);
          options.arrayChanges?.announce(array);
        };
        return new VsnapConnection(api, target, {
          shareAllowedHosts: ['all'],
          volumeWalk: { index, array, cursors: cursorScope(cursors, 'vsnap', array, 'volumes') },
        });
      },
      close: () => agent.close(),
    };
  },
});
