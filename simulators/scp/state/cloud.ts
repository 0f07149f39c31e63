// The cloud a simulator process plays: the account keys every region accepts, the regions served in this process,
// and the regions of other simulator processes it was paired with (name -> URL).
import type { AccessKey } from '../signing';

/** A region served by this process, as the cloud sees it. */
export interface LocalRegion {
  name: string;
  /** Where it listens, e.g. http://127.0.0.1:8903 (set once listening). */
  url: string;
  port: number;
}

export class Cloud {
  readonly local = new Map<string, LocalRegion>();
  /** Regions of other simulator processes, made known by pairing (POST /sim/regions). */
  readonly remote = new Map<string, string>();
  /** Called when the remote directory changes (saves the state file). */
  onChange: () => void = () => undefined;

  constructor(
    readonly keys: readonly AccessKey[],
    /** The clock signatures, version retirement and schedules use, epoch ms. */
    readonly now: () => number,
  ) {}

  key(accessKey: string): AccessKey | undefined {
    return this.keys.find((k) => k.accessKey === accessKey);
  }

  /** The key regions call each other with: the first that may change things. */
  get serviceKey(): AccessKey {
    return this.keys.find((k) => !k.readOnly) ?? this.keys[0];
  }

  /**
   * Every region other than `from` with its endpoint URL. A region of this process is given at `hostname` (the
   * name the caller reached this process by) when one is given, so the URLs work from where the caller stands.
   */
  others(from: string, hostname?: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.local.values()) if (r.name !== from) out.set(r.name, urlAt(r, hostname));
    for (const [name, url] of this.remote) if (name !== from && !out.has(name)) out.set(name, url);
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every region, this process's own first, as the endpoint catalog lists them. */
  all(hostname?: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.local.values()) out.set(r.name, urlAt(r, hostname));
    for (const [name, url] of this.remote) if (!out.has(name)) out.set(name, url);
    return out;
  }

  /** The endpoint of a region, for calls between regions. */
  urlOf(region: string): string | undefined {
    return this.local.get(region)?.url ?? this.remote.get(region);
  }
}

function urlAt(r: LocalRegion, hostname?: string): string {
  if (!hostname) return r.url;
  const u = new URL(r.url);
  u.hostname = hostname;
  return u.origin;
}
