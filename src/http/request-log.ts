/** Lean request logging: one line per request with method, path, status and time; never headers or bodies. */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { RequestContext } from './context';

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Read now: a HEAD is served as its GET further on (see headAsGet).
    const method = req.method;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const c = res.locals.ctx as RequestContext | undefined;
      // The path without the query: ids are in the path, nothing secret is. The URL is split by hand:
      // req.query re-parses the query string on every read in Express 5.
      const url = req.originalUrl;
      const q = url.indexOf('?');
      const action = q < 0 ? undefined : (new URLSearchParams(url.slice(q + 1)).get('action') ?? undefined);
      logger.info(
        {
          method,
          path: q < 0 ? url : url.slice(0, q),
          action,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          session: c?.session.tag,
        },
        'request',
      );
    });
    next();
  };
}
