/**
 * Moves a snapshot's content to a partner simulator in chunks at a set rate, so replication progress is observable and
 * can fail midway.
 */

/** Default rate at which a simulator replicates: fast enough for tests, slow enough to be seen. */
export const DEFAULT_REPLICATION_RATE = 64 * 1024 * 1024;

export interface PacedTransfer {
  /** The bytes to move. Holes (all-zero chunks) still count: the arrays report logical bytes. */
  content: Buffer;
  /** Bytes per second. */
  rate: number;
  /** Sends one chunk to the partner; a rejection fails the transfer with its message. */
  send(offset: number, chunk: Buffer): Promise<void>;
  /** Called after every chunk with the bytes sent so far. */
  onProgress(sent: number): void;
  /** Aborting (cancel, simulator closing) stops the transfer before its next chunk. */
  signal: AbortSignal;
  /** @default 64 KiB */
  chunkSize?: number;
}

/** Resolves when everything was sent; rejects with the partner's error or the abort reason. */
export async function pacedTransfer(t: PacedTransfer): Promise<void> {
  const chunkSize = t.chunkSize ?? 64 * 1024;
  const started = Date.now();
  let sent = 0;
  while (sent < t.content.length || (sent === 0 && t.content.length === 0)) {
    t.signal.throwIfAborted();
    const chunk = t.content.subarray(sent, sent + chunkSize);
    await t.send(sent, chunk);
    sent += chunk.length;
    t.onProgress(sent);
    if (chunk.length === 0) break;
    // Sleep until the average rate is back at `rate`: the pace holds whatever the partner's latency.
    const due = started + (sent / t.rate) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait, t.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
