/**
 * Sessions in process memory: the fallback when no Redis answers (sessions neither survive a restart nor are shared).
 */
import { decodeSession, encodeSession } from './codec';
import { newSessionId, sessionKeyOf } from './crypto';
import type { SessionRecord, SessionStore, SessionStoreOptions } from './store';

export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, { raw: string; expiresAt: number }>();

  constructor(private readonly opts: SessionStoreOptions) {}

  /** Sessions held now (expired ones swept first). */
  count(): number {
    this.sweep();
    return this.entries.size;
  }

  async create(record: SessionRecord): Promise<string> {
    this.sweep();
    const id = newSessionId();
    const key = sessionKeyOf(id);
    // Sealed like the Redis store, so a heap dump holds no clear credentials either.
    this.entries.set(key, {
      raw: encodeSession(record, this.opts.key, key),
      expiresAt: Date.now() + this.opts.idleSeconds * 1000,
    });
    return id;
  }

  async get(id: string): Promise<SessionRecord | null> {
    const key = sessionKeyOf(id);
    const e = this.entries.get(key);
    if (!e) return null;
    const now = Date.now();
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    const rec = decodeSession(e.raw, this.opts.key, key);
    if (!rec || now - rec.createdAt > (this.opts.maxLifetimeSeconds ?? 86400) * 1000) return null;
    e.expiresAt = now + this.opts.idleSeconds * 1000;
    return rec;
  }

  async delete(id: string): Promise<void> {
    this.entries.delete(sessionKeyOf(id));
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}
