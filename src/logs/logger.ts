/** The plugin's structured JSON logger: to stdout and to a file that GET /log serves, secrets redacted at the source. */
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

export function createLogger(opts: LoggerOptions): Logger {
  mkdirSync(opts.dir, { recursive: true });
  const file = pino.destination({ dest: path.join(opts.dir, LOG_FILE), append: true, sync: false, mkdir: true });
  const streams: pino.StreamEntry[] = [{ level: opts.level as pino.Level, stream: file }];
  if (opts.stdout !== false) streams.push({ level: opts.level as pino.Level, stream: process.stdout });
  return pino(
    { level: opts.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } },
    pino.multistream(streams),
  );
}

/** A logger that writes nothing (for embedding and for tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
