/** POST /session logs in to an array and opens a session; DELETE /session ends it. */
import { type Request, Router } from 'express';
import type { Logger } from 'pino';
import type { BackendDefinition, BackendDriver } from '../../backend';
import { StorageError } from '../../domain/errors';
import type { ArrayTarget, Credentials } from '../../domain/types';
import { sessionTag } from '../../sessions/crypto';
import type { SessionStore } from '../../sessions/store';
import { arrayLabel } from '../../logs/array-label';
import { ctx } from '../context';
import { callOf, requestIdOf } from '../request-frame';

/** Array credentials from HTTP Basic (preferred) or from username/password in the body. */
export function credentialsOf(req: Request): Credentials {
  const auth = req.get('authorization');
  if (auth) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new StorageError('UNAUTHORIZED', 'the Authorization header must be HTTP Basic with username:password');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const { username, password } = req.body as { username?: string; password?: string };
  if (typeof username === 'string' && username && typeof password === 'string') return { username, password };
  throw new StorageError(
    'UNAUTHORIZED',
    'array credentials are required: send HTTP Basic Authorization, or username and password in the body',
  );
}

export function sessionRoutes(
  backend: BackendDefinition,
  driver: BackendDriver,
  store: SessionStore,
  logger: Logger,
  router: Router = Router(),
): Router {
  router.post('/session', async (req, res) => {
    const credentials = credentialsOf(req);
    const body = req.body as { hostname?: string; ipAddress?: string; port?: number };
    const target: ArrayTarget = {
      hostname: body.hostname,
      ipAddress: body.ipAddress,
      port: body.port ?? backend.defaultPort,
    };
    // Lines about this login (a refusal included) name the array: only sessions on it see them in GET /log.
    const array = arrayLabel(backend.name, target);
    res.locals.array = array;
    const identity = await driver.login(target, credentials, callOf(res));
    const sessionId = await store.create({
      backend: backend.name,
      identity,
      target,
      credentials,
      createdAt: Date.now(),
    });
    logger.info(
      {
        requestId: requestIdOf(res),
        session: sessionTag(sessionId),
        array,
        user: credentials.username,
      },
      'session created',
    );
    res.status(201).json({ sessionId, storageId: identity.storageId });
  });

  router.delete('/session', async (_req, res) => {
    const { session } = ctx(res);
    await store.delete(session.id);
    logger.info({ requestId: requestIdOf(res), session: session.tag }, 'session ended');
    res.status(204).end();
  });

  return router;
}
