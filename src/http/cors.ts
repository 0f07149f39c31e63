/** CORS: off unless origins are configured; then only those origins get the headers (and preflights are answered). */
import type { RequestHandler } from 'express';

export function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin || !allowed.has(origin)) return next();
    res.vary('Origin');
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', 'Location, Retry-After');
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
      res.set('Access-Control-Allow-Headers', 'Content-Type, Accept, Authorization, x-storageplugin-sessionid');
      res.set('Access-Control-Max-Age', '600');
      return void res.status(204).end();
    }
    next();
  };
}
