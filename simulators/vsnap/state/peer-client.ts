// HTTP client one simulator uses to call a partner simulator (pairing, relationships, data transfer), with vSnap errors
// relayed.
import { Agent, request } from 'undici';
import { VsnapError, unreachable, type VsnapErrorType, ERROR_STATUS } from '../errors';

/** Budget of one call to a partner: a partner that does not answer by then fails the step. */
export const PEER_TIMEOUT_MS = 10_000;

export interface PeerTarget {
  address: string;
  api_port: number;
}

export interface PeerAuth {
  user: string;
  password: string;
}

export interface PeerCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** JSON body, or raw bytes (data chunks). */
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const hostPart = (address: string): string => (address.includes(':') ? `[${address}]` : address);

export const peerOrigin = (t: PeerTarget): string => `http://${hostPart(t.address)}:${t.api_port}`;

/** One keep-alive pool per simulator; destroyed when the simulator closes so no socket outlives it. */
export class PeerClient {
  private readonly agent = new Agent({ keepAliveTimeout: 2000, connect: { timeout: 3000 } });
  private closed = false;

  /**
   * Answers the partner's JSON; throws VsnapError: the partner's own error, or ConnectionError when it cannot be
   * reached.
   */
  async call<T>(target: PeerTarget, auth: PeerAuth, call: PeerCall): Promise<T> {
    if (this.closed) throw unreachable('The system is shutting down');
    const url = new URL(call.path, peerOrigin(target));
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const raw = Buffer.isBuffer(call.body);
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`,
    };
    if (call.body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
    const timeout = call.timeoutMs ?? PEER_TIMEOUT_MS;
    const signals = [AbortSignal.timeout(timeout + 1000), ...(call.signal ? [call.signal] : [])];
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : raw ? (call.body as Buffer) : JSON.stringify(call.body),
        dispatcher: this.agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.any(signals),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      if (call.signal?.aborted) throw call.signal.reason;
      throw unreachable(
        `Partner at ${target.address}:${target.api_port} did not answer ${call.method} ${url.pathname}: ${describe(err)}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw unreachable(
        `Partner at ${target.address}:${target.api_port} answered ${call.method} ${url.pathname} with a body that is not JSON (HTTP ${status})`,
      );
    }
    if (status >= 200 && status < 300) return parsed as T;
    const e = (parsed as { error?: { type?: string; message?: string } }).error;
    const type = (e?.type && e.type in ERROR_STATUS ? e.type : 'InternalError') as VsnapErrorType;
    throw new VsnapError(type, `Partner at ${target.address}:${target.api_port}: ${e?.message ?? `HTTP ${status}`}`);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy().catch(() => undefined);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e?.name === 'TimeoutError' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT')
    return 'timed out';
  return e?.code ?? e?.cause?.code ?? e?.message ?? String(err);
}
