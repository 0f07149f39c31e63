// What every router of one region gets: the region's state, the cloud around it, the 202 operations, the fault
// controls, the replication engine and the client for calls to other regions.
import type { FaultController } from '../shared/faults';
import { DEFAULT_REPLICATION_RATE } from '../shared/transfer';
import type { Cloud } from './state/cloud';
import { Operations } from './state/operations';
import { PeerClient } from './state/peer-client';
import type { RegionState } from './state/region';
import { ReplicaReceiver } from './state/replica';
import { ReplicationEngine } from './state/replication';
import { ScheduleClock } from './state/schedules';

export interface RegionOptions {
  /** How long a 202 operation takes before it settles, ms. */
  opDelayMs: number;
  /** Bytes per second replication leaves this region at (POST /sim/faults {replicationRate} overrides it). */
  replicationRate?: number;
  /** The scheme clients reach the region by, part of every signed URL. @default 'http' */
  scheme?: string;
}

export class RegionContext {
  readonly ops: Operations;
  readonly peers: PeerClient;
  readonly engine: ReplicationEngine;
  readonly receiver: ReplicaReceiver;
  readonly schedules: ScheduleClock;
  readonly startRate: number;
  readonly scheme: string;

  constructor(
    readonly cloud: Cloud,
    readonly state: RegionState,
    readonly faults: FaultController,
    options: RegionOptions,
  ) {
    this.ops = new Operations(options.opDelayMs);
    this.peers = new PeerClient(
      () => cloud.serviceKey,
      () => cloud.now(),
    );
    this.startRate = options.replicationRate || DEFAULT_REPLICATION_RATE;
    this.scheme = options.scheme ?? 'http';
    this.engine = new ReplicationEngine(this);
    this.receiver = new ReplicaReceiver(this);
    this.schedules = new ScheduleClock(this);
  }

  get name(): string {
    return this.state.name;
  }

  now(): number {
    return this.cloud.now();
  }

  /** The replication rate in force: the runtime setting, else the start option. */
  get rate(): number {
    return this.faults.replicationRate(this.startRate);
  }

  /** The endpoint of another region, or a 404 naming the regions there are. */
  regionUrl(region: string): string | undefined {
    return region === this.name ? undefined : this.cloud.urlOf(region);
  }

  dispose(): void {
    this.ops.dispose();
    this.engine.dispose();
    this.schedules.dispose();
    this.faults.dispose();
    this.peers.close();
  }
}
