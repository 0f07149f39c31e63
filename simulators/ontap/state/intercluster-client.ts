// Calls from this simulated cluster to a peered one over HTTP (the stand-in for ONTAP's intercluster LIFs),
// authenticated by the peer's shared token.
import { request } from 'undici';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError } from '../errors';
import type { ClusterPeerRecord } from './model';

/** Intercluster calls give up after this long: a peer that does not answer is unreachable. */
export const INTERCLUSTER_TIMEOUT_MS = 3000;

export interface PeerCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Raw bytes (data chunks) instead of JSON. */
  raw?: Buffer;
  /** Bearer token; the peer's own when omitted. */
  token?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The peer refused the call (an answer with an error body), as opposed to not answering. */
export class PeerRefused extends OntapError {}

/**
 * A call to `http://<address><path>`; rejects with PeerRefused on an error answer, an OntapError(unreachable)
 * otherwise.
 */
export async function callAddress<T>(ctx: SimContext, address: string, call: PeerCall): Promise<T> {
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  let body: Buffer | string | undefined;
  if (call.raw) {
    headers['content-type'] = 'application/octet-stream';
    body = call.raw;
  } else if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const timeout = AbortSignal.timeout(call.timeoutMs ?? INTERCLUSTER_TIMEOUT_MS);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  let status: number;
  let text: string;
  try {
    const res = await request(`http://${address}${call.path}`, {
      method: call.method,
      headers,
      body,
      signal,
      dispatcher: ctx.intercluster,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    if (call.signal?.aborted) throw call.signal.reason;
    const why =
      (err as { code?: string; cause?: { code?: string } }).cause?.code ??
      (err as { code?: string }).code ??
      (err as Error).name;
    throw new OntapError(503, ONTAP_ERROR.PEER_UNREACHABLE, `Cluster peer at ${address} is unreachable (${why})`);
  }
  const parsed = text
    ? (JSON.parse(text) as T & { error?: { code: string; message: string; target?: string } })
    : ({} as T & { error?: undefined });
  if (status >= 300) {
    const e = parsed.error;
    throw new PeerRefused(
      status,
      e?.code ?? ONTAP_ERROR.INVALID_ENTRY,
      `Cluster peer at ${address}: ${e?.message ?? `HTTP ${status}`}`,
      e?.target,
    );
  }
  return parsed;
}

/** This simulator's own port (the port of its address). */
export const ownPort = (ctx: SimContext): number => Number(/:(\d+)$/.exec(ctx.address)?.[1] ?? 0);

/** `host:port` where a peer's API answers: its first address, on its own port or, like every real cluster, ours. */
export function peerAddress(ctx: SimContext, peer: ClusterPeerRecord): string {
  const host = peer.ip_addresses[0] ?? '';
  return `${host.includes(':') ? `[${host}]` : host}:${peer.api_port ?? ownPort(ctx)}`;
}

export const callPeer = <T>(ctx: SimContext, peer: ClusterPeerRecord, call: PeerCall): Promise<T> =>
  callAddress<T>(ctx, peerAddress(ctx, peer), { token: peer.token, ...call });

/** Whether the peer answers at all, within a short time. */
export async function reachable(ctx: SimContext, peer: ClusterPeerRecord, timeoutMs = 1000): Promise<boolean> {
  try {
    await callPeer(ctx, peer, { method: 'GET', path: '/intercluster/ping', timeoutMs });
    return true;
  } catch {
    return false;
  }
}
