/**
 * vSnap LUNs and hosts behind CDM: a LUN is a lun volume (with an NAA id from its serial), a host has iSCSI initiators,
 * map and unmap pick vSnap's LUN numbers.
 */
import { invalidArgument, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import type { VsnapApi } from './api';
import { isLunType, toHost, toLun } from './mapper';

export async function listLuns(api: VsnapApi, page: T.Page): Promise<T.Lun[]> {
  const luns = applyPage(
    (await api.volumes()).filter((v) => isLunType(v.volume_type)),
    page,
  );
  const [iqn, details] = await Promise.all([
    api.targetIqn(),
    mapLimit(luns, DETAIL_CONCURRENCY, (v) => api.volume(v.id)),
  ]);
  return details.map((v) => toLun(v, iqn));
}

export async function getLun(api: VsnapApi, lunId: string): Promise<T.Lun> {
  const [v, iqn] = await Promise.all([api.volume(lunId).catch(() => null), api.targetIqn()]);
  if (!v || !isLunType(v.volume_type)) throw notFound('LUN', lunId);
  return toLun(v, iqn);
}

/** vSnap exports a LUN as soon as it exists; online only checks that it does. */
export async function onlineLun(api: VsnapApi, lunId: string): Promise<void> {
  await getLun(api, lunId);
}

export async function listHosts(api: VsnapApi, page: T.Page): Promise<T.Host[]> {
  const hosts = applyPage(await api.hosts(), page);
  return (await mapLimit(hosts, DETAIL_CONCURRENCY, (h) => api.host(h.id))).map(toHost);
}

export async function getHost(api: VsnapApi, hostId: string): Promise<T.Host> {
  return toHost(await api.host(hostId));
}

export async function createHost(api: VsnapApi, req: T.CreateHostRequest): Promise<T.Host> {
  return toHost(await api.createHost(req.name, req.iqns ?? []));
}

export async function listHostLuns(api: VsnapApi, hostId: string, page: T.Page): Promise<T.HostLunMapping[]> {
  const host = await api.host(hostId);
  const mapped = applyPage(host.mapped_luns ?? [], page);
  const names = new Map((mapped.length ? await api.volumes() : []).map((v) => [v.id, v.name]));
  return mapped.map((m) => ({
    name: names.get(m.vol_id) ?? m.vol_id,
    volumeId: m.vol_id,
    hostId,
    hostGroupId: null,
    lunId: m.vol_id,
    lunNumber: Number(m.lun),
  }));
}

/** A vSnap LUN is a volume, so lunId and volumeId name the same object; the array picks the LUN number. */
export async function mapToHost(api: VsnapApi, hostId: string, req: T.MapRequest): Promise<T.HostLunMapping> {
  if (req.volumeId && req.lunId && req.volumeId !== req.lunId) {
    throw invalidArgument(
      `on this array LUN '${req.lunId}' is volume '${req.lunId}', not volume '${req.volumeId}'`,
      'lunId',
    );
  }
  const volId = (req.lunId ?? req.volumeId) as string;
  await api.host(hostId);
  const vol = await api.volume(volId);
  if (!isLunType(vol.volume_type))
    throw invalidArgument(
      `volume '${volId}' is a ${vol.volume_type}, not a LUN: it cannot be mapped to a host`,
      'volumeId',
    );
  const m = await api.map(hostId, volId);
  return { name: vol.name, volumeId: volId, hostId, hostGroupId: null, lunId: volId, lunNumber: Number(m.lun) };
}

export async function unmapFromHost(api: VsnapApi, hostId: string, req: T.UnmapRequest): Promise<void> {
  await api.host(hostId);
  await api.unmap(hostId, req.lunId);
}
