/** GET /log: the plugin's own logs as a zip. */
import { Router } from 'express';
import type { Logger } from 'pino';
import { buildLogArchive } from '../../logs/archive';

/** Writes out what the loggers still buffer, so the archive holds everything logged so far. */
function flush(loggers: Logger[]): Promise<unknown> {
  return Promise.all(loggers.map((l) => new Promise<void>((resolve) => l.flush(() => resolve()))));
}

export function logRoutes(logDir: string, loggers: Logger[], router: Router = Router()): Router {
  return router.get('/log', async (req, res) => {
    await flush(loggers);
    const zip = await buildLogArchive(logDir);
    const type = req.accepts(['application/zip', 'application/octet-stream']) || 'application/zip';
    res.status(200).type(type).set('Content-Disposition', 'attachment; filename="storage-plugin-logs.zip"').send(zip);
  });
}
