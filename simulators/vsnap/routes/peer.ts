// The partner-to-partner API under /api/peer: not in the vSnap guide, which leaves how partners talk to each other
// unsaid.
//
// Every call but the first is authenticated with a replication account one system created for the other
// at pairing (the admin accounts cannot call it, and a replication account can call nothing else):
//
//   POST   /api/peer/partner            {id, address, api_port, ssh_port, user, password}   (remote ADMIN credentials)
//          Register the caller as a partner. The callee first calls the caller back (GET /api/peer/hello
//          with the given account) to prove it can reach it, then answers {id, user, password}: its own
//          id and the account it created for the caller.
//   GET    /api/peer/hello                                  -> {id}
//   DELETE /api/peer/partner                                the caller removed us
//   POST   /api/peer/relationship       {id, vol_id, vol_name, pool_id, volume_type, size_total, size_block,
//                                        remote_pool_id, remote_vol_name, reuse} -> {vol_id, pool_id, vol_name}
//   DELETE /api/peer/relationship/<id>?preserve_replica=true|false
//   POST   /api/peer/session            {session_id, rel_id, snap_id, remote_snap_name, base_snap_id}
//          -> {remote_snap_id, incremental}; incremental only when the replica holds base_snap_id exactly
//   PUT    /api/peer/session/<id>/data?blocks=<ranges>   raw bytes: BLOCK_SIZE bytes per listed block index
//   POST   /api/peer/session/<id>/commit {length, snap_id, version_id} -> {snap_id, snap_name}
//   DELETE /api/peer/session/<id>                           drop what was staged (failed or canceled)
import { Router, type Response } from 'express';
import type { SimContext } from '../context';
import { NOT_FOUND_ERROR, sendError } from '../errors';
import { basicAuth, jsonBody, readBody } from '../http';
import { acceptPartner, partnerLeft, peerAuth } from '../state/partners';
import { acceptRelationship, relationshipLeft, truthy } from '../state/relationships';
import { TRANSFER_CHUNK } from '../state/transfer-plan';
import { bodyOf, param, query } from '../validate';

const caller = (res: Response): string => String(res.locals.partnerId);

export function peerRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const receiver = ctx.replication.receiver;
  const router = Router();

  router.post('/partner', basicAuth(ctx.users), jsonBody(), async (req, res) => {
    res.json(await acceptPartner(ctx, bodyOf(req)));
  });

  router.use(peerAuth(state));

  router.get('/hello', (_req, res) => {
    res.json({ id: state.system.id });
  });

  router.delete('/partner', (_req, res) => {
    partnerLeft(state, caller(res));
    res.json({});
  });

  router.post('/relationship', jsonBody(), (req, res) => {
    res.json(acceptRelationship(state, caller(res), bodyOf(req)));
  });

  router.delete('/relationship/:id', (req, res) => {
    relationshipLeft(ctx, caller(res), param(req, 'id'), truthy(query(req, 'preserve_replica')));
    res.json({});
  });

  router.post('/session', jsonBody(), (req, res) => {
    res.json(receiver.start(caller(res), bodyOf(req)));
  });

  router.put('/session/:id/data', async (req, res) => {
    const data = await readBody(req, TRANSFER_CHUNK);
    receiver.data(caller(res), param(req, 'id'), query(req, 'blocks') ?? '', data);
    res.json({ received: String(data.length) });
  });

  router.post('/session/:id/commit', jsonBody(), (req, res) => {
    res.json(receiver.commit(caller(res), param(req, 'id'), bodyOf(req)));
  });

  router.delete('/session/:id', (req, res) => {
    receiver.drop(caller(res), param(req, 'id'));
    res.json({});
  });

  router.use((req, res) => {
    sendError(res, 404, NOT_FOUND_ERROR, `No such endpoint: ${req.method} /api/peer${req.path}`);
  });

  return router;
}
