// The JSON-RPC endpoint POST /json-rpc/<version>[/]: envelope, version and method checks, access level, dispatch.
import type { Request, Response } from 'express';
import {
  RpcError,
  X_INTERNAL_ERROR,
  X_INVALID_PARAMETER,
  X_INVALID_REQUEST,
  X_PERMISSION_DENIED,
  X_UNKNOWN_API_METHOD,
  X_UNKNOWN_API_VERSION,
  errorBody,
} from './errors';
import { BodyTooLarge, readRaw } from './http';
import { tick } from './state/lifecycle';
import { API_VERSIONS } from './routes/cluster';
import { type MethodTable, isReadMethod } from './routes/types';
import type { ClusterAdmin } from './state/model';
import type { Params } from './params';
import type { ReplicationEngine } from './state/replication-engine';
import type { ElementState } from './state/state';

const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

type Id = string | number | null;

function reply(res: Response, id: Id, body: { result: unknown } | { error: RpcError }): void {
  const payload = 'result' in body ? { id, result: body.result } : { id, error: errorBody(body.error) };
  // Method errors are HTTP 200 too: only authentication failures change the status.
  res.status(200).type('application/json').send(JSON.stringify(payload));
}

/** The request object, parsed from the raw body whatever the Content-Type says. */
function parseRequest(text: string): { id: Id; method: string; params: Params } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RpcError(X_INVALID_REQUEST, 'The request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new RpcError(X_INVALID_REQUEST, 'The request must be a JSON object {method, params, id}');
  const { method, params, id } = body as Record<string, unknown>;
  if (typeof method !== 'string' || method === '') throw new RpcError(X_INVALID_REQUEST, "The request has no 'method'");
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    throw new RpcError(X_INVALID_PARAMETER, "'params' must be a JSON object");
  }
  return { id: typeof id === 'string' || typeof id === 'number' ? id : null, method, params: (params ?? {}) as Params };
}

/** Pulls the id out of a body that failed later checks, so the error still answers the right request. */
function idOf(text: string): Id {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/**
 * Accepts what real clients send: any known version (the SDK starts on 7.0), a trailing slash, no
 * `id`, no Content-Type.
 * Follows what real Element clients send (the official SDK, the Cinder and Trident drivers).
 */
export function rpcHandler(state: ElementState, methods: MethodTable, replication: ReplicationEngine) {
  return async (req: Request, res: Response): Promise<void> => {
    // Mounted at /json-rpc: the rest of the path is the version, with or without a trailing slash.
    const m = /^\/(\d+\.\d+)\/?$/.exec(req.path);
    if (!m) {
      res
        .status(404)
        .type('text/plain')
        .send(`No JSON-RPC endpoint at ${req.originalUrl}: use /json-rpc/<version>, e.g. /json-rpc/12.3`);
      return;
    }
    if (req.method !== 'POST') {
      res.status(405).setHeader('Allow', 'POST');
      res.type('text/plain').send('JSON-RPC requests are POSTed');
      return;
    }
    let text: string;
    try {
      text = (await readRaw(req, MAX_REQUEST_BYTES)).toString('utf8');
    } catch (err) {
      if (err instanceof BodyTooLarge) return void res.status(413).type('text/plain').send(err.message);
      throw err;
    }
    let id: Id = null;
    try {
      const request = parseRequest(text);
      id = request.id;
      if (!API_VERSIONS.includes(m[1]))
        throw new RpcError(
          X_UNKNOWN_API_VERSION,
          `API version ${m[1]} is not supported: use one of ${API_VERSIONS.join(', ')}`,
        );
      const version = Number(m[1]);
      const admin = res.locals.admin as ClusterAdmin;
      const pairing = admin.access === 'pairing';
      const spec = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
      // Cluster-to-cluster methods exist only for pairing accounts, which may call nothing else.
      if (!spec || Boolean(spec.internal) !== pairing) {
        if (spec && pairing)
          throw new RpcError(X_PERMISSION_DENIED, `A pairing account may not call ${request.method}`);
        throw new RpcError(X_UNKNOWN_API_METHOD, `Unknown method '${request.method}'`);
      }
      if ((spec.since ?? 1) > version)
        throw new RpcError(
          X_UNKNOWN_API_METHOD,
          `Method '${request.method}' is not in API version ${m[1]} (it is available from ${spec.since?.toFixed(1)})`,
        );
      if (admin.access === 'read' && !isReadMethod(request.method)) {
        throw new RpcError(
          X_PERMISSION_DENIED,
          `Cluster admin ${admin.username} has '${admin.access}' access and may not call ${request.method}`,
        );
      }
      tick(state);
      reply(res, id, { result: await spec.run({ state, version, replication, caller: admin }, request.params) });
    } catch (err) {
      if (err instanceof RpcError) return reply(res, id ?? idOf(text), { error: err });
      console.error('element simulator: unexpected error', err);
      reply(res, id ?? idOf(text), {
        error: new RpcError(X_INTERNAL_ERROR, err instanceof Error ? err.message : String(err)),
      });
    }
  };
}
