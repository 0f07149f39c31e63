/**
 * Inventory pieces every adapter builds the same way: the storage record, and the one server "0" of arrays without
 * virtual servers.
 */
import type { ServerBase } from '../../src/backend';
import { notFound } from '../../src/domain/errors';
import type * as T from '../../src/domain/types';

export type Storage = Omit<T.StorageInfo, 'pluginId'>;

/**
 * The storage as CDM describes it: what the array says of itself, reached at the address the session
 * named (its own name for itself stands in for an address the session did not give).
 */
export function storageInfo(
  target: T.ArrayTarget,
  array: { name: string; id: string; ownAddress: string; vendor: string; version: string; serverIds: string[] },
): Storage {
  return {
    name: array.name,
    id: array.id,
    hostName: target.hostname ?? array.ownAddress,
    ipAddress: target.ipAddress ?? target.hostname ?? array.ownAddress,
    port: target.port ?? 0,
    vendor: array.vendor,
    version: array.version,
    serverIds: array.serverIds,
  };
}

/** The single server of storage without virtual servers (the guide's rule): its id is "0". */
export const SINGLE_SERVER_ID = '0';

/** Runs `fn` for the single server; any other server id is NOT_FOUND (as a rejection, like every array error). */
export async function onSingleServer<R>(serverId: string, fn: () => Promise<R>): Promise<R> {
  if (serverId !== SINGLE_SERVER_ID) throw notFound('server', serverId);
  return fn();
}

/** `/server` of a single-server array: the one server, as getServer describes it. */
export const singleServerList = async (getServer: (id: string) => Promise<ServerBase>): Promise<ServerBase[]> => [
  await getServer(SINGLE_SERVER_ID),
];
