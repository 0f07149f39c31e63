// The shape of a simulated JSON-RPC method: what it is given, and the flags the dispatcher checks first.
import type { ClusterAdmin } from '../state/model';
import type { Params } from '../params';
import type { ReplicationEngine } from '../state/replication-engine';
import type { ElementState } from '../state/state';

export interface MethodContext {
  state: ElementState;
  /** API version of the endpoint the request came in on, e.g. 12.3. */
  version: number;
  /** Pairing and transfers to paired clusters. */
  replication: ReplicationEngine;
  /** The account that called (a cluster admin, or a paired cluster's pairing account). */
  caller: ClusterAdmin;
}

export interface MethodSpec {
  /** May answer a promise: the pairing methods call the paired cluster over HTTP. */
  run(ctx: MethodContext, params: Params): unknown;
  /** First API version that has the method; older endpoints answer xUnknownAPIMethod. @default 1.0 */
  since?: number;
  /**
   * A cluster-to-cluster method of the simulator (not part of Element's public API): only a paired
   * cluster's pairing account may call it, and for an administrator it does not exist.
   */
  internal?: boolean;
}

export type MethodTable = Record<string, MethodSpec>;

/** Get* and List* methods only read; everything else needs the administrator access level. */
export const isReadMethod = (name: string): boolean => /^(Get|List)/.test(name);
