/**
 * SAN behind CDM: LUNs, hosts and host groups from igroups (a parent igroup nests its hosts), map and unmap through LUN
 * maps.
 */
import { StorageError, invalidArgument, notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';
import type { Ctx } from './connection';
import { iscsiTarget } from './inventory';
import { isHostGroup, toHost, toHostGroup, toLun } from './mapper';
import type { OntapIgroup, OntapLun, OntapLunMap } from './types';
import { chunked, volumeOf } from './volumes';

export async function listLuns(ctx: Ctx, svm: string, page: T.Page): Promise<T.Lun[]> {
  const [, luns, iqn] = await Promise.all([ctx.api.svm(svm), ctx.api.lunsPage(svm, page), iscsiTarget(ctx, svm)]);
  return luns.map((l) => toLun(l, iqn));
}

export async function getLun(ctx: Ctx, svm: string, id: string): Promise<T.Lun> {
  const [lun, iqn] = await Promise.all([ctx.api.lun(svm, id), iscsiTarget(ctx, svm)]);
  return toLun(lun, iqn);
}

export async function onlineLun(ctx: Ctx, svm: string, id: string): Promise<void> {
  const lun = await ctx.api.lun(svm, id);
  if (!lun.enabled) await ctx.api.patchLun(id, { enabled: true });
}

/** Hosts are the igroups that hold initiators (no child igroups); host groups are those nesting other igroups. */
const HOSTS = { 'igroups.uuid': '!*' };
const GROUPS = { 'igroups.uuid': '*' };

export async function listHosts(ctx: Ctx, svm: string, page: T.Page): Promise<T.Host[]> {
  const [, igroups] = await Promise.all([ctx.api.svm(svm), ctx.api.igroupsPage(svm, page, HOSTS)]);
  return igroups.map(toHost);
}

async function hostOf(ctx: Ctx, svm: string, id: string): Promise<OntapIgroup> {
  const g = await ctx.api.igroup(svm, id, 'host');
  if (isHostGroup(g)) throw notFound('host', id);
  return g;
}

export const getHost = async (ctx: Ctx, svm: string, id: string): Promise<T.Host> => toHost(await hostOf(ctx, svm, id));

export async function createHost(ctx: Ctx, svm: string, req: T.CreateHostRequest): Promise<T.Host> {
  await ctx.api.svm(svm);
  const iqns = req.iqns ?? [];
  const wwns = req.wwns ?? [];
  // iSCSI-only and FC-only hosts get an igroup of that protocol; a host with both (or neither yet) a mixed one.
  const protocol = iqns.length && !wwns.length ? 'iscsi' : wwns.length && !iqns.length ? 'fcp' : 'mixed';
  const id = await ctx.api.createIgroup({
    svm: { uuid: svm },
    name: req.name,
    os_type: 'linux',
    protocol,
    initiators: [...iqns, ...wwns].map((name) => ({ name })),
  });
  return getHost(ctx, svm, id);
}

/** The LUN a map request names: by LUN id, or by a volume holding exactly one LUN; both must agree. */
async function lunFor(ctx: Ctx, svm: string, req: T.MapRequest): Promise<OntapLun> {
  if (req.lunId) {
    const lun = await ctx.api.lun(svm, req.lunId);
    if (req.volumeId && lun.location?.volume?.uuid !== req.volumeId) {
      throw invalidArgument(
        `LUN '${req.lunId}' is in volume '${lun.location?.volume?.uuid}', not in volume '${req.volumeId}'`,
        'lunId',
      );
    }
    return lun;
  }
  if (!req.volumeId) throw invalidArgument('name the LUN to map with lunId or volumeId', 'lunId');
  await volumeOf(ctx, svm, req.volumeId);
  const luns = await ctx.api.lunsOf([req.volumeId]);
  if (luns.length === 0)
    throw invalidArgument(
      `volume '${req.volumeId}' holds no LUN: it cannot be mapped to a host (mount it instead)`,
      'volumeId',
    );
  if (luns.length > 1)
    throw invalidArgument(
      `volume '${req.volumeId}' holds ${luns.length} LUNs: name the one to map with lunId`,
      'lunId',
    );
  return luns[0];
}

/**
 * Maps the LUN to the igroup. Mapping again is harmless (the existing map answers), also when a
 * concurrent call made it first; the cluster picks the LUN number unless the request names one.
 */
async function mapLun(ctx: Ctx, igroup: string, lun: OntapLun, lunNumber: number | undefined): Promise<OntapLunMap> {
  const existing = async () => (await ctx.api.lunMapsOf([igroup])).find((m) => m.lun.uuid === lun.uuid);
  const before = await existing();
  if (!before) {
    try {
      await ctx.api.createLunMap(lun.uuid, igroup, lunNumber);
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'CONFLICT' && (await existing()))) throw err;
    }
  }
  const map = before ?? (await existing());
  if (!map) throw new StorageError('BACKEND_ERROR', `the array did not keep the mapping of LUN '${lun.uuid}'`);
  if (lunNumber !== undefined && map.logical_unit_number !== lunNumber) {
    throw new StorageError(
      'CONFLICT',
      `LUN '${lun.uuid}' is already mapped with LUN number ${map.logical_unit_number}`,
    );
  }
  return map;
}

const mapping = (
  lun: OntapLun,
  m: OntapLunMap,
  hostId: string | null,
  hostGroupId: string | null,
): T.HostLunMapping => ({
  name: lun.name,
  volumeId: lun.location?.volume?.uuid ?? '',
  hostId,
  hostGroupId,
  lunId: lun.uuid,
  lunNumber: m.logical_unit_number,
});

export async function mapToHost(ctx: Ctx, svm: string, hostId: string, req: T.MapRequest): Promise<T.HostLunMapping> {
  await hostOf(ctx, svm, hostId);
  const lun = await lunFor(ctx, svm, req);
  return mapping(lun, await mapLun(ctx, hostId, lun, req.lunNumber), hostId, null);
}

export async function unmapFromHost(ctx: Ctx, svm: string, hostId: string, req: T.UnmapRequest): Promise<void> {
  await hostOf(ctx, svm, hostId);
  const mapped = (await ctx.api.lunMapsOf([hostId])).some((m) => m.lun.uuid === req.lunId);
  if (!mapped) throw notFound(`mapping to host '${hostId}' of LUN`, req.lunId);
  await ctx.api.deleteLunMap(req.lunId, hostId);
}

/**
 * What the host sees: its own maps, and those of the host groups (parent igroups) it is in, which
 * carry the group's id. Paged server-side on the lun-maps collection.
 */
export async function listHostLuns(ctx: Ctx, svm: string, hostId: string, page: T.Page): Promise<T.HostLunMapping[]> {
  const host = await hostOf(ctx, svm, hostId);
  const igroups = [host.uuid, ...(host.parent_igroups ?? []).map((p) => p.uuid)];
  const maps = await ctx.api.run(() =>
    ctx.api.client.page<OntapLunMap>(
      '/protocols/san/lun-maps',
      { 'igroup.uuid': igroups.join('|'), fields: 'svm,lun,igroup,logical_unit_number' },
      page,
      'lun.uuid',
    ),
  );
  const luns = new Map(
    (await chunked([...new Set(maps.map((m) => m.lun.uuid))], (part) => ctx.api.lunsById(part))).map((l) => [
      l.uuid,
      l,
    ]),
  );
  return maps.flatMap((m) => {
    const lun = luns.get(m.lun.uuid);
    return lun ? [mapping(lun, m, hostId, m.igroup.uuid === hostId ? null : m.igroup.uuid)] : [];
  });
}

export async function listHostGroups(ctx: Ctx, svm: string, page: T.Page): Promise<T.HostGroup[]> {
  const [, igroups] = await Promise.all([ctx.api.svm(svm), ctx.api.igroupsPage(svm, page, GROUPS)]);
  return igroups.map(toHostGroup);
}

export async function mapToHostGroup(
  ctx: Ctx,
  svm: string,
  groupId: string,
  req: T.MapRequest,
): Promise<Omit<T.HostLunMapping, 'hostId' | 'hostGroupId'>> {
  const group = await ctx.api.igroup(svm, groupId, 'host group');
  if (!isHostGroup(group)) throw notFound('host group', groupId);
  const lun = await lunFor(ctx, svm, req);
  const {
    hostId: _h,
    hostGroupId: _g,
    ...rest
  } = mapping(lun, await mapLun(ctx, groupId, lun, req.lunNumber), null, groupId);
  return rest;
}
