/**
 * SCP volumes behind CDM: listing (paged by the service), details, delete (waited for), a volume made from a snapshot
 * (clone, restore to new), and mount (the path clients mount).
 */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import type { ScpApi } from './api';
import { type CdmNames, SERVER_ID, scpVolumeName, toVolume } from './mapper';
import { snapshotFor } from './snapshots';
import type { ScpSnapshot, ScpVolume, ScpVolumeDetail } from './types';

/** Volumes asked for per call when a list needs all of them. */
const PAGE = 100;

/** Every volume of the account in the region (of one disk type when given), oldest first. */
export async function allVolumes(api: ScpApi, typeName?: string): Promise<ScpVolume[]> {
  const out: ScpVolume[] = [];
  for (;;) {
    const { count, filestorages } = await api.volumes(out.length, PAGE, typeName);
    out.push(...filestorages);
    if (filestorages.length < PAGE || out.length >= count) return out;
  }
}

/** Each volume's details (its usage is only in them), a few calls at a time. */
export const details = (api: ScpApi, vols: ScpVolume[]): Promise<ScpVolumeDetail[]> =>
  mapLimit(vols, DETAIL_CONCURRENCY, (v) => api.volume(v.id));

export async function withNames(names: CdmNames, vols: ScpVolumeDetail[]): Promise<T.Volume[]> {
  const cdm = await names.volumes(vols);
  return vols.map((v, i) => toVolume(v, cdm[i]));
}

/** A CDM page of volumes, cut by the service (offset and limit), in creation order. */
export async function listVolumes(api: ScpApi, names: CdmNames, page: T.Page): Promise<T.Volume[]> {
  const vols =
    page.limit === undefined
      ? (await allVolumes(api)).slice(page.start)
      : (await api.volumes(page.start, page.limit)).filestorages;
  return withNames(names, await details(api, vols));
}

export async function getVolume(api: ScpApi, names: CdmNames, volumeId: string): Promise<T.Volume> {
  return (await withNames(names, [await api.volume(volumeId)]))[0];
}

/** Waits until the volume is `available` (a create or restore settled). */
export async function untilAvailable(api: ScpApi, volumeId: string, what: string, since: number): Promise<void> {
  await api.settle(what, since, async () => {
    const v = await api.volumeIfAny(volumeId);
    if (!v) throw new StorageError('BACKEND_ERROR', `${what}: the volume ${volumeId} went away`);
    return v.state === 'available' ? true : undefined;
  });
}

/** DELETE answers 202: the volume is `deleting` until it is gone, and CDM's delete means gone. */
export async function deleteVolume(api: ScpApi, names: CdmNames, volumeId: string): Promise<void> {
  const since = Date.now();
  await api.volume(volumeId);
  const snaps = (await api.snapshots(volumeId)).snapshots;
  await api.deleteVolume(volumeId);
  await api.settle(`deleting volume ${volumeId}`, since, async () =>
    (await api.volumeIfAny(volumeId)) ? undefined : true,
  );
  await Promise.all([names.forgetVolume(volumeId), ...snaps.map((s) => names.forgetSnapshot(s.name))]);
}

/** CDM names are unique on an array; the service's are made unique by a suffix, so the check is CDM's. */
export async function assertNameFree(api: ScpApi, names: CdmNames, name: string): Promise<void> {
  const vols = await allVolumes(api);
  if ((await names.volumes(vols)).includes(name))
    throw new StorageError('CONFLICT', `a volume named '${name}' already exists`);
}

/**
 * A new volume made from the snapshot (POST /v1/volumes with snapshot_id): the service sets it identical to the
 * source, protocol and disk type alike, and answers it `creating`; CDM gets it once it is `available`.
 */
export async function volumeFromSnapshot(
  api: ScpApi,
  names: CdmNames,
  source: ScpVolumeDetail,
  snap: ScpSnapshot,
  name: string,
): Promise<T.Volume> {
  const since = Date.now();
  if (source.protocol === 'CIFS')
    throw new StorageError(
      'CONFLICT',
      `volume '${source.id}' is shared over CIFS: a volume made from its snapshot needs a CIFS password, which the CDM contract cannot carry; make it with the SCP console or API`,
    );
  await assertNameFree(api, names, name);
  const made = await api.createVolume({
    name: scpVolumeName(name),
    protocol: source.protocol,
    type_name: source.type_name,
    snapshot_id: snap.id,
  });
  await names.setVolume(made.volume_id, name);
  await untilAvailable(
    api,
    made.volume_id,
    `volume '${name}' (${made.volume_id}) made from snapshot ${snap.id}`,
    since,
  );
  return getVolume(api, names, made.volume_id);
}

/** A clone is a volume made from the snapshot: independent of it at once (split NOT_NEEDED, instantSplit moot). */
export async function cloneVolume(
  api: ScpApi,
  names: CdmNames,
  volumeId: string,
  req: T.CloneRequest,
): Promise<T.Volume> {
  const bad = (req.serverGroupKeys ?? []).find((k) => k !== SERVER_ID);
  if (bad !== undefined)
    throw invalidArgument(`this array has the single server group '${SERVER_ID}', not '${bad}'`, 'serverGroupKeys');
  const source = await api.volume(volumeId);
  const snap = await snapshotFor(api, names, volumeId, req.snapshot);
  return volumeFromSnapshot(api, names, source, snap, req.name);
}

/**
 * The path clients mount: the export path of the volume's `path` (`<address>:/<name>` over NFS, `\\<address>\<name>`
 * over CIFS). The service fixes it, so a path CDM asks for is not honoured; mounting twice answers the same path.
 * Access is granted per VM by access rules, which the contract's mount (it names no host) cannot add.
 */
export async function mountVolume(api: ScpApi, volumeId: string): Promise<{ path: string }> {
  const v = await api.volume(volumeId);
  if (v.state !== 'available' || !v.path)
    throw new StorageError('CONFLICT', `volume '${volumeId}' is ${v.state}: it is mounted once it is available`);
  const nfs = /^[^:/\\]+:(\/.*)$/.exec(v.path);
  if (nfs) return { path: nfs[1] };
  const cifs = /^\\\\[^\\]+(\\.*)$/.exec(v.path);
  if (cifs) return { path: cifs[1].replace(/\\/g, '/') };
  throw notFound(`mount path of volume '${volumeId}' (the service answered '${v.path}')`, volumeId);
}
