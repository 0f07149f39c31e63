// Seed sections 2-6: system info and init, users, network interfaces, target ports, disks.
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalid } from '../errors';
import { NETWORK_SERVICES } from '../state/model';
import { finishInit, rescanDisks } from '../state/pools';
import { bodyOf, optBool, param, query, requireString, stringList } from '../validate';
import { diskView, networkView, systemView, userView } from '../views';

/** How long an async init (seed 2.2) stays "Initializing" before it is "Ready". */
export const ASYNC_INIT_MS = 200;

export function systemRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/system', (_req, res) => {
    res.json(systemView(state));
  });

  // Init on a system that is initializing or ready answers its status: a retried init is harmless.
  router.post('/system', (req, res) => {
    const body = bodyOf(req);
    const action = requireString(body, 'action');
    if (action !== 'init') throw invalid(`Invalid action "${action}" for the system: use init`);
    const async = optBool(body, 'async') ?? false;
    const multipool = optBool(body, 'multipool') ?? false;
    const skipPool = optBool(body, 'skip_pool') ?? false;
    if (state.system.init_status === 'Not Initialized') {
      state.system.multipool = multipool;
      if (async) {
        state.system.init_status = 'Initializing';
        state.changed();
        ctx.later(ASYNC_INIT_MS, () => finishInit(state, skipPool));
      } else {
        finishInit(state, skipPool);
      }
    }
    res.json(systemView(state));
  });

  router.get('/user', (_req, res) => {
    const admins = ctx.users.filter((u) => u.admin);
    res.json({ total: admins.length, users: admins.map(userView) });
  });

  router.get('/network', (_req, res) => {
    res.json({ networks: state.networks.map(networkView), total: state.networks.length });
  });

  router.get('/network/:id', (req, res) => {
    res.json(networkView(state.network(param(req, 'id'))));
  });

  router.put('/network/:id', (req, res) => {
    const network = state.network(param(req, 'id'));
    const services = stringList(bodyOf(req), 'services', true) ?? [];
    const unknown = services.find((s) => s !== 'all' && !(NETWORK_SERVICES as readonly string[]).includes(s));
    if (unknown !== undefined) throw invalid(`Invalid service "${unknown}": use all, ${NETWORK_SERVICES.join(', ')}`);
    network.services = services.includes('all')
      ? [...NETWORK_SERVICES]
      : NETWORK_SERVICES.filter((s) => services.includes(s));
    state.changed();
    res.json(networkView(network));
  });

  router.get('/target', (_req, res) => {
    res.json({ targets: [{ type: 'iqn', wwn: `iqn.2017-08.com.catalogic.vsnap:${state.system.id}` }], total: 1 });
  });

  router.get('/disk', (req, res) => {
    const usedAs = query(req, 'used_as');
    const disks = state.disks.filter((d) => d.attached && (usedAs === undefined || d.used_as === usedAs));
    res.json({ disks: disks.map(diskView), total: disks.length });
  });

  router.post('/disk', (req, res) => {
    const action = requireString(bodyOf(req), 'action');
    if (action !== 'rescan') throw invalid(`Invalid action "${action}" for disks: use rescan`);
    rescanDisks(state);
    res.json({});
  });

  return router;
}
