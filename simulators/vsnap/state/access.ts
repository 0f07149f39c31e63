// How clients reach volumes: hosts with iSCSI initiators and lun mappings (seed 10), NFS/SMB shares (seed 8.8, 9).
import { exists, inUse, invalid, notFound } from '../errors';
import type { HostRecord, LunMapping, NfsShareOptions, ShareRecord, ShareType, VolumeRecord } from './model';
import { byId, nowSeconds, type VsnapState } from './state';
import { optBool, requireString, stringList, type Body } from '../validate';

/** iSCSI names per RFC 3720: iqn.yyyy-mm.naming-authority[:id], eui.<16 hex>, naa.<16 or 32 hex>. */
const ISCSI_NAME = /^(iqn|eui|naa)\.\S+$/i;

function checkIqns(state: VsnapState, iqns: string[], self?: HostRecord): string[] {
  const unique = [...new Set(iqns)];
  for (const iqn of unique) {
    if (!ISCSI_NAME.test(iqn)) throw invalid(`Invalid iSCSI initiator name "${iqn}": expected iqn., eui. or naa.`);
    // One initiator, one ACL on the target: a second host with the same initiator would be ambiguous.
    const owner = [...state.hosts.values()].find((h) => h !== self && h.iqns.includes(iqn));
    if (owner) throw exists(`Initiator ${iqn} already belongs to host ${owner.name}`);
  }
  return unique;
}

function checkHostName(state: VsnapState, name: string, self?: HostRecord): string {
  if (name.length > 256) throw invalid('Host name is longer than 256 characters');
  if ([...state.hosts.values()].some((h) => h !== self && h.name === name)) throw exists(`Host ${name} already exists`);
  return name;
}

export function createHost(state: VsnapState, body: Body): HostRecord {
  const name = checkHostName(state, requireString(body, 'name'));
  const iqns = checkIqns(state, stringList(body, 'iqns', false) ?? []);
  const time = nowSeconds();
  const host: HostRecord = { id: state.nextId('host'), name, iqns, luns: [], time_created: time, time_updated: time };
  state.hosts.set(host.id, host);
  state.changed();
  return host;
}

/** Seed 10.4: name and/or iqns; the iqns list replaces the old one. */
export function updateHost(state: VsnapState, host: HostRecord, body: Body): void {
  const name = body.name === undefined ? undefined : checkHostName(state, requireString(body, 'name'), host);
  const list = stringList(body, 'iqns', false);
  const iqns = list === undefined ? undefined : checkIqns(state, list, host);
  if (name !== undefined) host.name = name;
  if (iqns !== undefined) host.iqns = iqns;
  host.time_updated = nowSeconds();
  state.changed();
}

export function deleteHost(state: VsnapState, host: HostRecord): void {
  state.hosts.delete(host.id); // its mappings go with it: the volumes are unmapped
  state.changed();
}

/** Map a lun on the lowest free LUN number; mapping it again answers the existing mapping (retries are safe). */
export function mapVolume(state: VsnapState, host: HostRecord, volume: VolumeRecord): LunMapping {
  if (volume.volume_type !== 'lun' && volume.volume_type !== 'filebackedlun') {
    throw invalid(`Volume ${volume.id} is a ${volume.volume_type}; only lun and filebackedlun volumes can be mapped`);
  }
  const existing = host.luns.find((m) => m.vol_id === volume.id);
  if (existing) return existing;
  const used = new Set(host.luns.map((m) => m.lun));
  let lun = 0;
  while (used.has(lun)) lun++;
  const mapping: LunMapping = { lun, vol_id: volume.id };
  host.luns = [...host.luns, mapping].sort((a, b) => a.lun - b.lun);
  host.time_updated = nowSeconds();
  state.changed();
  return mapping;
}

export function unmapVolume(state: VsnapState, host: HostRecord, volumeId: string): void {
  if (!host.luns.some((m) => m.vol_id === volumeId))
    throw notFound(`Volume ${volumeId} is not mapped to host ${host.name}`);
  host.luns = host.luns.filter((m) => m.vol_id !== volumeId);
  host.time_updated = nowSeconds();
  state.changed();
}

/** The path clients mount: NFS `/vsnap/<pool>/<volume>`, SMB `<pool>_<volume>`; follows renames. */
export function shareName(state: VsnapState, share: ShareRecord): string {
  const volume = state.volume(share.vol_id);
  const pool = state.pool(volume.pool_id).name;
  return share.share_type === 'nfs' ? `/vsnap/${pool}/${volume.name}` : `${pool}_${volume.name}`;
}

function shareType(value: unknown): ShareType {
  if (value !== 'nfs' && value !== 'smb') throw invalid('Parameter share_type must be nfs or smb');
  return value;
}

function shareOptions(type: ShareType, raw: unknown): ShareRecord['share_options'] {
  if (type === 'smb') return {}; // seed 8.8: no share options for smb
  if (raw === undefined || raw === null) return { read_only: false, allowed_hosts: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('Parameter share_options must be an object');
  const body = raw as Body;
  const hosts = stringList(body, 'allowed_hosts', false) ?? [];
  const bad = hosts.find((h) => h.trim() === '' || /\s/.test(h));
  if (bad !== undefined)
    throw invalid(`Invalid allowed host "${bad}": use a hostname, an IP address, a subnet or "all"`);
  const options: NfsShareOptions = {
    read_only: optBool(body, 'read_only') ?? false,
    allowed_hosts: [...new Set(hosts)],
  };
  return options;
}

function filesystemOnly(volume: VolumeRecord): void {
  if (volume.volume_type !== 'filesystem')
    throw invalid(`Volume ${volume.id} is a ${volume.volume_type}; shares apply to filesystems only`);
}

export function createShare(state: VsnapState, volume: VolumeRecord, body: Body): ShareRecord {
  filesystemOnly(volume);
  const type = shareType(body.share_type);
  const options = shareOptions(type, body.share_options);
  const current = state.shareOf(volume.id);
  if (current)
    throw inUse(`Volume ${volume.name} already has share ${current.id}; a filesystem has one share at a time`);
  const time = nowSeconds();
  const share: ShareRecord = {
    id: state.nextId('share'),
    vol_id: volume.id,
    share_type: type,
    share_options: options,
    time_created: time,
    time_updated: time,
  };
  state.shares.set(share.id, share);
  state.changed();
  return share;
}

/** Seed 9.3: the client sends back the whole share body; only share_type and share_options change anything. */
export function updateShare(state: VsnapState, share: ShareRecord, body: Body): void {
  const type = body.share_type === undefined ? share.share_type : shareType(body.share_type);
  const keep = body.share_options === undefined && type === share.share_type;
  const options = keep ? share.share_options : shareOptions(type, body.share_options);
  share.share_type = type;
  share.share_options = options;
  share.time_updated = nowSeconds();
  state.changed();
}

export function deleteShare(state: VsnapState, share: ShareRecord): void {
  state.shares.delete(share.id);
  state.changed();
}

export function volumeShare(state: VsnapState, volume: VolumeRecord): ShareRecord | undefined {
  filesystemOnly(volume);
  return state.shareOf(volume.id);
}

export function hostsSorted(state: VsnapState): HostRecord[] {
  return [...state.hosts.values()].sort(byId);
}
