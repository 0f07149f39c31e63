// Cluster-to-cluster calls: JSON-RPC to a paired simulator with the pairing account it made for this pair, over
// loopback HTTP.
import { Agent, request } from 'undici';
import { RpcError, X_REMOTE_CLUSTER_UNREACHABLE } from '../errors';

export interface PeerAccount {
  username: string;
  password: string;
}

/** Longest wait for one call to a paired cluster: a partner that hangs fails the transfer rather than stalling it. */
export const PEER_TIMEOUT_MS = 10_000;

/**
 * One keep-alive pool for every paired cluster. A method error of the partner comes back as the
 * partner's RpcError (its name and message); a partner that does not answer as xRemoteClusterUnreachable.
 */
export class PeerClient {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connect: { timeout: 2000 } });

  async call<T>(
    mvip: string,
    account: PeerAccount,
    method: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    const authorization = `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`;
    const timeout = AbortSignal.timeout(PEER_TIMEOUT_MS);
    let status: number;
    let text: string;
    try {
      const res = await request(`http://${mvip}/json-rpc/12.3`, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ method, params, id: 1 }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const e = err as { code?: string; cause?: { code?: string }; name?: string; message?: string };
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${PEER_TIMEOUT_MS} ms`
          : (e.code ?? e.cause?.code ?? e.message ?? 'connection failed');
      throw new RpcError(
        X_REMOTE_CLUSTER_UNREACHABLE,
        `The paired cluster at ${mvip} did not answer ${method}: ${why}`,
      );
    }
    if (status === 401)
      throw new RpcError(
        X_REMOTE_CLUSTER_UNREACHABLE,
        `The paired cluster at ${mvip} refused this cluster's pairing account (the pair was removed there, or the key was used already)`,
      );
    let body: { result?: T; error?: { name?: string; message?: string } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status !== 200 || !body)
      throw new RpcError(
        X_REMOTE_CLUSTER_UNREACHABLE,
        `The paired cluster at ${mvip} answered ${method} with HTTP ${status}`,
      );
    if (body.error)
      throw new RpcError(
        body.error.name ?? 'xUnknown',
        `The paired cluster at ${mvip} refused ${method}: ${body.error.message ?? 'no message'}`,
      );
    return body.result as T;
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }
}
