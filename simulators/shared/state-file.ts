// Simulator state files: read a saved JSON state (missing or empty means none), write one atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The parsed state, or undefined when the file is missing or empty. A corrupt file is an error, never wiped. */
export function readStateFile<T>(path: string, what: string, revive: (json: unknown) => T): T | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return undefined;
  try {
    return revive(JSON.parse(text));
  } catch (err) {
    throw new Error(`Cannot load ${what} state from ${path}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

/** Write a temp file and rename it over the old one, so a crash never leaves half a state file. */
export function writeStateFile(path: string, json: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(json));
  renameSync(temp, path);
}
