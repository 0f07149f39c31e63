/** Entry point: listen on HTTP or HTTPS, and shut down gracefully on SIGINT/SIGTERM. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config';
import { NoSimulatorError } from './embedded-simulator';
import { API_BASE } from './http/spec';
import { startRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await startRuntime(config);
  const server = config.tls
    ? https.createServer({ cert: config.tls.cert, key: config.tls.key }, runtime.app)
    : http.createServer(runtime.app);
  // Slow clients must not hold sockets forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 5 * 60_000;
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    runtime.logger.info(
      `CDM storage plugin listening on ${config.tls ? 'https' : 'http'}://${config.host}:${port}${API_BASE}`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info(`${signal}: finishing in-flight requests, then stopping`);
    server.close(() => void runtime.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    // In-flight array calls are bounded by their timeouts; do not wait longer than that.
    setTimeout(() => process.exit(0), config.arrayTimeoutMs + 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  // Start-up failures are configuration problems in the main: say what is wrong, one line each, not a stack trace.
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`configuration error: ${problem}`);
    process.exit(2);
  }
  if (err instanceof NoSimulatorError) {
    console.error(`configuration error: ${err.message}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
