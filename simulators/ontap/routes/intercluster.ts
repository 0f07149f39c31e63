// /intercluster: what one simulated cluster asks of a peered one (peering, SVM peers, relationship sides, transfer
// start/data/commit/end/abort). Not ONTAP's REST API: the stand-in for its intercluster protocol.
import { timingSafeEqual } from 'node:crypto';
import { type Request, type RequestHandler, Router } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, conflict, invalid, notFound } from '../errors';
import { jsonBody, readBody } from '../http';
import { localEnd, localVolume } from '../state/relationships';
import { beginSegment, commitSegment, finish, receiveChunk } from '../state/transfer-receive';
import { abortSending, startSending } from '../state/transfer-send';
import type { ClusterPeerRecord, EndpointRecord, RelationshipRecord } from '../state/model';
import { sendAnswer } from '../state/intercluster-link';
import { acceptPeer } from './cluster-peers';
import { acceptSvmPeer, forgetSvmPeer } from './svm-peers';
import { param, resolve } from '../validate';

type Json = Record<string, unknown>;
const CHUNK_LIMIT = 1024 * 1024;

/** The calling cluster, from the bearer token peering gave it. */
function peerCalling(ctx: SimContext, req: Request): ClusterPeerRecord {
  const token = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const given = Buffer.from(token);
  const peer = [...ctx.state.clusterPeers.values()].find(
    (p) => p.token && p.token.length === token.length && timingSafeEqual(Buffer.from(p.token), given),
  );
  if (!peer)
    throw new OntapError(401, ONTAP_ERROR.NOT_AUTHORIZED, 'Intercluster call from a cluster that is not a peer');
  return peer;
}

const body = (req: Request): Json => (req.body ?? {}) as Json;
const num = (v: unknown, field: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw invalid(`Bad ${field}`, field);
  return n;
};

export function interclusterRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const json = jsonBody();
  const authed: RequestHandler = (req, _res, next) => {
    (req as Request & { peer?: ClusterPeerRecord }).peer = peerCalling(ctx, req);
    next();
  };
  const peerOf = (req: Request): ClusterPeerRecord => (req as Request & { peer: ClusterPeerRecord }).peer;
  /** A relationship this cluster holds with the calling peer. */
  const relOf = (req: Request, role: RelationshipRecord['role']): RelationshipRecord => {
    const rel = state.relationships.get(param(req, 'uuid'));
    if (!rel || rel.role !== role || rel.peer !== peerOf(req).uuid)
      throw notFound(`Relationship "${req.params.uuid}" not found on cluster "${state.cluster.name}"`, 'uuid');
    return rel;
  };
  const transferOf = (req: Request) => {
    const t = state.transfers.get(param(req, 'uuid'));
    const rel = t && state.relationships.get(t.relationship);
    if (!t || !rel || rel.peer !== peerOf(req).uuid)
      throw notFound(`Transfer "${req.params.uuid}" not found on cluster "${state.cluster.name}"`, 'uuid');
    return t;
  };

  router.get('/ping', authed, (_req, res) => {
    res.json({ name: state.cluster.name, uuid: state.cluster.uuid });
  });
  // Authenticated by the passphrase itself: the caller has no token yet.
  router.post('/peer/accept', json, (req, res) => {
    res.json(acceptPeer(ctx, body(req)));
  });

  router.post('/svm-peers', authed, json, (req, res) => {
    acceptSvmPeer(ctx, peerOf(req), body(req));
    res.status(201).json({});
  });
  router.delete('/svm-peers/:uuid', authed, (req, res) => {
    forgetSvmPeer(ctx, param(req, 'uuid'));
    res.json({});
  });

  // The source's side of a relationship the peer (its destination) creates.
  router.post('/relationships', authed, json, (req, res) => {
    const b = body(req);
    const peer = peerOf(req);
    const src = (b.source ?? {}) as { svm?: string; volume?: string };
    const destination = b.destination as EndpointRecord;
    const svm = resolve(state.svms.values(), { name: src.svm ?? '' }, 'source.path', 'SVM');
    const volume = localVolume(state, svm, src.volume ?? '', 'source.path');
    const peered = [...state.svmPeers.values()].some(
      (p) => p.svm === svm.uuid && p.peer === peer.uuid && p.peer_svm === destination.svm,
    );
    if (!peered)
      throw invalid(
        `SVM "${svm.name}" of cluster "${state.cluster.name}" is not peered with SVM "${destination.svm}" of cluster "${peer.name}"`,
        'source.path',
      );
    const source = localEnd(state, svm, volume);
    const uuid = String(b.uuid);
    if (!state.relationships.has(uuid)) {
      state.relationships.set(uuid, {
        uuid,
        seq: state.nextSeq(),
        role: 'source',
        source,
        destination: { ...destination, volume_uuid: undefined },
        peer: peer.uuid,
        policy: String(b.policy ?? ''),
        state: 'snapmirrored',
        created_snapshots: 0,
        create_time: Date.now(),
      });
      state.changed();
    }
    res.status(201).json({ source });
  });
  router.delete('/relationships/:uuid', authed, (req, res) => {
    const rel = relOf(req, 'source');
    if (ctx.sending.size && state.transfersOf(rel.uuid).some((t) => ctx.sending.has(t.uuid)))
      throw conflict(ONTAP_ERROR.TRANSFER_IN_PROGRESS, `A transfer is in progress on relationship "${rel.uuid}"`);
    state.relationships.delete(rel.uuid);
    for (const t of state.transfersOf(rel.uuid)) state.transfers.delete(t.uuid);
    state.changed();
    res.json({});
  });

  // Transfers: the destination asks, the source pushes.
  router.post('/relationships/:uuid/transfers', authed, json, (req, res) => {
    const rel = relOf(req, 'source');
    const b = body(req);
    const t = startSending(ctx, rel, {
      uuid: String(b.uuid),
      ...(typeof b.source_snapshot === 'string' ? { source_snapshot: b.source_snapshot } : {}),
      create: b.create === true,
      pick: b.pick === 'all' || b.pick === 'latest' ? b.pick : 'labels',
      labels: Array.isArray(b.labels) ? b.labels.map(String) : [],
      throttle: num(b.throttle ?? 0, 'throttle'),
      type: b.type === 'initialize' || b.type === 'resync' ? b.type : 'update',
    });
    res.status(201).json(sendAnswer(t));
  });
  router.post('/transfers/:uuid/abort', authed, (req, res) => {
    abortSending(ctx, transferOf(req).uuid, 'the destination aborted it');
    res.json({});
  });
  router.post('/transfers/:uuid/begin', authed, json, (req, res) => {
    const b = body(req);
    beginSegment(ctx, transferOf(req).uuid, num(b.segment, 'segment'), b.manifest as never);
    res.json({});
  });
  router.put('/transfers/:uuid/data', authed, async (req, res) => {
    const t = transferOf(req);
    const data = await readBody(req, CHUNK_LIMIT);
    receiveChunk(ctx, t.uuid, num(req.query.segment, 'segment'), num(req.query.offset, 'offset'), data);
    res.json({});
  });
  router.post('/transfers/:uuid/commit', authed, json, (req, res) => {
    commitSegment(ctx, transferOf(req).uuid, num(body(req).segment, 'segment'));
    res.json({});
  });
  router.post('/transfers/:uuid/end', authed, json, (req, res) => {
    const b = body(req);
    const outcome = b.state === 'success' || b.state === 'aborted' || b.state === 'hard_aborted' ? b.state : 'failed';
    finish(
      ctx,
      transferOf(req),
      outcome,
      typeof b.message === 'string' ? b.message : null,
      typeof b.bytes === 'number' ? b.bytes : undefined,
    );
    res.json({});
  });

  return router;
}
