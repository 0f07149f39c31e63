/**
 * The SCP backend: Samsung Cloud Platform File Storage, one region's endpoint per session, behind the CDM contract over
 * the service's signed, versioned OpenAPI.
 */
import { type BackendOptions, type CallContext, type NameStore, defineBackend } from '../../src/backend';
import type * as T from '../../src/domain/types';
import { arrayWires } from '../shared/http';
import { backendImages } from '../shared/images';
import { ScpApi } from './api';
import { ScpClient, keyOf } from './client';
import { ScpConnection } from './connection';
import { type Placement, placement } from './inventory';
import { CdmNames } from './mapper';

/** Each region's File Storage endpoint answers HTTPS on 443. */
export const SCP_DEFAULT_PORT = 443;
/** How long where an endpoint stands in the cloud (its region, the other endpoints) is taken as known. */
const PLACEMENT_TTL_MS = 60_000;

/** Names kept in this process, when the plugin gives no shared store. */
class ProcessNames implements NameStore {
  private readonly names = new Map<string, string>();
  get = async (keys: string[]) => keys.map((k) => this.names.get(k) ?? null);
  set = async (key: string, value: string) => void this.names.set(key, value);
  remove = async (key: string) => void this.names.delete(key);
}

export default defineBackend({
  name: 'scp',
  displayName: 'Samsung Cloud Platform File Storage',
  vendor: 'Samsung SDS',
  defaultPort: SCP_DEFAULT_PORT,
  capabilities: {
    // A volume made from a snapshot (POST /v1/volumes with snapshot_id), independent of it at once.
    clone: true,
    mount: true,
    split: false,
    restore: true,
    // The service restores a snapshot only into its own volume.
    restoreToAlternate: false,
    restoreToNew: true,
    // A file service: no LUNs, so nothing to map; hosts are VMs made outside File Storage.
    luns: false,
    hostCreation: false,
    hostMapping: false,
    fibreChannel: false,
    hostGroups: false,
    consistencyGroups: false,
    persistentConsistencyGroups: false,
    singleConsistencyGroup: false,
    deleteFromSnapshotGroup: false,
    incrementalConsistencyGroups: false,
    // Volume replication to another region; no groups, no call of the contract for an existing snapshot, and a
    // replica lives in another region.
    replication: { volume: true, consistencyGroup: false, newSnapshot: true, existingSnapshot: false, toItself: false },
    remoteArrays: true,
  },
  // Why each capability that is off is off (501 answers and `npm run check` say it).
  unsupported: {
    split: 'a volume made from a snapshot is independent of it at once: there is nothing to split',
    restoreToAlternate: 'SCP File Storage restores a snapshot only into its own volume',
    luns: 'SCP File Storage serves files (NFS, CIFS), not LUNs',
    hostCreation: 'hosts are the virtual or bare-metal servers made in Samsung Cloud Platform itself',
    hostMapping: 'SCP File Storage has no LUNs to map; access is granted per volume by access rules',
    fibreChannel: 'SCP File Storage serves files over IP only',
    hostGroups: 'SCP File Storage has no groups of hosts',
    consistencyGroups: 'SCP File Storage has no consistency groups: each volume is snapshotted on its own',
    persistentConsistencyGroups: 'SCP File Storage has no consistency groups',
    singleConsistencyGroup: 'SCP File Storage has no consistency groups',
    deleteFromSnapshotGroup: 'SCP File Storage has no group snapshots',
    incrementalConsistencyGroups: 'SCP File Storage has no consistency groups',
    'replication.consistencyGroup': 'SCP File Storage has no consistency groups to replicate',
    'replication.existingSnapshot': 'the contract has no call that replicates an existing snapshot',
    'replication.toItself': 'SCP File Storage replicates a volume to another region only',
  },
  images: backendImages('scp'),
  create(options: BackendOptions) {
    const { agent, wire } = arrayWires(options, SCP_DEFAULT_PORT);
    const names = options.names ?? new ProcessNames();
    const placements = new Map<string, { at: number; p: Promise<Placement> }>();
    const apiFor = (target: T.ArrayTarget, creds: T.Credentials, call?: CallContext) =>
      new ScpApi(new ScpClient(wire(target, creds, call)), options.timeoutMs);
    return {
      async login(target, creds, call) {
        const { accountId } = keyOf(creds.username, creds.password);
        const api = apiFor(target, creds, call);
        // One signed read proves the key, its account and the endpoint.
        await api.volumes(0, 1);
        return { storageId: `scp:${accountId}@${new URL(api.client.origin).host}` };
      },
      connect(target, creds, identity, call) {
        const api = apiFor(target, creds, call);
        const key = `${api.client.origin} ${target.hostname ?? ''} ${api.client.key.accountId}`;
        const place = () => {
          const known = placements.get(key);
          if (known && Date.now() - known.at < PLACEMENT_TTL_MS) return known.p;
          const p = placement(api, target);
          placements.set(key, { at: Date.now(), p });
          p.catch(() => placements.delete(key));
          return p;
        };
        return new ScpConnection({
          api,
          names: new CdmNames(names, api.client.key.accountId),
          target,
          storageId: identity.storageId,
          placement: place,
          apiAt: (origin) => {
            const u = new URL(origin);
            return apiFor({ ipAddress: u.hostname, port: Number(u.port) || SCP_DEFAULT_PORT }, creds, call);
          },
        });
      },
      close: () => agent.close(),
    };
  },
});
