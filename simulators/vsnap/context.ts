// What every router gets: the appliance state, its accounts, the fault controller, the replication engine, and timers
// to stop on close.
import type { FaultController } from '../shared/faults';
import { Timers } from '../shared/timers';
import { DEFAULT_REPLICATION_RATE } from '../shared/transfer';
import type { UserAccount } from './state/model';
import { PeerClient } from './state/peer-client';
import { ReplicationEngine } from './state/replication';
import type { VsnapState } from './state/state';

export class SimContext {
  private readonly timers = new Timers();
  /** Calls to partner systems (pairing, relationships, data). */
  readonly peers = new PeerClient();
  readonly replication: ReplicationEngine;
  /**
   * Where partners reach this system when POST /api/partner names no local_addr/local_api_port; the port is set once
   * the server listens.
   */
  self = { address: '127.0.0.1', port: 8900 };
  /** Bytes per second at which sessions send, unless POST /sim/faults {replicationRate} overrides it. */
  replicationRate = DEFAULT_REPLICATION_RATE;

  constructor(
    readonly state: VsnapState,
    readonly users: readonly UserAccount[],
    readonly faults: FaultController,
  ) {
    this.replication = new ReplicationEngine(this);
  }

  get isDisposed(): boolean {
    return this.timers.isStopped;
  }

  /** Background work such as an async system init; cancelled by dispose(). */
  later(ms: number, work: () => void): void {
    this.timers.later(ms, work);
  }

  dispose(): void {
    this.timers.stop();
    this.faults.dispose();
    this.replication.dispose();
    this.peers.close();
  }
}
