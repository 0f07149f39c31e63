/** Entry point: listen on HTTP or HTTPS, and shut down gracefully on SIGINT/SIGTERM. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config';
import { NoSimulatorError } from './embedded-simulator';
import { API_BASE } from './http/spec';
import { startRuntime } from './runtime';

/** A start-up failure that is the operator's to fix: one line, no stack. */
class StartError extends Error {}

/** Receiving a request (headers and body, at most BODY_LIMIT) never takes long: a stalled client is cut off. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

function createServer(config: ReturnType<typeof loadConfig>, app: http.RequestListener): http.Server {
  if (!config.tls) return http.createServer(app);
  try {
    return https.createServer({ cert: config.tls.cert, key: config.tls.key }, app);
  } catch (err) {
    throw new StartError(
      `TLS_CERT_FILE and TLS_KEY_FILE do not hold a usable PEM certificate and matching key: ${(err as Error).message}`,
    );
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is in use by another process'
          : err.code === 'EACCES'
            ? 'permission denied (a port below 1024 needs privileges)'
            : err.code === 'EADDRNOTAVAIL'
              ? 'no interface of this machine has that address'
              : err.message;
      reject(new StartError(`cannot listen on ${host}:${port}: ${why} (PORT, HOST)`));
    });
    server.listen(port, host, () => resolve());
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await startRuntime(config);
  let server: http.Server;
  try {
    server = createServer(config, runtime.app);
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    await listen(server, config.port, config.host);
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const listening = `CDM storage plugin listening on ${config.tls ? 'https' : 'http'}://${config.host}:${port}${API_BASE}`;
  runtime.logger.info(listening);
  // With the logs off stdout, the one line a supervisor waits for still reaches it.
  if (!config.logStdout) console.log(listening);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // In-flight array calls are bounded by their timeouts; do not wait longer than that.
    setTimeout(() => process.exit(0), config.arrayTimeoutMs + 2000).unref();
    server.close(() => void runtime.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    try {
      runtime.logger.info(`${signal}: finishing in-flight requests, then stopping`);
    } catch {
      // A broken log destination must not keep the plugin from stopping.
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  // Start-up failures are the operator's to fix: say what is wrong, one line each, not a stack trace.
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`configuration error: ${problem}`);
    process.exit(2);
  }
  if (err instanceof NoSimulatorError) {
    console.error(`configuration error: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof StartError) {
    console.error(`cannot start: ${err.message}`);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
