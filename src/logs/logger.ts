/**
 * The plugin's structured JSON logger: to stdout and to a file that GET /log serves, secrets redacted at the source;
 * the file is rotated by size and count.
 */
import { mkdirSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'credentials',
  '*.credentials',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'sessionId',
  '*.sessionId',
  '"x-storageplugin-sessionid"',
  '*["x-storageplugin-sessionid"]',
  '*.headers["x-storageplugin-sessionid"]',
  'remote_pass',
  '*.remote_pass',
  'sessionKey',
  '*.sessionKey',
];

export const LOG_FILE = 'plugin.log';

export interface LoggerOptions {
  dir: string;
  level: string;
  /** Also write to stdout. @default true */
  stdout?: boolean;
  /** The file is rotated once it holds this many bytes (LOG_MAX_SIZE). @default 50 MiB */
  maxBytes?: number;
  /** Files kept, the current one included (LOG_MAX_FILES). @default 5 */
  maxFiles?: number;
}

/** `plugin.log` and its rotated predecessors, newest first: `plugin.log`, `plugin.log.1`, `plugin.log.2` ... */
export const rotatedName = (n: number): string => (n === 0 ? LOG_FILE : `${LOG_FILE}.${n}`);

type Destination = ReturnType<typeof pino.destination>;

/**
 * The log file as a stream that rotates itself: past `maxBytes` the files shift by one (`plugin.log` becomes
 * `plugin.log.1`, the oldest beyond `maxFiles` is deleted) and a new destination opens a new `plugin.log`. The old
 * destination writes what it still buffers into the renamed file (same inode) and closes: no line is lost. Sizes are
 * counted in characters, near enough to bytes for log lines.
 */
function rotatingFile(dir: string, maxBytes: number, maxFiles: number) {
  const file = path.join(dir, LOG_FILE);
  // Opened here, synchronously: a rotation is then complete before the next line is written, however fast they come.
  const open = (): Destination =>
    pino.destination({ dest: openSync(file, 'a'), sync: false, minLength: 4096 });
  let current = open();
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // A new file.
  }
  const rotate = () => {
    size = 0;
    try {
      try {
        unlinkSync(path.join(dir, rotatedName(maxFiles - 1)));
      } catch {
        // Fewer files than the most kept so far.
      }
      for (let n = maxFiles - 2; n >= 0; n--) {
        try {
          renameSync(path.join(dir, rotatedName(n)), path.join(dir, rotatedName(n + 1)));
        } catch {
          // A gap (a file removed by hand): the others still shift.
        }
      }
    } catch {
      // The folder went away or is read-only: keep writing where the descriptor points.
      return;
    }
    const previous = current;
    current = open();
    previous.end();
  };
  return {
    write(s: string) {
      current.write(s);
      size += s.length;
      if (size >= maxBytes) rotate();
    },
    /** The destination lines go to now. */
    get destination(): Destination {
      return current;
    },
  };
}

export interface Loggers {
  /** Everything but the access log: redacted, to the file and stdout. */
  logger: Logger;
  /**
   * One line per request, to the file and stdout (a container's log is where operators look): its fields are fixed
   * and free of secrets, so it skips redaction.
   */
  access: Logger;
}

export function createLoggers(opts: LoggerOptions): Loggers {
  mkdirSync(opts.dir, { recursive: true });
  // Both destinations are written asynchronously in 4 KiB batches: a log line per request must not cost a system
  // call per request. A timer writes out what waits every quarter second, so an operator watching stdout sees each
  // line at once (and the file holds it) even when the plugin is quiet.
  const rotating = rotatingFile(opts.dir, opts.maxBytes ?? 50 * 1024 ** 2, opts.maxFiles ?? 5);
  let stdout: ReturnType<typeof pino.destination> | undefined;
  // logger.flush() (GET /log, shutdown) must reach the destinations' buffers through the multistream.
  // pino's multistream can add and remove destinations; its typings do not say so.
  const multi = pino.multistream([{ level: opts.level as pino.Level, stream: { write: (s: string) => rotating.write(s) } }]) as ReturnType<
    typeof pino.multistream
  > & { lastId: number; remove(id: number): void };
  const out = Object.assign(multi, {
    flush: (cb?: (err?: Error) => void) => {
      stdout?.flush();
      rotating.destination.flush(cb);
    },
  });
  if (opts.stdout !== false) {
    const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    out.add({ level: opts.level as pino.Level, stream: dest });
    const id = multi.lastId;
    stdout = dest;
    // A stdout nobody reads any more (a closed pipe) must not take the file's logging, or the plugin, down with it.
    dest.on('error', () => {
      multi.remove(id);
      stdout = undefined;
    });
  }
  const tick = setInterval(() => {
    for (const d of [rotating.destination, stdout]) {
      try {
        d?.flush();
      } catch {
        // Not open yet, or closed at exit: the next tick (or the exit flush) writes it.
      }
    }
  }, 250);
  tick.unref();
  const common = { level: opts.level, base: { pid: process.pid } };
  const logger = pino({ ...common, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, out);
  const access = pino(common, out);
  return { logger, access };
}

/** A logger that writes nothing (for embedding and for tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
