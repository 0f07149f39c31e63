/** POST /session logs in to an array and opens a session; DELETE /session ends it. */
import { type Request, type RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { ArrayIdentity, BackendDefinition, BackendDriver } from '../../backend';
import type { Allowlist } from '../../domain/allowlist';
import { StorageError } from '../../domain/errors';
import { canonicalHost, hostProblem } from '../../domain/hosts';
import type { ArrayTarget, Credentials } from '../../domain/types';
import { sessionTag } from '../../sessions/crypto';
import type { SessionStore } from '../../sessions/store';
import { arrayLabel } from '../../logs/array-label';
import { ctx } from '../context';
import type { LoginGuard } from '../rate-limit';
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

/** Who may log in where, and how often (see rate-limit.ts and ARRAY_ALLOWLIST). */
export interface LoginPolicy {
  allowlist: Allowlist;
  /** Counts every call of the route, whichever spelling of its path reached it. */
  rateLimit: RequestHandler;
  guard: LoginGuard;
}

/** The array named by the body: each address field checked in code too (a URL is built from it). */
function targetOf(req: Request, defaultPort: number): ArrayTarget {
  const body = req.body as { hostname?: unknown; ipAddress?: unknown; port?: number };
  for (const field of ['hostname', 'ipAddress'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    const why = typeof value === 'string' ? hostProblem(value) : 'must be a string';
    if (why)
      throw new StorageError('BAD_REQUEST', `${field} ${why}`, { details: [{ path: `body.${field}`, message: why }] });
  }
  const target = { hostname: body.hostname as string | undefined, ipAddress: body.ipAddress as string | undefined };
  if (!target.hostname && !target.ipAddress)
    throw new StorageError('BAD_REQUEST', 'the body must name the array: hostname or ipAddress', {
      details: [{ path: 'body', message: 'hostname or ipAddress is required' }],
    });
  return { ...target, port: body.port ?? defaultPort };
}

/**
 * A failed login as the caller sees it. Only the array refusing the credentials is told apart: whatever else
 * happened (nothing listening, something that is not HTTP, another web service, a timeout) answers one fixed body, so
 * the plugin cannot be used to map what listens where. The cause stays in the plugin's own log.
 */
function loginFailure(err: unknown, backend: BackendDefinition): StorageError {
  if (err instanceof StorageError && err.code === 'SESSION_STORE_UNAVAILABLE') return err;
  if (err instanceof StorageError && err.code === 'UNAUTHORIZED')
    return new StorageError('UNAUTHORIZED', 'the array refused the credentials', { cause: err });
  return new StorageError(
    'BACKEND_UNAVAILABLE',
    `no ${backend.displayName} answered the login at that address and port; check them and that the array is up`,
    { cause: err },
  );
}

export function sessionRoutes(
  backend: BackendDefinition,
  driver: BackendDriver,
  store: SessionStore,
  logger: Logger,
  policy: LoginPolicy,
  router: Router = Router(),
): Router {
  router.post('/session', policy.rateLimit, async (req, res) => {
    const target = targetOf(req, backend.defaultPort);
    const credentials = credentialsOf(req);
    // The address the adapters connect to (ipAddress before hostname) is the one checked and counted.
    const host = (target.ipAddress ?? target.hostname)!;
    if (!policy.allowlist.allows(host, target.port!))
      throw new StorageError(
        'ARRAY_NOT_ALLOWED',
        `the plugin is not allowed to reach ${host} port ${target.port} (ARRAY_ALLOWLIST)`,
      );
    const client = req.ip ?? 'unknown';
    const counted = `${backend.name}:${canonicalHost(host)}:${target.port}`;
    await policy.guard.check(client, counted);
    // Lines about this login (a refusal included) name the array: only sessions on it see them in GET /log.
    const array = arrayLabel(backend.name, target);
    res.locals.array = array;
    let identity: ArrayIdentity;
    try {
      identity = await driver.login(target, credentials, callOf(res));
    } catch (err) {
      await policy.guard.failed(client, counted);
      throw loginFailure(err, backend);
    }
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
    // The created resource is the session itself: its URI (DELETE ends it) is the one this request was sent to.
    res.status(201).location(`${req.baseUrl}${req.path}`).json({ sessionId, storageId: identity.storageId });
  });

  router.delete('/session', async (_req, res) => {
    const { session } = ctx(res);
    await store.delete(session.id);
    logger.info({ requestId: requestIdOf(res), session: session.tag }, 'session ended');
    res.status(204).end();
  });

  return router;
}
