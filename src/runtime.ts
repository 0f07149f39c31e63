/**
 * Assembles a running plugin from its configuration: backend, optional embedded simulator, session store, logger,
 * metrics, readiness checks, app.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import { request } from 'undici';
import { backendNamed } from '../plugins';
import { createApp } from './app';
import type { BackendDriver } from './backend';
import { type Config, redactedConfig } from './config';
import { type EmbeddedSimulator, startEmbeddedSimulator } from './embedded-simulator';
import type { ReadinessCheck } from './http/operations';
import { createLoggers } from './logs/logger';
import { OPERATOR_ONLY } from './logs/array-label';
import { Metrics } from './metrics';
import { remoteCredentialsLookup } from './remote-credentials';
import { type Stores, openStores } from './stores';

export interface Runtime {
  app: Express;
  logger: Logger;
  simulator?: EmbeddedSimulator;
  close(): Promise<void>;
}

/** The embedded simulator answers HTTP at all (any status: it is up). */
async function simulatorAnswers(url: string): Promise<void> {
  const res = await request(url, { method: 'GET', headersTimeout: 1000, bodyTimeout: 1000 });
  await res.body.dump();
}

export async function startRuntime(config: Config): Promise<Runtime> {
  const { logger, access } = createLoggers({
    dir: config.logDir,
    level: config.logLevel,
    stdout: config.logStdout,
    maxBytes: config.logMaxBytes,
    maxFiles: config.logMaxFiles,
  });
  const backend = backendNamed(config.backend);
  // The configuration names arrays (allowlist, paired arrays' hosts): the operator's to read, not a CDM user's.
  logger.info(
    { array: OPERATOR_ONLY, config: redactedConfig(config) },
    `starting the CDM storage plugin for ${backend.displayName}`,
  );
  if (config.production && config.arrayAllowlist.empty)
    logger.warn(
      'ARRAY_ALLOWLIST is empty: POST /session may name any address, so whoever reaches the plugin can make it connect anywhere; list the arrays it serves',
    );

  let simulator: EmbeddedSimulator | undefined;
  if (config.simulator) {
    simulator = await startEmbeddedSimulator(backend.name, {
      port: config.simulatorPort,
      stateFile: config.simulatorStateFile,
    });
    const regions = simulator.regions?.map((r) => `${r.name} ${r.url}`).join(', ');
    logger.info(
      `embedded ${backend.name} simulator at ${simulator.url}${regions ? ` (regions ${regions})` : ''} (SIMULATOR=off to disable)`,
    );
  }

  let stores: Stores | undefined;
  let driver: BackendDriver | undefined;
  let metrics: Metrics | undefined;
  try {
    stores = await openStores(config, logger);
    const s = stores;
    metrics = config.metrics
      ? new Metrics({ backend: backend.name, activeSessions: () => s.countSessions() })
      : undefined;
    if (metrics && stores.redis) stores.redis.on('error', () => metrics?.redisError('connection'));
    driver = backend.create({
      scheme: config.arrayScheme,
      tlsInsecure: config.arrayTlsInsecure,
      timeoutMs: config.arrayTimeoutMs,
      connectTimeoutMs: config.arrayConnectTimeoutMs,
      logger,
      names: stores.names,
      cursors: stores.cursors,
      arrayChanges: stores.arrayChanges,
      remoteCredentials: remoteCredentialsLookup(config.remoteArrayCredentials),
      allowsArray: (host, port) => config.arrayAllowlist.allows(host, port),
      observeCall: metrics?.arrayCall,
    });
  } catch (err) {
    await simulator?.close();
    throw err;
  }
  const readiness: ReadinessCheck[] = [];
  if (stores.redis) readiness.push({ name: 'redis', check: stores.ping });
  if (simulator) {
    const url = simulator.url;
    readiness.push({ name: 'simulator', check: () => simulatorAnswers(url) });
  }
  const app = createApp({
    config,
    backend,
    driver,
    sessions: stores.sessions,
    coordinator: stores.coordinator,
    logger,
    accessLogger: access,
    metrics,
    readiness,
  });
  const [st, d] = [stores, driver];
  return {
    app,
    logger,
    simulator,
    async close() {
      await Promise.allSettled([st.close(), d.close(), simulator?.close()]);
    },
  };
}
