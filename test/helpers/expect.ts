/** Assertions shared by the API suites. */
import type { Response } from 'supertest';

/** The answer of an operation the backend does not declare: 501 UNSUPPORTED. */
export function expectUnsupported(res: Response): void {
  expect([res.status, res.body?.error?.type]).toEqual([501, 'UNSUPPORTED']);
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000, every = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}
