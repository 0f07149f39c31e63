/** Builds the zip that GET /log returns: the plugin's log files, scrubbed once more of anything secret-looking. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ZipFile } from 'yazl';

/**
 * A second line of defence behind the logger's redaction: Basic credentials, bearer tokens,
 * password-like JSON fields and anything shaped like a session id (43 base64url characters).
 */
const SCRUBBERS: [RegExp, string][] = [
  [/(Basic|Bearer)\s+[A-Za-z0-9+/=._-]+/gi, '$1 [redacted]'],
  [/("(?:[a-z_]*pass(?:word)?|authorization|sessionId|x-storageplugin-sessionid)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[redacted]"'],
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, '[redacted-id]'],
];

export function scrub(text: string): string {
  return SCRUBBERS.reduce((t, [re, by]) => t.replace(re, by), text);
}

/** The zip of every regular file in the log folder, scrubbed. */
export async function buildLogArchive(dir: string): Promise<Buffer> {
  const zip = new ZipFile();
  let names: string[] = [];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    // No log folder yet: an empty archive is the truthful answer.
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (!(await stat(full)).isFile()) continue;
    zip.addBuffer(Buffer.from(scrub(await readFile(full, 'utf8'))), name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
