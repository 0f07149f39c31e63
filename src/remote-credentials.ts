/** REMOTE_ARRAY_CREDENTIALS: the accounts the plugin uses on paired arrays it must call itself. */
import { readFileSync } from 'node:fs';
import type { Credentials } from './domain/types';

export type RemoteCredentials = Record<string, Credentials>;

/**
 * Parses `{"<host>" or "<host:port>": {"username", "password"}}`, given inline or as `@<file>` (so the
 * secret can live in a mounted file rather than the environment). Throws a message naming the fault.
 */
export function parseRemoteCredentials(raw: string | undefined): RemoteCredentials {
  if (!raw?.trim()) return {};
  const text = raw.trim().startsWith('@') ? readFileSync(raw.trim().slice(1), 'utf8') : raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      'REMOTE_ARRAY_CREDENTIALS must be JSON: {"<host>[:<port>]": {"username": "...", "password": "..."}}',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('REMOTE_ARRAY_CREDENTIALS must be a JSON object keyed by host or host:port');
  const out: RemoteCredentials = {};
  for (const [key, v] of Object.entries(parsed as Record<string, unknown>)) {
    const c = v as Partial<Credentials> | null;
    if (!c || typeof c.username !== 'string' || typeof c.password !== 'string' || !c.username) {
      throw new Error(`REMOTE_ARRAY_CREDENTIALS["${key}"] needs a non-empty "username" and a "password" string`);
    }
    out[key.toLowerCase()] = { username: c.username, password: c.password };
  }
  return out;
}

/** The lookup adapters receive: `host:port` first, then `host`. */
export function remoteCredentialsLookup(
  table: RemoteCredentials,
): (host: string, port?: number) => Credentials | undefined {
  return (host, port) => {
    const h = host.toLowerCase();
    return (port !== undefined ? table[`${h}:${port}`] : undefined) ?? table[h];
  };
}
