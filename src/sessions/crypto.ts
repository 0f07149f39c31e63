/** Session ids and the at-rest encryption of array credentials (AES-256-GCM), shared by both stores. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Credentials } from '../domain/types';

/** 256 random bits, URL-safe. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The storage key of a session: a hash of its id, so a dump of the store does not hand out
 * usable session ids.
 */
export function sessionKeyOf(id: string): string {
  return memo(keys, id, () => createHash('sha256').update(id).digest('base64url'));
}

/** Hashes of recently seen ids: every request of a session needs them. */
const keys = new Map<string, string>();
const tags = new Map<string, string>();

function memo(cache: Map<string, string>, id: string, compute: () => string): string {
  let v = cache.get(id);
  if (v === undefined) {
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    v = compute();
    cache.set(id, v);
  }
  return v;
}

/** A short, non-reversible tag of a session id for logs (ids are never logged in full). */
export function sessionTag(id: string): string {
  return memo(tags, id, () => createHash('sha256').update(id).digest('hex').slice(0, 10));
}

/**
 * Encrypts the credentials; the session's storage key is bound as associated data, so a record cannot be moved to
 * another id.
 */
export function sealCredentials(creds: Credentials, key: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(JSON.stringify(creds), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64')).join('.');
}

export function openCredentials(sealed: string, key: Buffer, aad: string): Credentials {
  const [iv, tag, ct] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  return JSON.parse(plain) as Credentials;
}
