/**
 * createApp(): the Express application for one backend, with no singletons (config, backend and stores are passed in).
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { BackendDefinition, BackendDriver } from './backend';
import type { Config } from './config';
import type { Coordinator } from './coordination/coordinator';
import type { CoordinationPolicy } from './domain/service';
import { acceptCheck } from './http/accept';
import { cors } from './http/cors';
import { docsRoutes } from './http/docs';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { type ReadinessCheck, operationsRoutes } from './http/operations';
import { requestFrame } from './http/request-frame';
import { consistencyGroupRoutes } from './http/routes/consistencygroup';
import { hostRoutes } from './http/routes/host';
import { infoRoutes } from './http/routes/info';
import { inventoryRoutes } from './http/routes/inventory';
import { logRoutes } from './http/routes/log';
import { lunRoutes } from './http/routes/lun';
import { sessionRoutes } from './http/routes/session';
import { snapshotRoutes } from './http/routes/snapshot';
import { storageRoutes } from './http/routes/storage';
import { volumeRoutes } from './http/routes/volume';
import { LoginGuard, sessionRateLimit } from './http/rate-limit';
import { parseAllowlist } from './domain/allowlist';
import { sessionMiddleware } from './http/session';
import { requestValidator } from './http/validator';
import { API_BASE, loadSpec } from './http/spec';
import { OutageLog, watched } from './logs/outage';
import type { Metrics } from './metrics';
import type { SessionStore } from './sessions/store';

export type AppConfig = Pick<Config, 'bodyLimit' | 'logDir' | 'validateResponses'> &
  Partial<
    Pick<
      Config,
      | 'sessionRateLimit'
      | 'loginFailuresPerClient'
      | 'loginFailuresPerArray'
      | 'loginFailureWindowSeconds'
      | 'arrayAllowlist'
      | 'trustProxy'
      | 'corsOrigins'
      | 'lockTtlMs'
      | 'createWindowSeconds'
      | 'metricsToken'
      | 'requestTimeoutMs'
      | 'logDownloadMaxBytes'
    >
  >;

export interface AppDeps {
  config: AppConfig;
  backend: BackendDefinition;
  driver: BackendDriver;
  sessions: SessionStore;
  coordinator: Coordinator;
  logger: Logger;
  /** The per-request access log. @default logger */
  accessLogger?: Logger;
  /** Prometheus metrics (GET /metrics); none when unset (METRICS=off). */
  metrics?: Metrics;
  /** What GET /readyz waits for (Redis, the embedded simulator). @default none */
  readiness?: ReadinessCheck[];
}

export function createApp({
  config,
  backend,
  driver,
  sessions: sessionStore,
  coordinator: coordination,
  logger,
  accessLogger,
  metrics,
  readiness = [],
}: AppDeps): Express {
  // A Redis outage is logged once when it starts and once when it ends, with how many calls it failed.
  const outage = new OutageLog(logger, 'the session store (Redis)');
  const sessions = watched(sessionStore, outage);
  const coordinator = watched(coordination, outage);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trustProxy ?? 0);

  app.use(requestFrame(accessLogger ?? logger, metrics, config.requestTimeoutMs));
  // Health, readiness and metrics: outside the contract, with no session and no rate limit.
  app.use(operationsRoutes({ readiness, metrics, metricsToken: config.metricsToken }));
  // With CORS off (the default) the middleware is not mounted at all: nothing to do per request.
  if (config.corsOrigins?.length) app.use(cors(config.corsOrigins));
  // Strict JSON, only for JSON bodies; other content types reach the validator unparsed and answer 415.
  app.use(express.json({ limit: config.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));

  const spec = loadSpec();
  const api = express.Router();
  // The docs page is HTML for a browser: before the JSON-only Accept check.
  api.use(docsRoutes());
  api.use(acceptCheck);
  api.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  // The session check comes before request validation so that a call without a session answers 401, not 400.
  const policy = (arrayKey: string): CoordinationPolicy => ({
    coordinator,
    arrayKey,
    lockTtlMs: config.lockTtlMs ?? 15_000,
    createWindowMs: (config.createWindowSeconds ?? 600) * 1000,
    createWaitMs: 30_000,
    events: metrics && { lockConflict: metrics.lockConflict, createWaited: metrics.createWaited },
  });
  api.use(sessionMiddleware(sessions, backend, driver, policy));
  app.use(API_BASE, api);

  app.use(requestValidator(loadSpec(), config.validateResponses));

  // Every resource registers on one router: nested routers cost a dispatch each (a tenth of a read).
  const routes = express.Router();
  infoRoutes(backend, routes);
  sessionRoutes(
    backend,
    driver,
    sessions,
    logger,
    {
      allowlist: config.arrayAllowlist ?? parseAllowlist(''),
      rateLimit: sessionRateLimit(coordinator, config.sessionRateLimit ?? 30),
      guard: new LoginGuard(coordinator, {
        perClient: config.loginFailuresPerClient ?? 20,
        perArray: config.loginFailuresPerArray ?? 10,
        windowSeconds: config.loginFailureWindowSeconds ?? 900,
      }),
    },
    routes,
  );
  logRoutes(config.logDir, [logger, ...(accessLogger ? [accessLogger] : [])], routes, {
    maxBytes: config.logDownloadMaxBytes,
  });
  storageRoutes(routes);
  volumeRoutes(routes);
  snapshotRoutes(routes);
  lunRoutes(routes);
  hostRoutes(routes);
  inventoryRoutes(routes);
  consistencyGroupRoutes(routes);
  app.use(API_BASE, routes);

  app.use(notFoundHandler);
  app.use(
    errorHandler(logger, metrics && ((se) => se.code === 'SESSION_STORE_UNAVAILABLE' && metrics.redisError('command'))),
  );
  return app;
}
