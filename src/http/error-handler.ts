/**
 * The one place that turns errors into HTTP: StorageError, validator and body-parser errors become the spec's Error
 * body.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ERROR_CATALOG, type ErrorCode, type ErrorDetail, StorageError } from '../domain/errors';
import { requestIdOf } from './request-frame';

interface ValidatorIssue {
  path?: string;
  message?: string;
  errorCode?: string;
  params?: { allowedValues?: unknown[] };
}

/** Errors thrown by express-openapi-validator carry an HTTP status and a list of issues. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: ValidatorIssue[];
  path?: string;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Validator paths come as '/query/action' or '.query.action'; both become 'query.action'. */
function normalizePath(p: string | undefined): string | undefined {
  return p?.replace(/^[./]/, '').replace(/\//g, '.');
}

function details(issues: ValidatorIssue[] | undefined): ErrorDetail[] | undefined {
  if (!issues?.length) return undefined;
  return issues.slice(0, 20).map((i) => ({ path: normalizePath(i.path), message: i.message ?? 'invalid' }));
}

/**
 * The validator reports an unknown or missing `?action=` as a query issue; answer it as UNKNOWN_ACTION with the valid
 * names.
 */
function actionIssue(req: Parameters<RequestHandler>[0], e: HttpLikeError): StorageError | undefined {
  const issue = e.errors?.find(
    (i) =>
      normalizePath(i.path) === 'query.action' || (normalizePath(i.path) === 'query' && /action/.test(i.message ?? '')),
  );
  if (!issue) return undefined;
  const allowed = issue.params?.allowedValues ?? /allowed values: (.*)$/.exec(issue.message ?? '')?.[1]?.split(/,\s*/);
  const given = typeof req.query.action === 'string' ? `'${req.query.action}'` : 'no action';
  const valid = allowed ? `; valid actions: ${allowed.join(', ')}` : '';
  return new StorageError(
    'UNKNOWN_ACTION',
    `${given} is not an action of ${req.method} ${req.originalUrl.split('?')[0]}${valid}`,
    {
      details: [{ path: 'query.action', message: issue.message ?? 'unknown action' }],
    },
  );
}

export function toStorageError(req: Parameters<RequestHandler>[0], err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const e = (err ?? {}) as HttpLikeError;
  // body-parser
  if (e.type === 'entity.parse.failed')
    return new StorageError('BAD_REQUEST', `the body is not valid JSON: ${e.message}`);
  if (e.type === 'entity.too.large')
    return new StorageError('PAYLOAD_TOO_LARGE', 'the request body is larger than the plugin accepts');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new StorageError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported body encoding');
  }
  const status = e.status ?? e.statusCode;
  if (status === 400) {
    const action = actionIssue(req, e);
    if (action) return action;
  }
  if (status && STATUS_CODES[status]) {
    const code = STATUS_CODES[status];
    const message =
      status === 405
        ? `${req.method} is not allowed on ${req.path}`
        : status === 404
          ? `no such resource: ${req.path}`
          : (e.message ?? ERROR_CATALOG[code].title);
    return new StorageError(code, message, { details: details(e.errors) });
  }
  return new StorageError('INTERNAL', 'an unexpected error occurred in the plugin', { cause: err });
}

/**
 * How loud an error answer is logged: a refused request (4xx) or a feature the array lacks (a declared 501) is normal
 * traffic, an array fault is worth a look, only a fault of the plugin itself is an error.
 */
function levelOf(se: StorageError): 'info' | 'warn' | 'error' {
  if (se.code === 'INTERNAL') return 'error';
  if (se.code === 'BACKEND_ERROR' || se.code === 'BACKEND_UNAVAILABLE' || se.code === 'BACKEND_TIMEOUT') return 'warn';
  return 'info';
}

export function errorHandler(logger: Logger, onError?: (se: StorageError) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const se = toStorageError(req, err);
    onError?.(se);
    const level = levelOf(se);
    // A store outage is logged once, when it starts and ends (see OutageLog), not once per request it fails.
    const quiet = se.code === 'SESSION_STORE_UNAVAILABLE';
    const cause = se.code === 'INTERNAL' ? err : se.cause;
    if (!quiet)
      logger[level](
        {
          requestId: requestIdOf(res),
          array: res.locals.array as string | undefined,
          code: se.code,
          status: se.status,
          method: req.method,
          path: req.path,
          // A stack only where the plugin itself failed; an array's fault is described by its message.
          err:
            level === 'error' && cause instanceof Error
              ? { message: cause.message, stack: cause.stack }
              : cause instanceof Error
                ? { message: cause.message }
                : undefined,
        },
        se.message,
      );
    if (res.headersSent) return;
    if (se.retryAfter !== undefined) res.set('Retry-After', String(se.retryAfter));
    const body: { error: { type: ErrorCode; message: string; details?: ErrorDetail[]; requestId?: string } } = {
      error: { type: se.code, message: se.message },
    };
    if (se.details) body.error.details = se.details;
    const requestId = requestIdOf(res);
    if (requestId) body.error.requestId = requestId;
    res.status(se.status).json(body);
  };
}

/** Paths outside the API answer the same JSON 404 as unknown API paths. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new StorageError('NOT_FOUND', `no such resource: ${req.path}`));
};
