/**
 * The plugin's structured JSON logger: to stdout and to a file that GET /log serves, secrets redacted at the source.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { requestIdMixin } from '../http/request-id';

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
  // The file is written asynchronously in 4 KiB batches (flushed at exit): a log line per request
  // must not cost a system call per request. stdout is asynchronous but unbatched, so operators
  // watching it see each line at once.
  const file = pino.destination({ dest: path.join(opts.dir, LOG_FILE), append: true, sync: false, mkdir: true, minLength: 4096 });
  const streams: pino.StreamEntry[] = [{ level: opts.level as pino.Level, stream: file }];
  if (opts.stdout !== false) streams.push({ level: opts.level as pino.Level, stream: pino.destination({ dest: 1, sync: false }) });
  // logger.flush() (GET /log, shutdown) must reach the file's buffer through the multistream.
  const out = Object.assign(pino.multistream(streams), { flush: (cb?: (err?: Error) => void) => file.flush(cb) });
  // Every line logged while a request is served names the request (its X-Request-Id).
  const common = { level: opts.level, base: { pid: process.pid }, mixin: requestIdMixin };
  const logger = pino({ ...common, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, out);
  const access = pino(common, out);
  return { logger, access };
}

/** A logger that writes nothing (for embedding and for tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
