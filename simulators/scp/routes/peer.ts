// Region-to-region calls under /sim/peer (not part of the OpenAPI, which leaves how regions talk unsaid), signed with
// the account's key like any call:
//
//   POST   /sim/peer/replicas                               make the replica volume of a new replication
//   PUT    /sim/peer/replicas/<id>                          the source changed the policy or frequency
//   DELETE /sim/peer/replicas/<id>                          the other end deleted the replication
//   POST   /sim/peer/replicas/<id>/updates {update_id}      an update begins
//   PUT    /sim/peer/replicas/<id>/updates/<uid>/data?blocks=a-b,c   raw bytes, 4096 per listed block
//   POST   /sim/peer/replicas/<id>/updates/<uid>/points {kind: snapshot|head, name, created_at, length}
//   POST   /sim/peer/replicas/<id>/updates/<uid>/end {state, message}
import { Router } from 'express';
import type { RegionContext } from '../context';
import { notFound } from '../errors';
import { jsonBody, readBody } from '../http';
import type { ReplicaRequest } from '../state/replica';
import { forgetReplication, mirrorChange } from '../state/replication-changes';
import { param } from '../validate';

/** Largest data call: the source sends 64 KiB. */
const MAX_CHUNK = 1024 * 1024;

export function peerRoutes(ctx: RegionContext): Router {
  const { receiver, state } = ctx;
  const router = Router();
  const id = (req: { params: Record<string, unknown> }) => String(req.params.id);
  const rep = (rid: string) => {
    const r = state.replications.get(rid);
    if (!r) throw notFound(`Replication ${rid} not found in region ${ctx.name}`);
    return r;
  };

  router.post('/replicas', jsonBody(), (req, res) => {
    res.json(receiver.create(req.body as ReplicaRequest));
  });
  router.put('/replicas/:id', jsonBody(), (req, res) => {
    mirrorChange(ctx, rep(id(req)), req.body);
    res.json({});
  });
  router.delete('/replicas/:id', (req, res) => {
    forgetReplication(ctx, rep(id(req)));
    res.json({});
  });
  router.post('/replicas/:id/updates', jsonBody(), (req, res) => {
    receiver.begin(id(req), String(req.body?.update_id));
    res.json({});
  });
  router.put('/replicas/:id/updates/:uid/data', async (req, res) => {
    const data = await readBody(req, MAX_CHUNK);
    receiver.data(id(req), param(req, 'uid'), String(req.query.blocks ?? ''), data);
    res.json({ received: data.length });
  });
  router.post('/replicas/:id/updates/:uid/points', jsonBody(), (req, res) => {
    receiver.point(id(req), param(req, 'uid'), req.body);
    res.json({});
  });
  router.post('/replicas/:id/updates/:uid/end', jsonBody(), (req, res) => {
    receiver.end(id(req), param(req, 'uid'), req.body);
    res.json({});
  });
  return router;
}
