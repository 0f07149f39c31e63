/** `?action=` dispatch: picks the handler of the named action after validating its body against the spec. */
import type { Request, RequestHandler, Response } from 'express';
import { StorageError } from '../domain/errors';
import { type ActionSpec, validateActionBody } from './spec';

export type ActionHandler = (req: Request, res: Response) => Promise<void>;

/**
 * The request's operation as express-openapi-validator matched it; its `x-actions` names each
 * action's body schema, so the spec stays the single source of truth for action bodies too.
 */
function actionSpecs(req: Request): Record<string, ActionSpec> {
  const op = (req as Request & { openapi?: { schema?: Record<string, unknown> } }).openapi?.schema;
  return (op?.['x-actions'] as Record<string, ActionSpec> | undefined) ?? {};
}

export function dispatchActions(table: Record<string, ActionHandler>): RequestHandler {
  return async (req, res) => {
    const action = String(req.query.action ?? '');
    const handler = table[action];
    if (!handler) {
      // The validator's enum normally answers first; this guards routes and spec drifting apart.
      throw new StorageError(
        'UNKNOWN_ACTION',
        `'${action}' is not an action of ${req.method} ${req.path}; valid actions: ${Object.keys(table).join(', ')}`,
      );
    }
    validateActionBody(action, actionSpecs(req)[action], req.body);
    await handler(req, res);
  };
}
