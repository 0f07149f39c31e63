// Reads a simulator request's whole body, refusing (after draining) what exceeds a limit.
import type { Request } from 'express';

/**
 * Read the whole body; past `limit` the rest is drained (so the client can read the answer) and refused with
 * `tooLarge`.
 */
export function readBody(req: Request, limit: number, tooLarge: (message: string) => Error): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      size > limit ? reject(tooLarge(`Request body is larger than ${limit} bytes`)) : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}
