// /api/snapmirror/relationships and their transfers: created and driven on the destination cluster; the source cluster
// lists its side with list_destinations_only=true (an intra-cluster relationship is listed both ways).
import { type Request, type Response, Router } from 'express';
import { type GroupEnds, groupEnds, groupRelationship, groupTransition } from '../state/group-relationships';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, invalid, invalidValue, notFound } from '../errors';
import { PeerRefused, callPeer } from '../state/intercluster-client';
import { linkOf } from '../state/intercluster-link';
import { answerAsync } from '../state/jobs';
import {
  checkDestination,
  checkNoTransfer,
  endVolume,
  isLocal,
  localEnd,
  localVolume,
  policyFor,
  relationshipView,
  splitPath,
  transferView,
  transitionTo,
} from '../state/relationships';
import { abortTransfer, startTransfer } from '../state/transfer-receive';
import type { EndpointRecord, RelationshipRecord, SvmPeerRecord, SvmRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf, queryOf } from '../query';
import { sorted } from '../state/state';
import { allowOnly, bodyOf, optInt, optObject, optRef, optString, param, resolve } from '../validate';
import { isLocalPeer } from './svm-peers';
import { RELATIONSHIP_DOCUMENTED, TRANSFER_DOCUMENTED, withDocumented } from '../documented';

const REF = { uuid: '', name: '' };
const END = { path: '', svm: { name: '' }, cluster: REF };
const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    source: END,
    destination: END,
    policy: { uuid: '', name: '', type: '' },
    state: '',
    healthy: true,
    unhealthy_reason: [{ code: '', message: '' }],
    lag_time: '',
    exported_snapshot: '',
    transfer: { uuid: '', state: '', bytes_transferred: 0, total_duration: '', last_updated_time: '', end_time: '' },
    throttle: 0,
    transfer_schedule: REF,
    group_type: '',
    _links: { self: { href: '' } },
  }),
  RELATIONSHIP_DOCUMENTED,
);
const TRANSFER_FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    relationship: { uuid: '', destination: { path: '' } },
    state: '',
    snapshot: '',
    bytes_transferred: 0,
    total_bytes: 0,
    total_duration: '',
    last_updated_time: '',
    end_time: '',
    throttle: 0,
    error_info: { code: 0, message: '' },
    _links: { self: { href: '' } },
  }),
  TRANSFER_DOCUMENTED,
);

export function relationshipRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const base = '/snapmirror/relationships';

  const relOf = (uuid: string): RelationshipRecord => state.relationship(uuid);
  const destinationOf = (uuid: string): RelationshipRecord => {
    const rel = relOf(uuid);
    if (rel.role !== 'destination')
      throw invalid(
        `This cluster is the source of relationship "${uuid}": run the operation on the destination cluster "${rel.destination.cluster}"`,
        'uuid',
      );
    return rel;
  };
  /** The source end on this cluster: the destination's own SVM, or a local SVM peer of it by its alias. */
  const localSource = (dstSvm: SvmRecord, src: { svm: string; volume: string }): EndpointRecord | undefined => {
    const alias =
      dstSvm.name === src.svm
        ? undefined
        : [...state.svmPeers.values()].find((p) => isLocalPeer(p) && p.svm === dstSvm.uuid && p.name === src.svm);
    if (dstSvm.name !== src.svm && !alias) return undefined;
    const svm = alias ? resolve(state.svms.values(), { name: alias.peer_svm }, 'source.path', 'SVM') : dstSvm;
    return localEnd(state, svm, localVolume(state, svm, src.volume, 'source.path'));
  };
  /** A remote source registers its side first: it checks its volume and its half of the SVM peer. */
  const registerSource = (
    svmPeer: SvmPeerRecord,
    uuid: string,
    volume: string,
    destination: EndpointRecord,
    policy: string,
  ): Promise<EndpointRecord> =>
    callPeer<{ source: EndpointRecord }>(ctx, state.clusterPeers.get(svmPeer.peer)!, {
      method: 'POST',
      path: '/intercluster/relationships',
      body: { uuid, source: { svm: svmPeer.peer_svm, volume }, destination, policy },
    }).then(
      (answer) => answer.source,
      (err: unknown) => {
        if (err instanceof OntapError)
          throw new OntapError(err instanceof PeerRefused ? err.status : 400, err.code, err.message, err.target);
        throw err;
      },
    );

  /** The common settings of a create or modify: policy, throttle, transfer schedule. */
  const settingsOf = (body: Json, dstSvm: SvmRecord) => {
    const policyRef = optRef(body, 'policy');
    const scheduleRef = body.transfer_schedule === null ? null : optRef(body, 'transfer_schedule');
    return {
      policy: policyRef ? policyFor(state, policyRef, dstSvm) : undefined,
      throttle: optInt(body, 'throttle'),
      scheduleRef,
      schedule: scheduleRef
        ? resolve(state.schedules.values(), scheduleRef, 'transfer_schedule', 'Schedule')
        : undefined,
    };
  };

  /** SVM DR or a consistency group: recorded and counted by the policy rules; no data moves. */
  const createGroup = async (req: Request, res: Response, body: Json, g: GroupEnds): Promise<void> => {
    const dstSvm = resolve(state.svms.values(), { name: g.destination.svm }, 'destination.path', 'SVM');
    const peer = [...state.svmPeers.values()].find((p) => p.svm === dstSvm.uuid && p.name === g.source.svm);
    if (!peer && !(g.endpoint === 'consistency_group' && g.source.svm === dstSvm.name))
      throw invalid(
        `SVM "${g.source.svm}" is not a peer of SVM "${dstSvm.name}": create the SVM peer (POST /api/svm/peers) first`,
        'source.path',
      );
    const taken = [...state.relationships.values()].find(
      (r) => r.role === 'destination' && r.destination.path === g.destination.path,
    );
    if (taken)
      throw new OntapError(
        409,
        ONTAP_ERROR.RELATIONSHIP_EXISTS,
        `"${g.destination.path}" is already the destination of relationship "${taken.uuid}"`,
        'destination.path',
      );
    const s = settingsOf(body, dstSvm);
    const next = optString(body, 'state');
    if (next !== undefined && next !== 'snapmirrored' && next !== 'uninitialized') throw invalidValue('state', next);
    const uuid = state.newUuid();
    const rel = groupRelationship(
      state,
      g,
      dstSvm,
      peer,
      {
        uuid,
        policy: (s.policy ?? policyFor(state, undefined, dstSvm)).uuid,
        ...(s.throttle !== undefined ? { throttle: s.throttle } : {}),
        ...(s.schedule ? { transfer_schedule: s.schedule.uuid } : {}),
      },
      body.identity_preservation,
    );
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${uuid}`,
      plan: () => () => {
        rel.seq = state.nextSeq();
        if (next === 'snapmirrored') rel.state = 'snapmirrored';
        state.relationships.set(uuid, rel);
        state.changed();
      },
      created: true,
      record: { uuid },
      svm: dstSvm.uuid,
    });
  };

  const patchGroup = async (req: Request, res: Response, rel: RelationshipRecord, body: Json): Promise<void> => {
    allowOnly(body, [
      'state',
      'policy.name',
      'policy.uuid',
      'throttle',
      'transfer_schedule.name',
      'transfer_schedule.uuid',
      'transfer_schedule',
    ]);
    const s = settingsOf(body, resolve(state.svms.values(), { name: rel.destination.svm }, 'destination.path', 'SVM'));
    const next = optString(body, 'state');
    if (next !== undefined) groupTransition({ ...rel }, next); // refused now, not in the job
    await answerAsync(req, res, ctx, {
      description: `PATCH /api${base}/${rel.uuid}`,
      plan: () => () => {
        if (next !== undefined) groupTransition(rel, next);
        if (s.policy) rel.policy = s.policy.uuid;
        if (s.throttle !== undefined) rel.throttle = s.throttle;
        if (s.scheduleRef === null) delete rel.transfer_schedule;
        else if (s.schedule) rel.transfer_schedule = s.schedule.uuid;
        state.changed();
      },
    });
  };

  router.get(base, (req, res) => {
    const role = queryOf(req).get('list_destinations_only') === 'true' ? 'source' : 'destination';
    answerCollection(
      req,
      res,
      {
        href: `/api${base}`,
        records: () => sorted(state.relationships.values()).filter((r) => r.role === role || isLocal(r)),
        view: (r) => relationshipView(state, r),
        fields: FIELDS,
        keys: ['uuid'],
      },
      ctx.settings,
    );
  });
  router.get(`${base}/:uuid`, (req, res) =>
    answerRecord(req, res, relationshipView(state, relOf(param(req, 'uuid'))), FIELDS, ['uuid']),
  );

  router.post(base, async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, [
      'source.path',
      'source.cluster.name',
      'source.cluster.uuid',
      'destination.path',
      'policy.name',
      'policy.uuid',
      'state',
      'throttle',
      'transfer_schedule.name',
      'transfer_schedule.uuid',
      'identity_preservation',
      'source.consistency_group_volumes',
      'destination.consistency_group_volumes',
    ]);
    const group = groupEnds(body);
    if (group) {
      await createGroup(req, res, body, group);
      return;
    }
    const src = splitPath((optObject(body, 'source') ?? {}).path, 'source.path');
    const dst = splitPath((optObject(body, 'destination') ?? {}).path, 'destination.path');
    const dstSvm = resolve(state.svms.values(), { name: dst.svm }, 'destination.path', 'SVM');
    const dstVolume = localVolume(state, dstSvm, dst.volume, 'destination.path');
    checkDestination(state, dstVolume);
    // The source SVM is a peer SVM of the destination's on a peered cluster; or, on this cluster (intra-cluster
    // SnapMirror), the destination's SVM itself or a local SVM peer of it. A remote peer wins an ambiguous name.
    const clusterName = optRef(optObject(body, 'source') ?? {}, 'cluster')?.name;
    const here = clusterName === state.cluster.name;
    const svmPeer = here
      ? undefined
      : [...state.svmPeers.values()].find(
          (p) =>
            !isLocalPeer(p) &&
            p.svm === dstSvm.uuid &&
            p.name === src.svm &&
            (!clusterName || state.clusterPeers.get(p.peer)?.name === clusterName),
        );
    const local = svmPeer || (clusterName && !here) ? undefined : localSource(dstSvm, src);
    if (!svmPeer && !local)
      throw invalid(
        `SVM "${src.svm}" is not a peer of SVM "${dstSvm.name}": create the SVM peer (POST /api/svm/peers) first`,
        'source.path',
      );
    if (local?.volume_uuid === dstVolume.uuid)
      throw invalid('The source and destination of a relationship are different volumes', 'destination.path');
    const policy = policyFor(state, optRef(body, 'policy'), dstSvm);
    const next = optString(body, 'state');
    if (next !== undefined && next !== 'snapmirrored' && next !== 'uninitialized') throw invalidValue('state', next);
    const throttle = optInt(body, 'throttle');
    // Interval schedules are accepted here (policies refuse them, 6619714, as ONTAP does): a simulator
    // extension so that tests can run scheduled updates seconds apart (logic/scheduler.ts runs them).
    const scheduleRef = optRef(body, 'transfer_schedule');
    const schedule = scheduleRef
      ? resolve(state.schedules.values(), scheduleRef, 'transfer_schedule', 'Schedule')
      : undefined;
    const uuid = state.newUuid();
    const destination = localEnd(state, dstSvm, dstVolume);
    const source = local ?? {
      ...(await registerSource(svmPeer!, uuid, src.volume, destination, policy.name)),
      path: `${src.svm}:${src.volume}`,
      volume_uuid: undefined,
    };
    const rel: RelationshipRecord = {
      uuid,
      seq: 0,
      role: 'destination',
      source,
      destination,
      ...(svmPeer ? { peer: svmPeer.peer } : {}),
      policy: policy.uuid,
      state: 'uninitialized',
      ...(throttle !== undefined ? { throttle } : {}),
      ...(schedule ? { transfer_schedule: schedule.uuid } : {}),
      created_snapshots: 0,
      create_time: Date.now(),
    };
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${uuid}`,
      plan: () => () => {
        rel.seq = state.nextSeq();
        state.relationships.set(uuid, rel);
        state.changed();
        // "state": "snapmirrored" on create also initializes, as ONTAP does.
        if (next === 'snapmirrored') void startTransfer(ctx, rel, { type: 'initialize' }).catch(() => undefined);
      },
      created: true,
      record: { uuid },
      svm: dstSvm.uuid,
    });
  });

  router.patch(`${base}/:uuid`, async (req, res) => {
    const rel = destinationOf(param(req, 'uuid'));
    const body = bodyOf(req);
    if (rel.endpoint) {
      await patchGroup(req, res, rel, body);
      return;
    }
    allowOnly(body, [
      'state',
      'policy.name',
      'policy.uuid',
      'throttle',
      'transfer_schedule.name',
      'transfer_schedule.uuid',
      'transfer_schedule',
    ]);
    const next = optString(body, 'state');
    const transition = next === undefined ? 'none' : transitionTo(state, rel, next);
    const policyRef = optRef(body, 'policy');
    const dstSvm = resolve(state.svms.values(), { name: rel.destination.svm }, 'destination.path', 'SVM');
    const policy = policyRef ? policyFor(state, policyRef, dstSvm) : undefined;
    const throttle = optInt(body, 'throttle');
    const scheduleRef = body.transfer_schedule === null ? null : optRef(body, 'transfer_schedule');
    const schedule = scheduleRef
      ? resolve(state.schedules.values(), scheduleRef, 'transfer_schedule', 'Schedule')
      : undefined;
    let failure: unknown;
    // initialize and resync start a transfer: the job succeeds once the source has taken it (it runs on).
    const apply = (): void => {
      if (policy) rel.policy = policy.uuid;
      if (throttle !== undefined) rel.throttle = throttle;
      if (scheduleRef === null) delete rel.transfer_schedule;
      else if (schedule) rel.transfer_schedule = schedule.uuid;
      const volume = endVolume(state, rel);
      if (transition === 'resume') rel.state = 'snapmirrored';
      if (transition === 'quiesce') rel.state = 'paused';
      if (transition === 'break') {
        rel.state = 'broken_off';
        volume.type = 'rw';
      }
      if (transition === 'resync') {
        // Back to a mirror: the volume is read-only again and returns to the common snapshot; newer snapshots here go.
        volume.type = 'dp';
        rel.state = 'snapmirrored';
      }
      state.changed();
    };
    try {
      apply();
      if (transition === 'initialize' || transition === 'resync') await startTransfer(ctx, rel, { type: transition });
    } catch (err) {
      failure = err;
    }
    await answerAsync(req, res, ctx, {
      description: `PATCH /api${base}/${rel.uuid}`,
      plan: () => () => {
        if (failure) throw failure;
      },
    });
  });

  router.delete(`${base}/:uuid`, async (req, res) => {
    const rel = relOf(param(req, 'uuid'));
    const q = queryOf(req);
    if (rel.role === 'source' && q.get('source_info_only') !== 'true') {
      throw invalid(
        `This cluster is the source of relationship "${rel.uuid}": delete it on the destination, or release this side with source_info_only=true`,
        'source_info_only',
      );
    }
    if (rel.role === 'destination') checkNoTransfer(state, rel);
    let failure: unknown;
    // Releasing the source side of an intra-cluster relationship leaves the one record to the destination side.
    const releaseOnly = isLocal(rel) && q.get('source_info_only') === 'true';
    // A group relationship has no source side in the simulator to release.
    if (rel.role === 'destination' && !rel.endpoint && q.get('destination_only') !== 'true' && !releaseOnly) {
      // The source releases its side; if it cannot be reached, destination_only=true deletes this side alone.
      await linkOf(ctx, rel)
        .release()
        .catch((err: unknown) => {
          failure =
            err instanceof OntapError
              ? new OntapError(
                  err.status >= 500 ? 409 : err.status,
                  err.code,
                  `${err.message}; use destination_only=true to delete the destination side alone`,
                )
              : err;
        });
    }
    await answerAsync(req, res, ctx, {
      description: `DELETE /api${base}/${rel.uuid}`,
      plan: () => {
        if (failure) throw failure;
        if (releaseOnly) return () => undefined;
        return () => {
          state.relationships.delete(rel.uuid);
          for (const t of state.transfersOf(rel.uuid)) state.transfers.delete(t.uuid);
          state.changed();
        };
      },
    });
  });

  // Transfers: listed on both sides (each keeps its record); started and aborted on the destination.
  router.get(`${base}/:uuid/transfers`, (req, res) => {
    const rel = relOf(param(req, 'uuid'));
    answerCollection(
      req,
      res,
      {
        href: `/api${base}/${rel.uuid}/transfers`,
        records: () => state.transfersOf(rel.uuid),
        view: (t) => transferView(state, t),
        fields: TRANSFER_FIELDS,
        keys: ['uuid'],
      },
      ctx.settings,
    );
  });
  router.get(`${base}/:uuid/transfers/:transfer`, (req, res) => {
    const rel = relOf(param(req, 'uuid'));
    const t = state.transfers.get(param(req, 'transfer'));
    if (!t || t.relationship !== rel.uuid) throw notFound(`Transfer "${param(req, 'transfer')}" not found`, 'uuid');
    answerRecord(req, res, transferView(state, t), TRANSFER_FIELDS, ['uuid']);
  });

  router.post(`${base}/:uuid/transfers`, async (req, res) => {
    const rel = destinationOf(param(req, 'uuid'));
    const body = bodyOf(req);
    allowOnly(body, ['source_snapshot', 'throttle', 'storage_efficiency_enabled']);
    if (rel.endpoint)
      throw invalid(
        `Relationship "${rel.uuid}" is an ${rel.endpoint === 'svm' ? 'SVM-DR' : 'consistency-group'} relationship: the simulator records it but transfers no data for it`,
        'uuid',
      );
    if (rel.state === 'paused' || rel.state === 'broken_off') {
      throw new OntapError(
        409,
        ONTAP_ERROR.RELATIONSHIP_STATE,
        `Relationship "${rel.uuid}" is ${rel.state}: ${rel.state === 'paused' ? 'resume it (state snapmirrored)' : 'resync it (state snapmirrored)'} before a transfer`,
        'state',
      );
    }
    const t = await startTransfer(ctx, rel, {
      source_snapshot: optString(body, 'source_snapshot'),
      throttle: optInt(body, 'throttle'),
      type: rel.state === 'uninitialized' ? 'initialize' : 'update',
    });
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${rel.uuid}/transfers/${t.uuid}`,
      plan: () => () => undefined,
      created: true,
      record: { uuid: t.uuid },
    });
  });

  router.patch(`${base}/:uuid/transfers/:transfer`, async (req, res) => {
    const rel = destinationOf(param(req, 'uuid'));
    const t = state.transfers.get(param(req, 'transfer'));
    if (!t || t.relationship !== rel.uuid) throw notFound(`Transfer "${param(req, 'transfer')}" not found`, 'uuid');
    const body = bodyOf(req);
    allowOnly(body, ['state']);
    const how = optString(body, 'state');
    if (how !== 'aborted' && how !== 'hard_aborted') throw invalidValue('state', how);
    await abortTransfer(ctx, t, how);
    res.json({});
  });

  return router;
}
