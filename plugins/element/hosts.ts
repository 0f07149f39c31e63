/**
 * CDM hosts and host groups on Element's volume access groups: a host is a group the plugin made for it, any other
 * group is a host group.
 */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import type { ElementApi } from './api';
import { cdmVolumeName, elementId, isHostGroup, toHost, withCdm } from './mapper';
import type { ElementVolumeAccessGroup } from './types';

const INITIATOR = /^(iqn\.\d{4}-\d{2}\.[a-z0-9][a-z0-9.-]*(:\S+)?|eui\.[0-9a-f]{16}|naa\.[0-9a-f]{16,32})$/i;
const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));

/** Hosts whose initiators all sit in the group: the members of a host group. */
function membersOf(group: ElementVolumeAccessGroup, hosts: ElementVolumeAccessGroup[]): ElementVolumeAccessGroup[] {
  const inGroup = lower(group.initiators);
  return hosts.filter((h) => h.initiators.length > 0 && h.initiators.every((i) => inGroup.has(i.toLowerCase())));
}

/** Everything a host sees: its own group's volumes, then those of host groups it belongs to. */
function reach(
  host: ElementVolumeAccessGroup,
  all: ElementVolumeAccessGroup[],
): { volumeID: number; via: ElementVolumeAccessGroup }[] {
  const out = host.volumes.map((volumeID) => ({ volumeID, via: host }));
  for (const g of all.filter(isHostGroup)) {
    if (!membersOf(g, [host]).length) continue;
    for (const volumeID of g.volumes) if (!out.some((o) => o.volumeID === volumeID)) out.push({ volumeID, via: g });
  }
  return out;
}

const hostView = (h: ElementVolumeAccessGroup, all: ElementVolumeAccessGroup[]) =>
  toHost(
    h,
    reach(h, all).map((r) => r.volumeID),
  );

async function hostGroupOf(api: ElementApi, hostId: string): Promise<ElementVolumeAccessGroup> {
  const g = await api.accessGroup(elementId(hostId, 'host'), 'host');
  if (isHostGroup(g)) throw notFound('host', hostId);
  return g;
}

export async function listHosts(api: ElementApi, page: T.Page): Promise<T.Host[]> {
  const all = await api.accessGroups();
  return applyPage(
    all.filter((g) => !isHostGroup(g)),
    page,
  ).map((h) => hostView(h, all));
}

export async function getHost(api: ElementApi, hostId: string): Promise<T.Host> {
  const id = elementId(hostId, 'host');
  const all = await api.accessGroups();
  const h = all.find((g) => g.volumeAccessGroupID === id && !isHostGroup(g));
  if (!h) throw notFound('host', hostId);
  return hostView(h, all);
}

/** One access group per host, tagged as the plugin's; the array refuses more than 64 initiators in it. */
export async function createHost(api: ElementApi, req: T.CreateHostRequest): Promise<T.Host> {
  const iqns = req.iqns ?? [];
  const all = await api.accessGroups();
  if (all.some((g) => g.name === req.name))
    throw new StorageError('CONFLICT', `a host or host group named '${req.name}' already exists`);
  const bad = iqns.find((i) => !INITIATOR.test(i));
  if (bad !== undefined) throw invalidArgument(`'${bad}' is not an iSCSI initiator name (iqn., eui. or naa.)`, 'iqns');
  for (const h of all.filter((g) => !isHostGroup(g))) {
    const owned = iqns.find((i) => lower(h.initiators).has(i.toLowerCase()));
    if (owned) throw new StorageError('CONFLICT', `initiator '${owned}' already belongs to host '${h.name}'`);
  }
  const created = await api.createAccessGroup(req.name, iqns, withCdm({}, { host: true }));
  return hostView(created.volumeAccessGroup, [...all, created.volumeAccessGroup]);
}

async function mapping(api: ElementApi, group: ElementVolumeAccessGroup, volumeID: number, name: string) {
  const lun = (await api.lunAssignments(group.volumeAccessGroupID)).find((l) => l.volumeID === volumeID);
  if (!lun)
    throw new StorageError(
      'BACKEND_ERROR',
      `volume ${volumeID} is in access group ${group.volumeAccessGroupID} without a LUN assignment`,
    );
  return { name, volumeId: String(volumeID), lunId: String(volumeID), lunNumber: lun.lun };
}

export async function listHostLuns(api: ElementApi, hostId: string, page: T.Page): Promise<T.HostLunMapping[]> {
  const host = await hostGroupOf(api, hostId);
  const all = await api.accessGroups();
  const seen = applyPage(reach(host, all), page);
  const volumes = new Map((await api.allActiveVolumes()).map((v) => [v.volumeID, v]));
  const luns = new Map<number, Map<number, number>>();
  for (const g of new Set(seen.map((s) => s.via)))
    luns.set(
      g.volumeAccessGroupID,
      new Map((await api.lunAssignments(g.volumeAccessGroupID)).map((l) => [l.volumeID, l.lun])),
    );
  return seen.map(({ volumeID, via }) => ({
    name: volumes.has(volumeID) ? cdmVolumeName(volumes.get(volumeID)!) : String(volumeID),
    volumeId: String(volumeID),
    hostId,
    hostGroupId: via === host ? null : String(via.volumeAccessGroupID),
    lunId: String(volumeID),
    lunNumber: luns.get(via.volumeAccessGroupID)?.get(volumeID) ?? 0,
  }));
}

/** The volume a map request names: an Element LUN is its volume, so lunId and volumeId must agree. */
function volumeOf(req: T.MapRequest): string {
  if (req.volumeId && req.lunId && req.volumeId !== req.lunId) {
    throw invalidArgument(
      `on this array LUN '${req.lunId}' is volume '${req.lunId}', not volume '${req.volumeId}'`,
      'lunId',
    );
  }
  const id = req.lunId ?? req.volumeId;
  if (!id) throw invalidArgument('name the volume to map with volumeId or lunId', 'volumeId');
  return id;
}

/**
 * AddVolumesToVolumeAccessGroup adds on the array (no read-modify-write of the list), so concurrent
 * maps cannot undo each other; the LUN number is the group's LUN assignment (a requested one is set).
 */
async function mapInto(api: ElementApi, group: ElementVolumeAccessGroup, req: T.MapRequest) {
  const volumeId = volumeOf(req);
  const volume = await api.volume(elementId(volumeId, 'volume'));
  const name = cdmVolumeName(volume);
  if (group.volumes.includes(volume.volumeID)) {
    const existing = await mapping(api, group, volume.volumeID, name);
    if (req.lunNumber !== undefined && req.lunNumber !== existing.lunNumber) {
      throw new StorageError('CONFLICT', `volume '${volumeId}' is already mapped here as LUN ${existing.lunNumber}`);
    }
    return existing;
  }
  if (
    req.lunNumber !== undefined &&
    (await api.lunAssignments(group.volumeAccessGroupID)).some((l) => l.lun === req.lunNumber)
  ) {
    throw new StorageError('CONFLICT', `LUN ${req.lunNumber} is already used in '${group.name}'`);
  }
  await api.addVolumesToGroup(group.volumeAccessGroupID, [volume.volumeID]);
  if (req.lunNumber !== undefined)
    await api.setLunAssignments(group.volumeAccessGroupID, [{ volumeID: volume.volumeID, lun: req.lunNumber }]);
  return mapping(api, group, volume.volumeID, name);
}

export async function mapToHost(api: ElementApi, hostId: string, req: T.MapRequest): Promise<T.HostLunMapping> {
  const host = await hostGroupOf(api, hostId);
  return { ...(await mapInto(api, host, req)), hostId, hostGroupId: null };
}

export async function unmapFromHost(api: ElementApi, hostId: string, req: T.UnmapRequest): Promise<void> {
  const host = await hostGroupOf(api, hostId);
  const volumeID = elementId(req.lunId, 'LUN');
  if (!host.volumes.includes(volumeID)) {
    const via = reach(host, await api.accessGroups()).find((r) => r.volumeID === volumeID);
    if (via)
      throw new StorageError(
        'CONFLICT',
        `LUN '${req.lunId}' reaches host '${hostId}' through host group '${via.via.name}': unmap it there`,
      );
    throw notFound(`LUN mapped to host '${hostId}'`, req.lunId);
  }
  await api.removeVolumesFromGroup(host.volumeAccessGroupID, [volumeID]);
}

export async function listHostGroups(api: ElementApi, page: T.Page): Promise<T.HostGroup[]> {
  const all = await api.accessGroups();
  const hosts = all.filter((g) => !isHostGroup(g));
  return applyPage(all.filter(isHostGroup), page).map((g) => ({
    id: String(g.volumeAccessGroupID),
    name: g.name,
    hostIds: membersOf(g, hosts).map((h) => String(h.volumeAccessGroupID)),
  }));
}

export async function mapToHostGroup(
  api: ElementApi,
  groupId: string,
  req: T.MapRequest,
): Promise<Omit<T.HostLunMapping, 'hostId' | 'hostGroupId'>> {
  const group = await api.accessGroup(elementId(groupId, 'host group'), 'host group');
  if (!isHostGroup(group)) throw notFound('host group', groupId);
  return mapInto(api, group, req);
}
