// What every router gets: the cluster state, its accounts, faults, settings, the job runner, timers to stop on close
// (one-shot and recurring), and the replication engine's live parts.
import { Agent } from 'undici';
import type { FaultController } from '../shared/faults';
import { Timers } from '../shared/timers';
import { DEFAULT_REPLICATION_RATE } from '../shared/transfer';
import type { LocalEnds } from './state/intercluster-link';
import { Jobs } from './state/jobs';
import type { UserAccount } from './state/model';
import { type Settings, defaultSettings } from './settings';
import type { OntapState } from './state/state';

export class SimContext {
  private readonly timers = new Timers();
  settings: Settings = defaultSettings();
  readonly jobs: Jobs;
  /** `host:port` this cluster's API answers on, as peers reach it (set once the server listens). */
  address = '';
  /** Bytes per second replication leaves this cluster at, unless the runtime knob (/sim/faults) says otherwise. */
  replicationRate = DEFAULT_REPLICATION_RATE;
  /** Transfers this cluster is sending (source side), by transfer uuid: aborting one stops its engine. */
  readonly sending = new Map<string, AbortController>();
  /** Transfers this cluster is receiving (destination side): the content staged until the commit. */
  readonly receiving = new Map<string, unknown>();
  /** This cluster's sending and receiving engines, for relationships whose both ends are here (set by the server). */
  localEnds!: LocalEnds;
  /** Keep-alive pool of intercluster calls. */
  readonly intercluster = new Agent({ keepAliveTimeout: 1000, connections: 8 });

  constructor(
    readonly state: OntapState,
    readonly users: readonly UserAccount[],
    readonly faults: FaultController,
  ) {
    this.jobs = new Jobs(this);
  }

  /** Background work (job steps, clone splits, transfer watchdogs); cancelled by dispose(). */
  later(ms: number, work: () => void): void {
    this.timers.later(ms, work);
  }

  /** Recurring background work (the schedule runner), cancelled by dispose(). */
  every(ms: number, work: () => void): void {
    this.timers.every(ms, work);
  }

  get disposed(): boolean {
    return this.timers.isStopped;
  }

  dispose(): void {
    this.timers.stop();
    for (const c of this.sending.values()) c.abort(new Error('the source cluster is shutting down'));
    this.sending.clear();
    this.receiving.clear();
    this.faults.dispose();
    this.jobs.dispose();
    void this.intercluster.destroy().catch(() => undefined);
  }
}
