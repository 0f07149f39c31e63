// Calls from one region to another (replica volumes, transfers), signed with the account's key like any OpenAPI
// call; a region that cannot be reached is a 503, its own error keeps its status.
import { Agent, request } from 'undici';
import { ScpError, unavailable } from '../errors';
import { type AccessKey, signedHeaders } from '../signing';

/** Budget of one call to another region. */
export const PEER_TIMEOUT_MS = 10_000;

export class PeerClient {
  private readonly agent = new Agent({ keepAliveTimeout: 2000, connect: { timeout: 3000 } });
  private closed = false;

  constructor(
    private readonly key: () => AccessKey,
    /** The cloud's clock, which signatures carry. */
    private readonly now: () => number,
  ) {}

  /** JSON in (or raw bytes), JSON out. */
  async call<T>(
    region: string,
    origin: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.closed) throw unavailable('The region is shutting down');
    const url = `${origin}${path}`;
    const raw = Buffer.isBuffer(body);
    const headers: Record<string, string> = signedHeaders(method, url, this.key(), this.now());
    if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? (body as Buffer) : JSON.stringify(body),
        dispatcher: this.agent,
        headersTimeout: PEER_TIMEOUT_MS,
        bodyTimeout: PEER_TIMEOUT_MS,
        signal: AbortSignal.any([AbortSignal.timeout(PEER_TIMEOUT_MS + 1000), ...(signal ? [signal] : [])]),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw unavailable(
        `Region ${region} (${origin}) did not answer ${method} ${path.split('?')[0]}: ${describe(err)}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw unavailable(`Region ${region} answered ${method} ${path.split('?')[0]} with a body that is not JSON`);
    }
    if (status >= 200 && status < 300) return parsed as T;
    const detail = (parsed as { detail?: string }).detail ?? JSON.stringify(parsed);
    // The other region's "not found" and "conflict" are the caller's too; anything else is that region failing.
    throw new ScpError(status === 404 || status === 409 ? status : 503, `Region ${region}: ${detail}`);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy().catch(() => undefined);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; message?: string; name?: string };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.code ?? e?.cause?.code ?? e?.message ?? String(err);
}
