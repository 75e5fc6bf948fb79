// How often a running batch is polled: start quick (most small batches end within minutes), back off to a
// minute (a batch may take up to 24 h). A test or a caller in a hurry passes its own bounds.

export interface PollSchedule {
  /** First wait, ms. Default 2 s. */
  initialMs: number;
  /** Longest wait, ms. Default 60 s. */
  maxMs: number;
  /** Growth per poll. Default 1.5. */
  factor: number;
}

export const DEFAULT_POLL: PollSchedule = { initialMs: 2_000, maxMs: 60_000, factor: 1.5 };

/** A schedule with every wait `ms` (tests), or the default with some bounds replaced. */
export function pollSchedule(o: Partial<PollSchedule> & { everyMs?: number } = {}): PollSchedule {
  if (o.everyMs !== undefined) return { initialMs: o.everyMs, maxMs: o.everyMs, factor: 1 };
  const s = { ...DEFAULT_POLL, ...o };
  return { ...s, maxMs: Math.max(s.initialMs, s.maxMs), factor: Math.max(1, s.factor) };
}

/** The waits in order: initial, initial*factor, … capped at maxMs. */
export class Backoff {
  private next: number;

  constructor(private readonly s: PollSchedule = DEFAULT_POLL) {
    this.next = s.initialMs;
  }

  delay(): number {
    const d = Math.min(this.next, this.s.maxMs);
    this.next = Math.min(this.s.maxMs, Math.round(this.next * this.s.factor));
    return d;
  }

  reset(): void {
    this.next = this.s.initialMs;
  }
}
