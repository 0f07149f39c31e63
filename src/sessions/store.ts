/** The session store seam: what a session holds, and the interface both stores (Redis, in-process) implement. */
import type { ArrayIdentity } from '../backend';
import type { ArrayTarget, Credentials } from '../domain/types';

export interface SessionRecord {
  /** The backend (BACKEND) the session was opened for: an instance serving another refuses it. */
  backend: string;
  identity: ArrayIdentity;
  /** The array as resolved at login (address and port actually used). */
  target: ArrayTarget;
  credentials: Credentials;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface SessionStore {
  readonly kind: 'redis' | 'memory';
  /** Stores the record under a new random id and returns the id. */
  create(record: SessionRecord): Promise<string>;
  /** The record, sliding its idle expiry; null when unknown or expired. */
  get(id: string): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionStoreOptions {
  /** Idle expiry in seconds, renewed by every use. */
  idleSeconds: number;
  /** Hard limit on a session's life in seconds, whatever its use. @default 86400 */
  maxLifetimeSeconds?: number;
  /** 32-byte AES-256-GCM key for the credentials. */
  key: Buffer;
}
