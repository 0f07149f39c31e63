// /api/svm/peers: an SVM of this cluster and an SVM of a peered cluster allowed to replicate to each other; created on one side, recorded on both.
import { Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, conflict, duplicate, invalid, invalidValue, notFound } from '../errors';
import { PeerRefused, callPeer } from '../intercluster/client';
import { answerAsync } from '../jobs';
import type { ClusterPeerRecord, SvmPeerRecord } from '../model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { type OntapState, sorted } from '../state';
import { allowOnly, bodyOf, optObject, optRef, optString, param, reqString, resolve, svmRef } from '../validate';

const APPLICATIONS = ['snapmirror', 'file_copy', 'lun_copy', 'flexcache'];

export function svmPeerView(state: OntapState, p: SvmPeerRecord): Json {
  const svm = state.svm(p.svm);
  const peer = state.clusterPeers.get(p.peer);
  return {
    uuid: p.uuid,
    name: p.name,
    svm: { uuid: svm.uuid, name: svm.name },
    peer: { svm: { name: p.peer_svm }, cluster: { name: peer?.name ?? '', uuid: peer?.remote_uuid ?? '' } },
    state: p.state,
    applications: p.applications,
    _links: { self: { href: `/api/svm/peers/${p.uuid}` } },
  };
}

const FIELDS = fieldsOf({
  uuid: '', name: '', svm: { uuid: '', name: '' }, peer: { svm: { name: '' }, cluster: { name: '', uuid: '' } }, state: '', applications: [''], _links: { self: { href: '' } },
});

function applicationsOf(value: unknown): string[] {
  if (value === undefined) return ['snapmirror'];
  if (!Array.isArray(value) || value.length === 0 || value.some((a) => typeof a !== 'string' || !APPLICATIONS.includes(a))) throw invalidValue('applications', value);
  return [...new Set(value as string[])];
}

/** The cluster peer a request names by its (remote cluster) name, ready for intercluster calls. */
export function clusterPeerNamed(state: OntapState, name: string): ClusterPeerRecord {
  const peer = [...state.clusterPeers.values()].find((p) => p.name === name && p.authentication === 'ok');
  if (!peer) throw notFound(`Cluster "${name}" is not a peer of this cluster`, 'peer.cluster.name');
  return peer;
}

/** Relationships that go through this SVM peer: a local end in its SVM and the other end in its peer SVM on its cluster. */
export function relationshipsThrough(state: OntapState, p: SvmPeerRecord): number {
  const svm = state.svm(p.svm).name;
  return [...state.relationships.values()].filter((r) => {
    const [local, remote] = r.role === 'destination' ? [r.destination, r.source] : [r.source, r.destination];
    return r.peer === p.peer && local.svm === svm && remote.svm === p.peer_svm;
  }).length;
}

export function svmPeerRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const peerOf = (uuid: string): SvmPeerRecord => {
    const p = state.svmPeers.get(uuid);
    if (!p) throw notFound(`SVM peer "${uuid}" not found`, 'uuid');
    return p;
  };

  router.get('/svm/peers', (req, res) =>
    answerCollection(req, res, { href: '/api/svm/peers', records: () => sorted(state.svmPeers.values()), view: (p) => svmPeerView(state, p), fields: FIELDS, keys: ['uuid', 'name'] }, ctx.settings),
  );
  router.get('/svm/peers/:uuid', (req, res) => answerRecord(req, res, svmPeerView(state, peerOf(param(req, 'uuid'))), FIELDS, ['uuid', 'name']));

  router.post('/svm/peers', async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, ['svm.name', 'svm.uuid', 'peer.svm.name', 'peer.svm.uuid', 'peer.cluster.name', 'peer.cluster.uuid', 'applications', 'name']);
    const svm = svmRef(state, body);
    const peerBody = optObject(body, 'peer') ?? {};
    const peerSvm = reqString(optObject(peerBody, 'svm') ?? {}, 'name');
    const clusterRef = optRef(peerBody, 'cluster');
    if (!clusterRef?.name) throw invalid('"peer.cluster.name" names the peered cluster', 'peer.cluster.name');
    if (clusterRef.name === state.cluster.name) throw invalid('Intra-cluster SVM peers are not simulated: peer with an SVM of a peered cluster', 'peer.cluster.name');
    const cluster = clusterPeerNamed(state, clusterRef.name);
    const applications = applicationsOf(body.applications);
    const alias = optString(body, 'name') ?? peerSvm;
    if ([...state.svmPeers.values()].some((p) => p.svm === svm.uuid && p.peer === cluster.uuid && p.peer_svm === peerSvm)) {
      throw duplicate(`SVM "${svm.name}" is already peered with "${peerSvm}" of cluster "${cluster.name}"`, 'peer.svm.name');
    }
    const uuid = state.newUuid();
    // The other side records the peer first: it knows whether its SVM exists.
    await callPeer(ctx, cluster, { method: 'POST', path: '/intercluster/svm-peers', body: { uuid, svm: peerSvm, peer_svm: svm.name, applications } }).catch((err: unknown) => {
      if (err instanceof OntapError) throw new OntapError(err instanceof PeerRefused ? err.status : 400, err.code, err.message, err.target);
      throw err;
    });
    await answerAsync(req, res, ctx, {
      description: `POST /api/svm/peers/${uuid}`,
      plan: () => () => {
        state.svmPeers.set(uuid, { uuid, seq: state.nextSeq(), svm: svm.uuid, name: alias, peer_svm: peerSvm, peer: cluster.uuid, state: 'peered', applications });
        state.changed();
      },
      created: true,
      record: { uuid, name: alias },
      svm: svm.uuid,
    });
  });

  // Accepting a peer: the simulator's peers are accepted by the other side at once, so only "peered" is taken.
  router.patch('/svm/peers/:uuid', (req, res) => {
    const p = peerOf(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['state', 'applications', 'name']);
    const next = optString(body, 'state');
    if (next !== undefined && next !== 'peered') throw invalidValue('state', next);
    if (body.applications !== undefined) p.applications = applicationsOf(body.applications);
    const name = optString(body, 'name');
    if (name) p.name = name;
    state.changed();
    res.json({});
  });

  router.delete('/svm/peers/:uuid', async (req, res) => {
    const p = peerOf(param(req, 'uuid'));
    const used = relationshipsThrough(state, p);
    if (used) throw conflict(ONTAP_ERROR.PEER_IN_USE, `SVM peer "${p.name}" is used by ${used} SnapMirror relationship(s)`, 'uuid');
    const cluster = state.clusterPeers.get(p.peer);
    // The other side forgets its half too when it can be reached; an unreachable peer does not keep this one.
    if (cluster) await callPeer(ctx, cluster, { method: 'DELETE', path: `/intercluster/svm-peers/${p.uuid}` }).catch((err: unknown) => {
      if (err instanceof PeerRefused && err.code === ONTAP_ERROR.PEER_IN_USE) throw new OntapError(409, err.code, err.message);
    });
    state.svmPeers.delete(p.uuid);
    state.changed();
    res.json({});
  });

  return router;
}

/** The other side's half of an SVM peer (intercluster call from `cluster`). */
export function acceptSvmPeer(ctx: SimContext, cluster: ClusterPeerRecord, body: Json): void {
  const { state } = ctx;
  const svm = resolve(state.svms.values(), { name: String(body.svm ?? '') }, 'peer.svm', 'SVM');
  const peerSvm = String(body.peer_svm ?? '');
  if ([...state.svmPeers.values()].some((p) => p.svm === svm.uuid && p.peer === cluster.uuid && p.peer_svm === peerSvm)) return;
  state.svmPeers.set(String(body.uuid), {
    uuid: String(body.uuid), seq: state.nextSeq(), svm: svm.uuid, name: peerSvm, peer_svm: peerSvm, peer: cluster.uuid, state: 'peered', applications: applicationsOf(body.applications),
  });
  state.changed();
}

export function forgetSvmPeer(ctx: SimContext, uuid: string): void {
  const p = ctx.state.svmPeers.get(uuid);
  if (!p) return;
  const used = relationshipsThrough(ctx.state, p);
  if (used) throw conflict(ONTAP_ERROR.PEER_IN_USE, `SVM peer "${p.name}" is used by ${used} SnapMirror relationship(s) on the peer cluster`, 'uuid');
  ctx.state.svmPeers.delete(uuid);
  ctx.state.changed();
}
