// What every router gets: the appliance state, its accounts, the fault controller, and timers to stop on close.
import type { FaultController } from '../../shared/simulator/faults';
import type { UserAccount } from './model';
import type { VsnapState } from './state';

export class SimContext {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly state: VsnapState,
    readonly users: readonly UserAccount[],
    readonly faults: FaultController,
  ) {}

  /** Background work such as an async system init; cancelled by dispose(). */
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
  }
}
