/**
 * Assembles a running plugin from its configuration: backend, optional embedded simulator, session store, logger, app.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import { backendNamed } from '../plugins';
import { createApp } from './app';
import type { BackendDriver } from './backend';
import { type Config, redactedConfig } from './config';
import { type EmbeddedSimulator, startEmbeddedSimulator } from './embedded-simulator';
import { createLoggers } from './logs/logger';
import { remoteCredentialsLookup } from './remote-credentials';
import { type Stores, openStores } from './stores';

export interface Runtime {
  app: Express;
  logger: Logger;
  simulator?: EmbeddedSimulator;
  close(): Promise<void>;
}

export async function startRuntime(config: Config): Promise<Runtime> {
  const { logger, access } = createLoggers({ dir: config.logDir, level: config.logLevel });
  const backend = backendNamed(config.backend);
  logger.info({ config: redactedConfig(config) }, `starting the CDM storage plugin for ${backend.displayName}`);

  let simulator: EmbeddedSimulator | undefined;
  if (config.simulator) {
    simulator = await startEmbeddedSimulator(backend.name, {
      port: config.simulatorPort,
      stateFile: config.simulatorStateFile,
    });
    logger.info(`embedded ${backend.name} simulator at ${simulator.url} (SIMULATOR=off to disable)`);
  }

  let stores: Stores | undefined;
  let driver: BackendDriver | undefined;
  try {
    stores = await openStores(config, logger);
    driver = backend.create({
      scheme: config.arrayScheme,
      tlsInsecure: config.arrayTlsInsecure,
      timeoutMs: config.arrayTimeoutMs,
      connectTimeoutMs: config.arrayConnectTimeoutMs,
      logger,
      remoteCredentials: remoteCredentialsLookup(config.remoteArrayCredentials),
    });
  } catch (err) {
    await simulator?.close();
    throw err;
  }
  const app = createApp({
    config,
    backend,
    driver,
    sessions: stores.sessions,
    coordinator: stores.coordinator,
    logger,
    accessLogger: access,
  });
  const [s, d] = [stores, driver];
  return {
    app,
    logger,
    simulator,
    async close() {
      await Promise.allSettled([s.close(), d.close(), simulator?.close()]);
    },
  };
}
