// What every router gets: the cluster state, its accounts, faults, settings, the job runner, and timers to stop on close.
import type { FaultController } from '../../shared/simulator/faults';
import { Jobs } from './jobs';
import type { UserAccount } from './model';
import { type Settings, defaultSettings } from './settings';
import type { OntapState } from './state';

export class SimContext {
  private readonly timers = new Set<NodeJS.Timeout>();
  settings: Settings = defaultSettings();
  readonly jobs: Jobs;

  constructor(
    readonly state: OntapState,
    readonly users: readonly UserAccount[],
    readonly faults: FaultController,
  ) {
    this.jobs = new Jobs(this);
  }

  /** Background work (job steps, clone splits); cancelled by dispose(). */
  later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.faults.dispose();
    this.jobs.dispose();
  }
}
