/** GET /log: the plugin's own logs as a zip. */
import { Router } from 'express';
import { buildLogArchive } from '../../logs/archive';

export function logRoutes(logDir: string): Router {
  return Router().get('/log', async (req, res) => {
    const zip = await buildLogArchive(logDir);
    const type = req.accepts(['application/zip', 'application/octet-stream']) || 'application/zip';
    res.status(200).type(type).set('Content-Disposition', 'attachment; filename="storage-plugin-logs.zip"').send(zip);
  });
}
