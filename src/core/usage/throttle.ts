// A trailing throttle: run() asks for a call, which happens at most once per `intervalMs` (and never synchronously),
// always with the latest state because the callback reads it when it fires. flush() does a pending call now.
// Used for the status bar's live token count while a reply streams (host/statusBar.ts).
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private handle: unknown;
  private last = -Infinity;

  /** `minDelayMs`: even the first call of a burst waits this long (lets more urgent work go first). */
  constructor(private readonly fn: () => void, private readonly intervalMs: number, private readonly minDelayMs = 0, private readonly timers: Timers = realTimers) {}

  get pending(): boolean {
    return this.handle !== undefined;
  }

  run(): void {
    if (this.handle !== undefined) return;
    const wait = Math.max(this.minDelayMs, this.last + this.intervalMs - this.timers.now());
    this.handle = this.timers.setTimeout(() => this.fire(), wait);
  }

  /** Does the pending call now, if there is one. */
  flush(): void {
    if (this.handle !== undefined) this.fire();
  }

  /** Drops the pending call. */
  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  dispose(): void {
    this.cancel();
  }

  private fire(): void {
    this.cancel();
    this.last = this.timers.now();
    this.fn();
  }
}
