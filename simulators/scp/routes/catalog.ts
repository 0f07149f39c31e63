// GET /iam/v1/endpoints: the account's endpoint catalog, as SCP's IAM serves it to the SDK (client/catalog.go reads
// `{endpoints: [{region, service_type, service_name, url}]}`), signed like every call. A simulator process plays one
// cloud, so each of its regions answers it; regions of this process are listed at the host name the caller used.
import { Router } from 'express';
import type { RegionContext } from '../context';

export function catalogRoutes(ctx: RegionContext): Router {
  const router = Router();
  router.get('/iam/v1/endpoints', (req, res) => {
    const endpoints = [...ctx.cloud.all(req.hostname)].map(([region, url]) => ({
      region,
      service_type: 'filestorage',
      service_name: 'File Storage',
      url,
    }));
    res.json({ endpoints });
  });
  return router;
}
