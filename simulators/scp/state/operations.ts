// The asynchronous half of the API's 202 answers: each operation finishes after a delay (or at once when
// POST /sim/settle says so), so clients see the states it passes through.
import { Timers } from '../../shared/timers';

export class Operations {
  private readonly timers = new Timers();
  private readonly pending = new Map<number, () => void>();
  private next = 1;

  constructor(
    /** How long an operation takes, ms (0: it finishes on the next turn of the event loop). */
    public delayMs: number,
  ) {}

  /** Runs `finish` once the operation's time is up, or at settle(), whichever comes first. */
  run(finish: () => void, delayMs = this.delayMs): void {
    const id = this.next++;
    const once = () => {
      if (!this.pending.delete(id)) return;
      finish();
    };
    this.pending.set(id, once);
    this.timers.later(Math.max(0, delayMs), once);
  }

  /** Finishes every pending operation now, in the order they started; answers how many. */
  settle(): number {
    const all = [...this.pending.values()];
    for (const finish of all) finish();
    return all.length;
  }

  get count(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.timers.stop();
    this.pending.clear();
  }
}
