// The shape of a simulated JSON-RPC method: what it is given, and the flags the dispatcher checks first.
import type { Params } from '../params';
import type { ElementState } from '../state';

export interface MethodContext {
  state: ElementState;
  /** API version of the endpoint the request came in on, e.g. 12.3. */
  version: number;
}

export interface MethodSpec {
  run(ctx: MethodContext, params: Params): unknown;
  /** First API version that has the method; older endpoints answer xUnknownAPIMethod. @default 1.0 */
  since?: number;
}

export type MethodTable = Record<string, MethodSpec>;

/** Get* and List* methods only read; everything else needs the administrator access level. */
export const isReadMethod = (name: string): boolean => /^(Get|List)/.test(name);
