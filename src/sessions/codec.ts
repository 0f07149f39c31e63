/** Serializes a session record for storage: credentials sealed, everything else plain JSON. */
import type { SessionRecord } from './store';
import { openCredentials, sealCredentials } from './crypto';

interface Stored {
  v: 1;
  /** The backend the session was opened for; absent in records older than the field (read as unknown). */
  backend?: string;
  identity: SessionRecord['identity'];
  target: SessionRecord['target'];
  cred: string;
  createdAt: number;
}

export function encodeSession(rec: SessionRecord, key: Buffer, storageKey: string): string {
  const stored: Stored = {
    v: 1,
    backend: rec.backend,
    identity: rec.identity,
    target: rec.target,
    cred: sealCredentials(rec.credentials, key, storageKey),
    createdAt: rec.createdAt,
  };
  return JSON.stringify(stored);
}

/** Null when the record cannot be read back (e.g. sealed under another key): the session is then unknown. */
export function decodeSession(raw: string, key: Buffer, storageKey: string): SessionRecord | null {
  try {
    const s = JSON.parse(raw) as Stored;
    if (s.v !== 1) return null;
    return {
      backend: s.backend ?? '',
      identity: s.identity,
      target: s.target,
      credentials: openCredentials(s.cred, key, storageKey),
      createdAt: s.createdAt,
    };
  } catch {
    return null;
  }
}
