/**
 * Builds the zip that GET /log returns, streamed from disk in constant memory: the newest log lines up to a cap, only
 * those the caller may see, scrubbed once more of anything secret-looking.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

export interface ArchiveOptions {
  /** Most bytes of log read into one archive, newest first; older lines are left out. */
  maxBytes: number;
  /** Whether a line goes into the archive. @default every line */
  keep?: (line: string) => boolean;
}

/**
 * Splits a byte stream into lines and passes on those kept, scrubbed. A stream that starts mid-file (the cap cut into
 * it) drops its first, partial, line.
 */
class LineFilter extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';

  constructor(
    private readonly keep: (line: string) => boolean,
    private skipFirst: boolean,
  ) {
    super();
  }

  private pass(lines: string[]): void {
    let out = '';
    for (const line of lines) if (line && this.keep(line)) out += `${scrub(line)}\n`;
    if (out) this.push(out);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const lines = (this.carry + this.decoder.write(chunk)).split('\n');
    this.carry = lines.pop() ?? '';
    if (this.skipFirst && lines.length) {
      lines.shift();
      this.skipFirst = false;
    }
    this.pass(lines);
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.carry + this.decoder.end();
    if (!this.skipFirst) this.pass([rest]);
    done();
  }
}

/** The regular files of the log folder, newest first (by modification time, then name: plugin.log before .1). */
async function logFiles(dir: string): Promise<{ name: string; size: number; mtime: Date }[]> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    // No log folder yet: an empty archive is the truthful answer.
  }
  const files = [];
  for (const name of names) {
    const s = await stat(path.join(dir, name)).catch(() => undefined);
    if (s?.isFile()) files.push({ name, size: s.size, mtime: s.mtime });
  }
  return files.sort((a, b) => b.mtime.getTime() - a.mtime.getTime() || a.name.localeCompare(b.name, 'en'));
}

/**
 * The zip of the log folder, as a stream: the files newest first until `maxBytes` of log have been read (the file
 * that crosses the cap contributes its newest part), each line kept only if `keep` says so. Nothing is held in memory
 * beyond a chunk per file being read; when something was left out, a `LEFT-OUT.txt` entry says what.
 */
export async function logArchive(dir: string, opts: ArchiveOptions): Promise<Readable> {
  const zip = new ZipFile();
  const keep = opts.keep ?? (() => true);
  let budget = opts.maxBytes;
  const omitted: string[] = [];
  for (const f of await logFiles(dir)) {
    if (budget <= 0) {
      omitted.push(`${f.name} (${f.size} bytes)`);
      continue;
    }
    if (f.size === 0) {
      zip.addBuffer(Buffer.alloc(0), f.name, { mtime: f.mtime });
      continue;
    }
    const start = Math.max(0, f.size - budget);
    if (start > 0) omitted.push(`the oldest ${start} bytes of ${f.name}`);
    budget -= f.size - start;
    // Reading stops at the size seen now: lines written while the archive is made belong to the next one.
    const source = createReadStream(path.join(dir, f.name), { start, end: f.size - 1 });
    const filter = new LineFilter(keep, start > 0);
    source.on('error', (err) => filter.destroy(err));
    zip.addReadStream(source.pipe(filter), f.name, { mtime: f.mtime });
  }
  if (omitted.length)
    zip.addBuffer(
      Buffer.from(
        `This download holds the newest ${opts.maxBytes} bytes of log (LOG_DOWNLOAD_MAX_SIZE). Left out:\n${omitted.join('\n')}\n`,
      ),
      'LEFT-OUT.txt',
    );
  zip.end();
  return zip.outputStream as Readable;
}

/** The whole archive in memory (small logs, tests): see logArchive. */
export async function buildLogArchive(dir: string, opts: ArchiveOptions = { maxBytes: Infinity }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await logArchive(dir, opts)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
