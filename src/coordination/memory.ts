/** Coordinator in process memory: the fallback when no Redis answers (it coordinates this process only). */
import { randomBytes } from 'node:crypto';
import type { Coordinator } from './coordinator';

export class MemoryCoordinator implements Coordinator {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async acquire(key: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(16).toString('hex');
    return (await this.putIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async extend(key: string, token: string, ttlMs: number): Promise<boolean> {
    const e = this.live(key);
    if (e?.value !== token) return false;
    e.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    if (this.live(key)?.value === token) this.entries.delete(key);
  }

  async putIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const e = this.live(key);
    if (!e) {
      this.entries.set(key, { value: '1', expiresAt: Date.now() + windowMs });
      return { count: 1, resetMs: windowMs };
    }
    e.value = String(Number(e.value) + 1);
    return { count: Number(e.value), resetMs: e.expiresAt - Date.now() };
  }
}
