/**
 * The plugin's structured JSON logger: to stdout and to a file that GET /log serves, secrets redacted at the source.
 */
import { mkdirSync } from 'node:fs';
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
  const file = pino.destination({
    dest: path.join(opts.dir, LOG_FILE),
    append: true,
    sync: false,
    mkdir: true,
    minLength: 4096,
  });
  let stdout: ReturnType<typeof pino.destination> | undefined;
  // logger.flush() (GET /log, shutdown) must reach the destinations' buffers through the multistream.
  // pino's multistream can add and remove destinations; its typings do not say so.
  const multi = pino.multistream([{ level: opts.level as pino.Level, stream: file }]) as ReturnType<
    typeof pino.multistream
  > & { lastId: number; remove(id: number): void };
  const out = Object.assign(multi, {
    flush: (cb?: (err?: Error) => void) => {
      stdout?.flush();
      file.flush(cb);
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
    for (const d of [file, stdout]) {
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
