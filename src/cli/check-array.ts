/** What `npm run check` finds out about one array: who it is, what CDM can do with it and why not, how it reads. */
import {
  type ArrayConnection,
  type BackendDefinition,
  type BackendDriver,
  CAPABILITY_NAMES,
  type Capability,
  type ServerBase,
  capabilityList,
  hasCapability,
} from '../backend';
import type { ArrayTarget, Credentials } from '../domain/types';

export interface CheckReport {
  /** The array answered and every collection read. */
  ok: boolean;
  backend: string;
  target: { host: string; port: number };
  loginMs: number;
  /** Why the login failed. */
  error?: string;
  array?: { vendor: string; name: string; version: string; storageId: string };
  capabilities: { capability: Capability; name: string; supported: boolean; why?: string }[];
  collections: { name: string; count?: number; ms: number; error?: string }[];
}

/** Objects read per collection at most: enough to show the array reads, little enough for a huge one. */
const SAMPLE = 1000;

const errorText = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
};

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; ms: number; error?: string }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - started };
  } catch (err) {
    return { ms: performance.now() - started, error: errorText(err) };
  }
}

/** Reasons a declared capability is still unusable on this particular array (its services, its pairings). */
function arrayReason(cap: Capability, servers: ServerBase[], remoteArrays: number | undefined): string | undefined {
  const any = (f: keyof ServerBase['config']) => servers.some((s) => s.config[f]);
  if (cap === 'luns' || cap === 'hostMapping' || cap === 'hostGroups') {
    return any('isIscsiServiceEnabled') ? undefined : 'no server of this array has iSCSI enabled';
  }
  if (cap.startsWith('replication.') && remoteArrays === 0) {
    return 'this array is paired with no other array yet: pair it (see docs/replication.md) before replicating';
  }
  return undefined;
}

export async function checkArray(
  backend: BackendDefinition,
  driver: BackendDriver,
  target: ArrayTarget & { ipAddress: string; port: number },
  creds: Credentials,
): Promise<CheckReport> {
  const report: CheckReport = {
    ok: false,
    backend: backend.name,
    target: { host: target.ipAddress, port: target.port },
    loginMs: 0,
    capabilities: [],
    collections: [],
  };
  const login = await timed(() => driver.login(target, creds));
  report.loginMs = login.ms;
  if (!login.value) {
    report.error = login.error;
    return report;
  }
  const conn: ArrayConnection = driver.connect(target, creds, login.value);
  const caps = backend.capabilities;
  const read = async <T>(name: string, fn: () => Promise<T[]>): Promise<T[]> => {
    const r = await timed(fn);
    report.collections.push({ name, count: r.value?.length, ms: r.ms, error: r.error });
    return r.value ?? [];
  };
  const page = { start: 0, limit: SAMPLE };

  const storage = await timed(() => conn.storage());
  report.collections.push({
    name: 'storage',
    count: storage.value ? 1 : undefined,
    ms: storage.ms,
    error: storage.error,
  });
  if (storage.value) {
    const s = storage.value;
    report.array = { vendor: s.vendor, name: s.name, version: s.version, storageId: s.id };
  }
  const servers = await read('servers', () => conn.listServers());
  let remoteArrays: number | undefined;
  const first = servers[0];
  if (first) {
    const sid = first.id;
    await read('pools', () => conn.listPools(sid, page));
    const volumes = await read('volumes', () => conn.listVolumes(sid, page));
    if (volumes[0])
      await read(`snapshots of volume ${volumes[0].id}`, () => conn.listSnapshots(sid, volumes[0].id, page));
    await read('hosts', () => conn.listHosts(sid, page));
    await read('networks', () => conn.listNetworks(sid, page));
    if (caps.luns && conn.listLuns) await read('LUNs', () => conn.listLuns!(sid, page));
    if (caps.hostGroups && conn.listHostGroups) await read('host groups', () => conn.listHostGroups!(sid, page));
    if (caps.consistencyGroups && conn.listConsistencyGroups)
      await read('consistency groups', () => conn.listConsistencyGroups!(sid, page));
    if (caps.remoteArrays && conn.listRemoteArrays)
      remoteArrays = (await read('remote arrays', () => conn.listRemoteArrays!(sid, page))).length;
  }
  for (const cap of capabilityList(caps)) {
    const declared = hasCapability(caps, cap);
    const why = declared
      ? arrayReason(cap, servers, remoteArrays)
      : (backend.unsupported[cap] ?? 'not offered by this backend');
    report.capabilities.push({ capability: cap, name: CAPABILITY_NAMES[cap], supported: why === undefined, why });
  }
  report.ok = report.collections.every((c) => !c.error);
  return report;
}
