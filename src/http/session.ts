/** Session middleware: resolves x-storageplugin-sessionid to a stored session and an array connection. */
import type { RequestHandler } from 'express';
import type { BackendDefinition, BackendDriver } from '../backend';
import { StorageError } from '../domain/errors';
import { type CoordinationPolicy, StorageService } from '../domain/service';
import { sessionTag } from '../sessions/crypto';
import type { SessionRecord, SessionStore } from '../sessions/store';
import type { RequestContext } from './context';
import { arrayLabel } from '../logs/array-label';
import { callOf } from './request-frame';

export const SESSION_HEADER = 'x-storageplugin-sessionid';

/** Routes that need no session: plugin information, login and the spec itself (HEAD as GET). */
const PUBLIC = new Set(['GET /info', 'POST /session', 'GET /openapi.json']);

export function isPublic(method: string, path: string): boolean {
  return PUBLIC.has(`${method === 'HEAD' ? 'GET' : method} ${path.replace(/\/+$/, '') || '/'}`);
}

/** The array a session is on: the id it reports, and its address as the session names it. */
export const arrayKeyOf = (r: Pick<SessionRecord, 'identity' | 'target'>) =>
  `${r.identity.storageId}@${r.target.hostname ?? ''}/${r.target.ipAddress ?? ''}:${r.target.port ?? ''}`;

export function sessionMiddleware(
  store: SessionStore,
  backend: BackendDefinition,
  driver: BackendDriver,
  policy: (arrayKey: string) => CoordinationPolicy,
): RequestHandler {
  return async (req, res, next) => {
    if (isPublic(req.method, req.path)) return next();
    const id = req.get(SESSION_HEADER);
    if (!id)
      throw new StorageError(
        'UNAUTHORIZED',
        `the ${SESSION_HEADER} header is required; create a session with POST /session`,
      );
    const record = id.length <= 256 ? await store.get(id) : null;
    if (!record)
      throw new StorageError(
        'UNAUTHORIZED',
        'the session is unknown or has expired; create a new one with POST /session',
      );
    // Instances of other backends may share the Redis: their sessions hold another kind of array's credentials.
    if (record.backend !== backend.name)
      throw new StorageError(
        'UNAUTHORIZED',
        `the session was not opened on this plugin (which serves ${backend.displayName}); create a new one with POST /session`,
      );
    const context: RequestContext = {
      // The connection opens only if the call needs the array (e.g. not for a cached /storage).
      service: new StorageService(
        backend,
        () => driver.connect(record.target, record.credentials, record.identity, callOf(res)),
        { ...policy(arrayKeyOf(record)), deadline: callOf(res).deadline },
      ),
      session: { id, tag: sessionTag(id), record },
    };
    res.locals.ctx = context;
    // Every log line of this request names the array (GET /log shows a caller only its own array's lines).
    res.locals.array = arrayLabel(backend.name, record.target);
    next();
  };
}
