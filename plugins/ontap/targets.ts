/** The arrays an ONTAP cluster replicates to, as CDM names them: its cluster peers and, for intra-cluster SnapMirror, the cluster itself. */
import { StorageError, notFound } from '../../src/domain/errors';
import { applyPage } from '../../src/domain/page';
import type * as T from '../../src/domain/types';
import { SnapMirrorApi } from './api-snapmirror';
import type { Ctx } from './inventory';
import type { OntapClusterPeer, OntapRelationship, OntapSvmPeer } from './types';

/** A replication target: where a relationship ends, and the API that drives it there (relationships are driven on their destination). */
export interface TargetArray extends T.ReplicationTarget {
  api(): SnapMirrorApi;
}

/** The cluster peers this cluster can replicate to (authenticated). */
export async function peers(ctx: Ctx): Promise<OntapClusterPeer[]> {
  return (await new SnapMirrorApi(ctx.api).clusterPeers()).filter((p) => (p.authentication?.state ?? 'ok') === 'ok');
}

/** The REST API of a peered cluster, reached at the address its peer record gives (host:port). */
function remoteApi(ctx: Ctx, peer: OntapClusterPeer): SnapMirrorApi {
  const address = peer.remote?.ip_addresses?.[0];
  if (!address || !ctx.remote) throw new StorageError('BACKEND_ERROR', `cluster peer '${peer.name}' has no address the plugin can reach`);
  return new SnapMirrorApi(ctx.remote(address));
}

/**
 * This cluster as a target of its own relationships: its cluster name, at the address this session
 * reaches it by (so no other credentials are needed: the session's API drives both ends).
 */
async function self(ctx: Ctx): Promise<TargetArray> {
  const cluster = await ctx.api.cluster();
  const host = ctx.target.ipAddress ?? ctx.target.hostname ?? '';
  return { id: cluster.uuid, name: cluster.name, hostAddress: `${host.includes(':') ? `[${host}]` : host}:${ctx.target.port}`, api: () => new SnapMirrorApi(ctx.api) };
}

/** Every array a relationship of this cluster can end on: the peers, then the cluster itself. */
export async function arrays(ctx: Ctx): Promise<TargetArray[]> {
  const [known, me] = await Promise.all([peers(ctx), self(ctx)]);
  return [...known.map((p) => ({ id: p.uuid, name: p.name, hostAddress: p.remote?.ip_addresses?.[0] ?? '', api: () => remoteApi(ctx, p) })), me];
}

/** The SVM on cluster `cluster` that `svm` is peered with for SnapMirror (a local SVM peer when `cluster` is this one). */
export async function peerSvm(ctx: Ctx, svm: string, cluster: string): Promise<OntapSvmPeer | undefined> {
  const list = await new SnapMirrorApi(ctx.api).svmPeers(svm, cluster);
  return list.find((p) => p.peer?.svm?.name && (p.applications ?? ['snapmirror']).includes('snapmirror'));
}

/**
 * /remotearray: the peered clusters, and this cluster itself when the SVM has a local SVM peer for
 * SnapMirror (only then can CDM make replicas on it); itself comes last, after the peers.
 */
export async function listRemoteArrays(ctx: Ctx, svm: string, page: T.Page): Promise<T.RemoteArray[]> {
  await ctx.api.svm(svm);
  const all = await arrays(ctx);
  const me = all[all.length - 1];
  const offered = (await peerSvm(ctx, svm, me.name)) ? all : all.slice(0, -1);
  return applyPage(offered.map(({ name, hostAddress }) => ({ name, hostAddress })), page);
}

/** The array named `name` (a /remotearray name, or this cluster's own), or NOT_FOUND. */
export async function arrayNamed(ctx: Ctx, name: string): Promise<TargetArray> {
  const hit = (await arrays(ctx)).find((a) => a.name === name);
  if (!hit) throw notFound('remote array', name);
  return hit;
}

/** The API of the cluster holding the destination of a relationship, by the cluster name the relationship gives. */
export async function destinationOf(ctx: Ctx, rel: OntapRelationship, known?: TargetArray[]): Promise<SnapMirrorApi> {
  const name = rel.destination.cluster?.name;
  const hit = (known ?? (await arrays(ctx))).find((a) => a.name === name);
  if (!hit) throw new StorageError('CONFLICT', `the destination cluster '${name}' of SnapMirror relationship ${rel.uuid} is neither this cluster nor a cluster peer of it`);
  return hit.api();
}
