// What every router gets: the appliance state, its accounts, the fault controller, the replication engine, and timers to stop on close.
import type { FaultController } from '../../shared/simulator/faults';
import { DEFAULT_REPLICATION_RATE } from '../../shared/simulator/transfer';
import type { UserAccount } from './model';
import { PeerClient } from './peer-client';
import { ReplicationEngine } from './replication';
import type { VsnapState } from './state';

export class SimContext {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Calls to partner systems (pairing, relationships, data). */
  readonly peers = new PeerClient();
  readonly replication: ReplicationEngine;
  /** Where partners reach this system when POST /api/partner names no local_addr/local_api_port; the port is set once the server listens. */
  self = { address: '127.0.0.1', port: 8900 };
  /** Bytes per second at which sessions send, unless POST /sim/faults {replicationRate} overrides it. */
  replicationRate = DEFAULT_REPLICATION_RATE;
  private disposed = false;

  constructor(
    readonly state: VsnapState,
    readonly users: readonly UserAccount[],
    readonly faults: FaultController,
  ) {
    this.replication = new ReplicationEngine(this);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Background work such as an async system init; cancelled by dispose(). */
  later(ms: number, work: () => void): void {
    if (this.disposed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.faults.dispose();
    this.replication.dispose();
    this.peers.close();
  }
}
