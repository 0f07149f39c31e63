// Simulator-only behaviour settings (POST /sim/settings): job length, page-size cap, clone split speed, failing jobs.
import { invalid } from './errors';

export interface Settings {
  /** How long an asynchronous job takes from queued to done (it is running for the second half). */
  jobMs: number;
  /** Every collection page holds at most this many records (0 = no cap), so clients must follow `_links.next`. */
  maxPageSize: number;
  /** Shortest clone split. */
  splitMinMs: number;
  /** Split speed over the clone's referenced bytes. */
  splitBytesPerSecond: number;
  /** The next N jobs end in failure without doing their work. */
  failNextJobs: number;
}

export const defaultSettings = (): Settings => ({
  jobMs: 20,
  maxPageSize: 0,
  splitMinMs: 300,
  splitBytesPerSecond: 512 * 1024 * 1024,
  failNextJobs: 0,
});

export function updateSettings(current: Settings, body: Record<string, unknown>): Settings {
  const next = { ...current };
  for (const [key, value] of Object.entries(body)) {
    if (!(key in next)) throw invalid(`Unknown setting ${key}: use ${Object.keys(next).join(', ')}`, key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw invalid(`Setting ${key} must be a non-negative integer`, key);
    next[key as keyof Settings] = value;
  }
  if (next.splitBytesPerSecond < 1) throw invalid('splitBytesPerSecond must be at least 1', 'splitBytesPerSecond');
  return next;
}
