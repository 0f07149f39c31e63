/**
 * SCP hosts behind CDM: the virtual and bare-metal servers (and GPU nodes, endpoints) that volumes' access rules name.
 * They are made outside File Storage, so CDM lists them but cannot create them (hostCreation is off), and File
 * Storage has no LUNs to map.
 */
import { notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { DETAIL_CONCURRENCY, mapLimit } from '../shared/concurrency';
import type { ScpApi } from './api';
import { SERVER_ID } from './mapper';
import { allVolumes } from './volumes';

/** Every object an access rule names, in the order first met. */
async function hosts(api: ScpApi): Promise<T.Host[]> {
  const vols = await allVolumes(api);
  const rules = await mapLimit(vols, DETAIL_CONCURRENCY, (v) => api.accessRules(v.id));
  const seen = new Map<string, T.Host>();
  for (const r of rules.flatMap((x) => x.access_rules)) {
    if (seen.has(r.object_id)) continue;
    seen.set(r.object_id, {
      id: r.object_id,
      name: `${r.object_type} ${r.object_id}`,
      serverGroupKeys: [SERVER_ID],
      mappedLunIds: [],
      iqns: [],
      wwns: [],
      config: { fc: false, iscsi: false },
    });
  }
  return [...seen.values()];
}

export const listHosts = async (api: ScpApi, page: T.Page): Promise<T.Host[]> => applyPage(await hosts(api), page);

export async function getHost(api: ScpApi, hostId: string): Promise<T.Host> {
  const h = (await hosts(api)).find((x) => x.id === hostId);
  if (!h) throw notFound('host', hostId);
  return h;
}
