/**
 * Typed Element calls with Element errors translated to domain errors: the vocabulary the Element operations are
 * written in.
 */
import { StorageError, notFound } from '../../src/domain/errors';
import type { ElementClient, Params } from './client';
import { fromElement } from './mapper';
import type {
  ElementAccount,
  ElementAsyncHandle,
  ElementAsyncResult,
  ElementCapacity,
  ElementClusterInfo,
  ElementClusterPair,
  ElementGroupSnapshot,
  ElementLunAssignments,
  ElementSnapshot,
  ElementVersionInfo,
  ElementVolume,
  ElementVolumeAccessGroup,
  ElementVolumeStats,
} from './types';

/** The API version this adapter is written against; a newer cluster still serves it. */
export const PREFERRED_API_VERSION = '12.3';
/** Oldest version with every method used here (ListVolumeStats came in 11.0). */
export const MINIMUM_API_VERSION = 11.0;
/** Active volumes fetched per ListActiveVolumes call when the whole list is needed. */
const VOLUME_PAGE = 500;

/** Like the SolidFire SDK: ask GetAPI on 7.0, then speak the preferred version, or the cluster's own if older. */
export async function negotiateVersion(client: ElementClient): Promise<string> {
  // Element answers numbers (12.3, 1); older firmware and proxies have been seen to answer strings: both are read.
  let api: { currentVersion: number | string; supportedVersions?: (number | string)[] };
  try {
    api = await client.call('GetAPI', {}, '7.0');
  } catch (err) {
    throw fromElement(err);
  }
  const preferred = Number(PREFERRED_API_VERSION);
  if ((api.supportedVersions ?? []).some((v) => Number(v) === preferred)) return PREFERRED_API_VERSION;
  const current = Number(api.currentVersion);
  if (current >= MINIMUM_API_VERSION) return current.toFixed(1);
  throw new StorageError(
    'BACKEND_ERROR',
    `the cluster speaks Element API ${api.currentVersion}; this plugin needs ${MINIMUM_API_VERSION.toFixed(1)} or later`,
  );
}

type What = { kind: string; id: string | number };

/** Methods that only read: every other method changes something on the cluster. */
const READS = /^(List|Get)/;

export class ElementApi {
  /** Told before and after every call that changes something on the cluster (the per-array memo drops its reads). */
  onChange?: () => void;

  constructor(readonly client: ElementClient) {}

  private async run<T>(method: string, params: Params = {}, what?: What): Promise<T> {
    const writes = !READS.test(method);
    if (writes) this.onChange?.();
    try {
      return await this.client.call<T>(method, params);
    } catch (err) {
      throw fromElement(err, what && { kind: what.kind, id: String(what.id) });
    } finally {
      if (writes) this.onChange?.();
    }
  }

  clusterInfo = async () => (await this.run<{ clusterInfo: ElementClusterInfo }>('GetClusterInfo')).clusterInfo;
  versionInfo = () => this.run<ElementVersionInfo>('GetClusterVersionInfo');
  capacity = async () => (await this.run<{ clusterCapacity: ElementCapacity }>('GetClusterCapacity')).clusterCapacity;

  /** Active volumes in id order from startVolumeID (Element pages by id, not by offset). */
  activeVolumes = async (startVolumeID: number, limit: number) =>
    (await this.run<{ volumes: ElementVolume[] }>('ListActiveVolumes', { startVolumeID, limit })).volumes;

  async allActiveVolumes(): Promise<ElementVolume[]> {
    const all: ElementVolume[] = [];
    for (let start = 0; ;) {
      const page = await this.activeVolumes(start, VOLUME_PAGE);
      all.push(...page);
      if (page.length < VOLUME_PAGE) return all;
      start = page[page.length - 1].volumeID + 1;
    }
  }

  /** The active volume; a deleted one (held until purged) does not exist for CDM. */
  async volume(id: number, kind = 'volume'): Promise<ElementVolume> {
    const [v] = (await this.run<{ volumes: ElementVolume[] }>('ListVolumes', { volumeIDs: [id] }, { kind, id }))
      .volumes;
    if (!v || v.status !== 'active') throw notFound(kind, String(id));
    return v;
  }

  /** Active volumes whose Element name is `name` (Element allows several). */
  volumesNamed = async (name: string) =>
    (await this.run<{ volumes: ElementVolume[] }>('ListVolumes', { volumeName: name, volumeStatus: 'active' })).volumes;
  volumeStats = async (ids: number[]) =>
    ids.length === 0
      ? []
      : (await this.run<{ volumeStats: ElementVolumeStats[] }>('ListVolumeStats', { volumeIDs: ids })).volumeStats;
  modifyVolume = (id: number, fields: Params) =>
    this.run<{ volume: ElementVolume }>('ModifyVolume', { volumeID: id, ...fields }, { kind: 'volume', id });
  deleteVolume = (id: number) => this.run<unknown>('DeleteVolume', { volumeID: id }, { kind: 'volume', id });
  purgeVolume = (id: number) => this.run<unknown>('PurgeDeletedVolume', { volumeID: id }, { kind: 'volume', id });
  cloneVolume = (params: Params) =>
    this.run<{ volumeID: number; asyncHandle: number; volume: ElementVolume }>('CloneVolume', params, {
      kind: 'volume',
      id: String(params.volumeID),
    });
  copyVolume = (params: Params) =>
    this.run<{ asyncHandle: number }>('CopyVolume', params, { kind: 'volume', id: String(params.dstVolumeID) });
  asyncResult = (asyncHandle: number, keepResult: boolean) =>
    this.run<ElementAsyncResult>('GetAsyncResult', { asyncHandle, keepResult });
  cloneJobs = async () =>
    (await this.run<{ asyncHandles: ElementAsyncHandle[] }>('ListAsyncResults', { asyncResultTypes: ['Clone'] }))
      .asyncHandles;

  snapshotsOf = async (volumeID: number) =>
    (await this.run<{ snapshots: ElementSnapshot[] }>('ListSnapshots', { volumeID }, { kind: 'volume', id: volumeID }))
      .snapshots;
  /** With `enableRemoteReplication` the snapshot is sent to the volume's paired volume. */
  createSnapshot = (volumeID: number, name: string, enableRemoteReplication = false) =>
    this.run<{ snapshotID: number; snapshot: ElementSnapshot }>(
      'CreateSnapshot',
      { volumeID, name, ...(enableRemoteReplication ? { enableRemoteReplication } : {}) },
      { kind: 'volume', id: volumeID },
    );
  deleteSnapshot = (snapshotID: number) =>
    this.run<unknown>('DeleteSnapshot', { snapshotID }, { kind: 'snapshot', id: snapshotID });
  rollback = (volumeID: number, snapshotID: number) =>
    this.run<unknown>(
      'RollbackToSnapshot',
      { volumeID, snapshotID, saveCurrentState: false },
      { kind: 'snapshot', id: snapshotID },
    );

  groupSnapshots = async () =>
    (await this.run<{ groupSnapshots: ElementGroupSnapshot[] }>('ListGroupSnapshots')).groupSnapshots;
  createGroupSnapshot = (
    volumes: number[],
    name: string,
    attributes: Record<string, unknown>,
    enableRemoteReplication = false,
  ) =>
    this.run<{ groupSnapshotID: number; groupSnapshot: ElementGroupSnapshot }>('CreateGroupSnapshot', {
      volumes,
      name,
      attributes,
      ...(enableRemoteReplication ? { enableRemoteReplication } : {}),
    });
  deleteGroupSnapshot = (groupSnapshotID: number, saveMembers: boolean) =>
    this.run<unknown>(
      'DeleteGroupSnapshot',
      { groupSnapshotID, saveMembers },
      { kind: 'consistency group snapshot', id: groupSnapshotID },
    );

  createVolume = (params: Params) => this.run<{ volumeID: number; volume: ElementVolume }>('CreateVolume', params);
  accountByID = async (accountID: number) =>
    (await this.run<{ account: ElementAccount }>('GetAccountByID', { accountID }, { kind: 'account', id: accountID }))
      .account;
  /** The tenant account of that name, made when missing. */
  async ensureAccount(username: string): Promise<number> {
    try {
      return (
        await this.run<{ account: ElementAccount }>('GetAccountByName', { username }, { kind: 'account', id: username })
      ).account.accountID;
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'NOT_FOUND')) throw err;
      return (await this.run<{ accountID: number }>('AddAccount', { username })).accountID;
    }
  }

  clusterPairs = async () => (await this.run<{ clusterPairs: ElementClusterPair[] }>('ListClusterPairs')).clusterPairs;
  startVolumePairing = async (volumeID: number, mode: string) =>
    (
      await this.run<{ volumePairingKey: string }>(
        'StartVolumePairing',
        { volumeID, mode },
        { kind: 'volume', id: volumeID },
      )
    ).volumePairingKey;
  completeVolumePairing = (volumeID: number, volumePairingKey: string) =>
    this.run<unknown>('CompleteVolumePairing', { volumeID, volumePairingKey }, { kind: 'volume', id: volumeID });
  removeVolumePair = (volumeID: number) =>
    this.run<unknown>('RemoveVolumePair', { volumeID }, { kind: 'volume', id: volumeID });

  accessGroups = async () =>
    (await this.run<{ volumeAccessGroups: ElementVolumeAccessGroup[] }>('ListVolumeAccessGroups')).volumeAccessGroups;
  async accessGroup(id: number, kind: string): Promise<ElementVolumeAccessGroup> {
    const res = await this.run<{ volumeAccessGroups: ElementVolumeAccessGroup[] }>(
      'ListVolumeAccessGroups',
      { volumeAccessGroups: [id] },
      { kind, id },
    );
    const g = res.volumeAccessGroups.find((x) => x.volumeAccessGroupID === id);
    if (!g) throw notFound(kind, String(id));
    return g;
  }
  createAccessGroup = (name: string, initiators: string[], attributes: Record<string, unknown>) =>
    this.run<{ volumeAccessGroupID: number; volumeAccessGroup: ElementVolumeAccessGroup }>('CreateVolumeAccessGroup', {
      name,
      initiators,
      attributes,
    });
  addVolumesToGroup = (id: number, volumes: number[]) =>
    this.run<unknown>('AddVolumesToVolumeAccessGroup', { volumeAccessGroupID: id, volumes }, { kind: 'host', id });
  removeVolumesFromGroup = (id: number, volumes: number[]) =>
    this.run<unknown>('RemoveVolumesFromVolumeAccessGroup', { volumeAccessGroupID: id, volumes }, { kind: 'host', id });
  lunAssignments = async (id: number) =>
    (
      await this.run<{ volumeAccessGroupLunAssignments: ElementLunAssignments }>(
        'GetVolumeAccessGroupLunAssignments',
        { volumeAccessGroupID: id },
        { kind: 'host', id },
      )
    ).volumeAccessGroupLunAssignments.lunAssignments;
  setLunAssignments = (id: number, lunAssignments: { volumeID: number; lun: number }[]) =>
    this.run<unknown>(
      'ModifyVolumeAccessGroupLunAssignments',
      { volumeAccessGroupID: id, lunAssignments },
      { kind: 'host', id },
    );
}
