/**
 * Recently used session records held in process, kept coherent with Redis by Redis's server-assisted client-side
 * caching (RESP2 redirect mode): a reader connection has CLIENT TRACKING on (broadcast for the session key prefix,
 * NOLOOP) with invalidations redirected to a subscriber connection on `__redis__:invalidate`. Any change to a session
 * key by any plugin instance (logout, expiry, eviction) drops the entry here at once. Whenever either connection is
 * lost the whole cache is dropped and nothing is served from it until tracking is on again.
 */
import Redis from 'ioredis';

const CHANNEL = '__redis__:invalidate';

export interface TrackedEntry<V> {
  raw: string;
  value: V;
}

export class TrackedCache<V> {
  private readonly entries = new Map<string, TrackedEntry<V>>();
  private readonly sub: Redis;
  /** The connection session keys are read on (tracking is per connection). */
  readonly reader: Redis;
  private subId: number | undefined;
  private subscribed = false;
  private healthy = false;
  /** Bumped by every invalidation, so a read that an invalidation overtook is not kept. */
  private seq = 0;
  private closed = false;
  /** Tries again while tracking is off and both connections are up (a command that timed out, a race). */
  private readonly retry: NodeJS.Timeout;
  /** Served from the cache / read from Redis (for tests and the benchmark). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    base: Redis,
    private readonly prefix: string,
    private readonly max = 10_000,
  ) {
    // Own connections: tracking and subscriber mode must not touch the shared client.
    // The subscriber answers only the few set-up commands: a loaded machine gets more than the hot path's budget.
    this.sub = base.duplicate({ autoResubscribe: false, commandTimeout: 2000 });
    this.reader = base.duplicate();
    for (const c of [this.sub, this.reader]) {
      c.on('error', () => undefined);
      c.on('close', () => this.lost());
    }
    this.sub.on('ready', () => void this.subscribe());
    this.reader.on('ready', () => void this.track());
    this.retry = setInterval(() => {
      if (this.healthy || this.closed || this.sub.status !== 'ready' || this.reader.status !== 'ready') return;
      void (this.subscribed ? this.track() : this.subscribe());
    }, 1000);
    this.retry.unref();
    // The buffer form keeps the key list apart ('message' joins it into one string).
    this.sub.on('messageBuffer', (channel: Buffer, message: unknown) => {
      if (channel.toString() === CHANNEL) this.invalidate(message);
    });
  }

  /** Connects both connections; tracking starts when both are up (and again after every reconnect). */
  async start(): Promise<void> {
    await Promise.allSettled([this.sub.connect(), this.reader.connect()]);
  }

  /** True while invalidations are known to arrive: only then is anything served from the cache. */
  get active(): boolean {
    return this.healthy;
  }

  /** Redis's id of the subscriber connection invalidations are redirected to. */
  get subscriberId(): number | undefined {
    return this.subId;
  }

  /** The number of invalidations so far: read before a Redis read, passed to put(). */
  get version(): number {
    return this.seq;
  }

  get(key: string): TrackedEntry<V> | undefined {
    if (!this.healthy) return undefined;
    const hit = this.entries.get(key);
    if (hit) this.stats.hits++;
    else this.stats.misses++;
    return hit;
  }

  /** Keeps what a read found, unless tracking is off or an invalidation came in since `version` was read. */
  put(key: string, entry: TrackedEntry<V>, version: number): void {
    if (!this.healthy || version !== this.seq) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.retry);
    this.lost();
    this.sub.disconnect();
    this.reader.disconnect();
  }

  private lost(): void {
    if (this.sub.status !== 'ready') {
      this.subscribed = false;
      // A new connection has a new id, asked for again once it is up.
      this.subId = undefined;
    }
    this.healthy = false;
    this.seq++;
    this.entries.clear();
  }

  private async subscribe(): Promise<void> {
    try {
      this.subscribed = false;
      // The id is asked for once per connection, before SUBSCRIBE: a connection in subscriber mode answers only
      // subscriber commands, so a retry after a SUBSCRIBE that timed out (but may have taken effect) subscribes
      // again with the id it already has instead of failing on CLIENT ID forever.
      if (this.subId === undefined) this.subId = Number(await this.sub.client('ID'));
      await this.sub.subscribe(CHANNEL);
      this.subscribed = true;
      await this.track();
    } catch {
      this.lost();
    }
  }

  private async track(): Promise<void> {
    if (this.closed || this.subId === undefined || this.sub.status !== 'ready' || this.reader.status !== 'ready')
      return;
    try {
      const id = this.subId;
      // Off first: tracking cannot be turned on again with other options while it is on.
      await this.reader.call('CLIENT', 'TRACKING', 'OFF');
      await this.reader.call(
        'CLIENT',
        'TRACKING',
        'ON',
        'REDIRECT',
        String(id),
        'BCAST',
        'PREFIX',
        this.prefix,
        'NOLOOP',
      );
      // The subscriber may have reconnected (a new id) while tracking was being turned on.
      if (id === this.subId && this.sub.status === 'ready' && this.reader.status === 'ready') {
        this.entries.clear();
        this.seq++;
        this.healthy = true;
      }
    } catch {
      this.lost();
    }
  }

  /** A list of keys, one key, or null (the whole keyspace was flushed). */
  private invalidate(message: unknown): void {
    this.seq++;
    if (message === null || message === undefined) return this.entries.clear();
    for (const k of Array.isArray(message) ? message : [message]) this.entries.delete(String(k));
  }
}
