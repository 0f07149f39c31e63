/** GET /log: the plugin's own logs as a zip, streamed: the lines about the caller's array and about none, newest first. */
import { pipeline } from 'node:stream';
import { Router } from 'express';
import type { Logger } from 'pino';
import { logArchive } from '../../logs/archive';
import { arrayLabel, lineVisibleTo } from '../../logs/array-label';
import { ctx } from '../context';

/** Writes out what the loggers still buffer, so the archive holds everything logged so far. */
function flush(loggers: Logger[]): Promise<unknown> {
  return Promise.all(loggers.map((l) => new Promise<void>((resolve) => l.flush(() => resolve()))));
}

export interface LogRouteOptions {
  /** Most bytes of log one download reads, newest first (LOG_DOWNLOAD_MAX_SIZE). @default 100 MiB */
  maxBytes?: number;
}

export function logRoutes(
  logDir: string,
  loggers: Logger[],
  router: Router = Router(),
  opts: LogRouteOptions = {},
): Router {
  return router.get('/log', async (req, res) => {
    const { record } = ctx(res).session;
    await flush(loggers);
    const zip = await logArchive(logDir, {
      maxBytes: opts.maxBytes ?? 100 * 1024 ** 2,
      keep: lineVisibleTo(arrayLabel(record.backend, record.target)),
    });
    const type = req.accepts(['application/zip', 'application/octet-stream']) || 'application/zip';
    res.status(200).type(type).set('Content-Disposition', 'attachment; filename="storage-plugin-logs.zip"');
    // A file that cannot be read half-way ends the download short (the client sees a broken zip), never the plugin.
    pipeline(zip, res, () => undefined);
  });
}
