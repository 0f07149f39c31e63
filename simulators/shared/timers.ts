// Background timers a simulator must stop when it closes, so a closed simulator leaves nothing running.

export class Timers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs `work` once after `ms`, unless stopped first. */
  later(ms: number, work: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  /** Runs `work` every `ms`; unref'd so it never keeps the process alive on its own. */
  every(ms: number, work: () => void): void {
    if (this.stopped) return;
    const timer = setInterval(work, ms);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    // clearTimeout also clears setInterval timers.
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
