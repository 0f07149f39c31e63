// Demo objects for a first look: a tenant account, volumes with content and snapshots, a consistency group, an access
// group.
import { CDM_KEY } from './cdm-attributes';
import { newInitiator } from './routes/initiators';
import { takeSnapshot } from './routes/snapshots';
import { DEFAULT_QOS, newVolume } from './routes/volumes';
import type { ElementState } from './state/state';
import { GiB } from './state/state';

export const DEMO_ACCOUNT = 'demo';
export const DEMO_DB_CONTENT = Buffer.from('demo-db: customer records, consistent with demo-logs\n'.repeat(64));
export const DEMO_LOG_CONTENT = Buffer.from('demo-logs: redo log of demo-db\n'.repeat(64));

function write(state: ElementState, volumeID: number, data: Buffer): void {
  const v = state.volume(volumeID);
  state.store.prepareWrite(v.content, 0, data).commit();
}

/** Fills an empty cluster with a small, realistic setup. */
export function seedDemo(state: ElementState): void {
  const account = {
    accountID: state.nextId('account'),
    username: DEMO_ACCOUNT,
    initiatorSecret: 'demoinitsecret',
    targetSecret: 'demotargsecret',
    attributes: {},
  };
  state.accounts.set(account.accountID, account);
  // The plugin keeps consistency group membership in each member's attributes (see ../cgroups.ts).
  const cg = { id: 'demo-app', name: 'demo-app', created: state.now() };
  const vol = (name: string, size: number) =>
    newVolume(state, {
      name,
      accountID: account.accountID,
      totalSize: size,
      enable512e: true,
      access: 'readWrite',
      qos: { ...DEFAULT_QOS },
      attributes: { [CDM_KEY]: { consistencyGroup: cg } },
      content: state.store.newMap(),
    });
  const db = vol('demo-db', 10 * GiB);
  const logs = vol('demo-logs', 4 * GiB);
  write(state, db.volumeID, DEMO_DB_CONTENT);
  write(state, logs.volumeID, DEMO_LOG_CONTENT);
  takeSnapshot(state, db, 'demo-db-nightly', 0, {}, null);
  const group = {
    groupSnapshotID: state.nextId('groupSnapshot'),
    groupSnapshotUUID: '6b0f1c58-8e43-4c8e-9d0e-5d1f0a1e2b3c',
    name: 'demo-app-hourly',
    attributes: { [CDM_KEY]: { consistencyGroup: cg } },
    createTime: state.now(),
  };
  state.groupSnapshots.set(group.groupSnapshotID, group);
  for (const v of [db, logs]) takeSnapshot(state, v, group.name, group.groupSnapshotID, group.attributes, null);
  const initiators = ['iqn.1998-01.com.vmware:esx01-4f3c2a1b', 'iqn.1998-01.com.vmware:esx02-7d6e5f4a'].map((n, i) =>
    newInitiator(state, n, `esx0${i + 1}`),
  );
  // One access group per host, as the plugin makes for CDM hosts, and one for the whole ESX cluster (a host group to
  // CDM).
  const vag = (name: string, initiatorIDs: number[], volumes: number[], attributes: Record<string, unknown>) => {
    const id = state.nextId('volumeAccessGroup');
    state.volumeAccessGroups.set(id, {
      volumeAccessGroupID: id,
      name,
      initiatorIDs,
      volumes,
      deletedVolumes: [],
      lunAssignments: volumes.map((v, lun) => ({ volumeID: v, lun })),
      attributes,
    });
  };
  initiators.forEach((i) => vag(i.alias, [i.initiatorID], [], { [CDM_KEY]: { host: true } }));
  vag(
    'esx-cluster',
    initiators.map((i) => i.initiatorID),
    [db.volumeID],
    {},
  );
}

/** Many empty volumes in their own account, for scale tests and benchmarks. */
export function seedBulk(state: ElementState, count: number): void {
  const account = {
    accountID: state.nextId('account'),
    username: 'bulk',
    initiatorSecret: 'bulkinitsecret1',
    targetSecret: 'bulktargsecret1',
    attributes: {},
  };
  state.accounts.set(account.accountID, account);
  for (let i = 0; i < count; i++) {
    newVolume(state, {
      name: `bulk-${String(i).padStart(6, '0')}`,
      accountID: account.accountID,
      totalSize: GiB,
      enable512e: true,
      access: 'readWrite',
      qos: { ...DEFAULT_QOS },
      attributes: {},
      content: state.store.newMap(),
    });
  }
}
