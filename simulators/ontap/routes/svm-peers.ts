// /api/svm/peers: an SVM of this cluster and an SVM of a peered cluster (or of this one: a local peer) allowed to
// replicate to each other; created on one side, recorded on both.
import { Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, conflict, duplicate, invalid, invalidValue, notFound } from '../errors';
import { PeerRefused, callPeer } from '../state/intercluster-client';
import { answerAsync } from '../state/jobs';
import { isLocal } from '../state/relationships';
import type { ClusterPeerRecord, SvmPeerRecord, SvmRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import { allowOnly, bodyOf, optObject, optRef, optString, param, reqString, resolve, svmRef } from '../validate';
import { SVM_PEER_DOCUMENTED, withDocumented } from '../documented';

const APPLICATIONS = ['snapmirror', 'file_copy', 'lun_copy', 'flexcache'];

/** A local SVM peer: both SVMs on this cluster (intra-cluster SnapMirror), recorded once for each SVM. */
export const isLocalPeer = (p: SvmPeerRecord): boolean => p.peer === '';

export function svmPeerView(state: OntapState, p: SvmPeerRecord): Json {
  const svm = state.svm(p.svm);
  const peer = state.clusterPeers.get(p.peer);
  const cluster = isLocalPeer(p)
    ? { name: state.cluster.name, uuid: state.cluster.uuid }
    : { name: peer?.name ?? '', uuid: peer?.remote_uuid ?? '' };
  return {
    uuid: p.uuid,
    name: p.name,
    svm: { uuid: svm.uuid, name: svm.name },
    peer: { svm: { name: p.peer_svm }, cluster },
    state: p.state,
    applications: p.applications,
    _links: { self: { href: `/api/svm/peers/${p.uuid}` } },
  };
}

const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    svm: { uuid: '', name: '' },
    peer: { svm: { name: '' }, cluster: { name: '', uuid: '' } },
    state: '',
    applications: [''],
    _links: { self: { href: '' } },
  }),
  SVM_PEER_DOCUMENTED,
);

function applicationsOf(value: unknown): string[] {
  if (value === undefined) return ['snapmirror'];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((a) => typeof a !== 'string' || !APPLICATIONS.includes(a))
  )
    throw invalidValue('applications', value);
  return [...new Set(value as string[])];
}

/** The cluster peer a request names by its (remote cluster) name, ready for intercluster calls. */
export function clusterPeerNamed(state: OntapState, name: string): ClusterPeerRecord {
  const peer = [...state.clusterPeers.values()].find((p) => p.name === name && p.authentication === 'ok');
  if (!peer) throw notFound(`Cluster "${name}" is not a peer of this cluster`, 'peer.cluster.name');
  return peer;
}

/**
 * Relationships that go through this SVM peer: a local end in its SVM and the other end in its peer SVM on its cluster
 * (either way round for a local peer).
 */
export function relationshipsThrough(state: OntapState, p: SvmPeerRecord): number {
  const svm = state.svm(p.svm).name;
  return [...state.relationships.values()].filter((r) => {
    if (isLocalPeer(p))
      return isLocal(r) && [r.source.svm, r.destination.svm].sort().join(':') === [svm, p.peer_svm].sort().join(':');
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
    answerCollection(
      req,
      res,
      {
        href: '/api/svm/peers',
        records: () => sorted(state.svmPeers.values()),
        view: (p) => svmPeerView(state, p),
        fields: FIELDS,
        keys: ['uuid', 'name'],
      },
      ctx.settings,
    ),
  );
  router.get('/svm/peers/:uuid', (req, res) =>
    answerRecord(req, res, svmPeerView(state, peerOf(param(req, 'uuid'))), FIELDS, ['uuid', 'name']),
  );

  router.post('/svm/peers', async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, [
      'svm.name',
      'svm.uuid',
      'peer.svm.name',
      'peer.svm.uuid',
      'peer.cluster.name',
      'peer.cluster.uuid',
      'applications',
      'name',
    ]);
    const svm = svmRef(state, body);
    const peerBody = optObject(body, 'peer') ?? {};
    const peerSvm = reqString(optObject(peerBody, 'svm') ?? {}, 'name');
    const clusterRef = optRef(peerBody, 'cluster');
    const applications = applicationsOf(body.applications);
    const alias = optString(body, 'name') ?? peerSvm;
    // No cluster, or this one: a local peer, as ONTAP's intra-cluster SVM peering.
    if (!clusterRef?.name || clusterRef.name === state.cluster.name) {
      const [mine, theirs] = planLocalPeer(state, svm, peerSvm, alias, applications);
      await answerAsync(req, res, ctx, {
        description: `POST /api/svm/peers/${mine.uuid}`,
        plan: () => () => addLocalPeer(state, mine, theirs),
        created: true,
        record: { uuid: mine.uuid, name: alias },
        svm: svm.uuid,
      });
      return;
    }
    const cluster = clusterPeerNamed(state, clusterRef.name);
    // SnapMirror paths name a peer SVM by its local name: it cannot be the name of an SVM of this cluster.
    if (aliasTaken(state, alias))
      throw invalid(
        `The peer SVM "${peerSvm}" of cluster "${cluster.name}" needs a local name ("name"): "${alias}" is already an SVM or SVM peer name on this cluster`,
        'name',
      );
    if (
      [...state.svmPeers.values()].some((p) => p.svm === svm.uuid && p.peer === cluster.uuid && p.peer_svm === peerSvm)
    ) {
      throw duplicate(
        `SVM "${svm.name}" is already peered with "${peerSvm}" of cluster "${cluster.name}"`,
        'peer.svm.name',
      );
    }
    const uuid = state.newUuid();
    // The other side records the peer first: it knows whether its SVM exists.
    await callPeer(ctx, cluster, {
      method: 'POST',
      path: '/intercluster/svm-peers',
      body: { uuid, svm: peerSvm, peer_svm: svm.name, applications },
    }).catch((err: unknown) => {
      if (err instanceof OntapError)
        throw new OntapError(err instanceof PeerRefused ? err.status : 400, err.code, err.message, err.target);
      throw err;
    });
    await answerAsync(req, res, ctx, {
      description: `POST /api/svm/peers/${uuid}`,
      plan: () => () => {
        state.svmPeers.set(uuid, {
          uuid,
          seq: state.nextSeq(),
          svm: svm.uuid,
          name: alias,
          peer_svm: peerSvm,
          peer: cluster.uuid,
          state: 'peered',
          applications,
        });
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
    if (name && name !== p.name && aliasTaken(state, name))
      throw invalid(`"${name}" is already an SVM or SVM peer name on this cluster`, 'name');
    if (name) p.name = name;
    state.changed();
    res.json({});
  });

  router.delete('/svm/peers/:uuid', async (req, res) => {
    const p = peerOf(param(req, 'uuid'));
    const used = relationshipsThrough(state, p);
    if (used)
      throw conflict(
        ONTAP_ERROR.PEER_IN_USE,
        `SVM peer "${p.name}" is used by ${used} SnapMirror relationship(s)`,
        'uuid',
      );
    const cluster = state.clusterPeers.get(p.peer);
    // A local peer goes with its twin (the other SVM's record).
    if (isLocalPeer(p)) for (const twin of localTwins(state, p)) state.svmPeers.delete(twin.uuid);
    // The other side forgets its half too when it can be reached; an unreachable peer does not keep this one.
    if (cluster)
      await callPeer(ctx, cluster, { method: 'DELETE', path: `/intercluster/svm-peers/${p.uuid}` }).catch(
        (err: unknown) => {
          if (err instanceof PeerRefused && err.code === ONTAP_ERROR.PEER_IN_USE)
            throw new OntapError(409, err.code, err.message);
        },
      );
    state.svmPeers.delete(p.uuid);
    state.changed();
    res.json({});
  });

  return router;
}

/** The other side's half of an SVM peer (intercluster call from `cluster`). */
/** Whether a name already means an SVM of this cluster, or a peer SVM by its local name. */
function aliasTaken(state: OntapState, name: string): boolean {
  return (
    [...state.svms.values()].some((s) => s.name === name) || [...state.svmPeers.values()].some((p) => p.name === name)
  );
}

export function acceptSvmPeer(ctx: SimContext, cluster: ClusterPeerRecord, body: Json): void {
  const { state } = ctx;
  const svm = resolve(state.svms.values(), { name: String(body.svm ?? '') }, 'peer.svm', 'SVM');
  const peerSvm = String(body.peer_svm ?? '');
  if ([...state.svmPeers.values()].some((p) => p.svm === svm.uuid && p.peer === cluster.uuid && p.peer_svm === peerSvm))
    return;
  // The accepting administrator gives a clashing peer a local name (PATCH name renames it); the simulator accepts at
  // once, so it picks one: the SVM's name and its cluster's.
  const alias = aliasTaken(state, peerSvm) ? `${peerSvm}_${cluster.name}` : peerSvm;
  state.svmPeers.set(String(body.uuid), {
    uuid: String(body.uuid),
    seq: state.nextSeq(),
    svm: svm.uuid,
    name: alias,
    peer_svm: peerSvm,
    peer: cluster.uuid,
    state: 'peered',
    applications: applicationsOf(body.applications),
  });
  state.changed();
}

export function forgetSvmPeer(ctx: SimContext, uuid: string): void {
  const p = ctx.state.svmPeers.get(uuid);
  if (!p) return;
  const used = relationshipsThrough(ctx.state, p);
  if (used)
    throw conflict(
      ONTAP_ERROR.PEER_IN_USE,
      `SVM peer "${p.name}" is used by ${used} SnapMirror relationship(s) on the peer cluster`,
      'uuid',
    );
  ctx.state.svmPeers.delete(uuid);
  ctx.state.changed();
}

/** Both records of a new local SVM peer: one for each SVM, each naming the other. */
function planLocalPeer(
  state: OntapState,
  svm: SvmRecord,
  peerSvm: string,
  alias: string,
  applications: string[],
): [SvmPeerRecord, SvmPeerRecord] {
  const other = resolve(state.svms.values(), { name: peerSvm }, 'peer.svm.name', 'SVM');
  if (other.uuid === svm.uuid) throw invalid(`SVM "${svm.name}" cannot be peered with itself`, 'peer.svm.name');
  if ([...state.svmPeers.values()].some((p) => isLocalPeer(p) && p.svm === svm.uuid && p.peer_svm === other.name))
    throw duplicate(`SVM "${svm.name}" is already peered with local SVM "${other.name}"`, 'peer.svm.name');
  const record = (from: SvmRecord, to: SvmRecord, name: string): SvmPeerRecord => ({
    uuid: state.newUuid(),
    seq: 0,
    svm: from.uuid,
    name,
    peer_svm: to.name,
    peer: '',
    state: 'peered',
    applications,
  });
  return [record(svm, other, alias), record(other, svm, svm.name)];
}

function addLocalPeer(state: OntapState, ...records: SvmPeerRecord[]): void {
  for (const r of records) state.svmPeers.set(r.uuid, { ...r, seq: state.nextSeq() });
  state.changed();
}

/** The other SVM's record of a local peer. */
const localTwins = (state: OntapState, p: SvmPeerRecord): SvmPeerRecord[] => {
  const svm = state.svm(p.svm).name;
  const other = [...state.svms.values()].find((s) => s.name === p.peer_svm);
  return [...state.svmPeers.values()].filter((x) => isLocalPeer(x) && x.svm === other?.uuid && x.peer_svm === svm);
};
