// The fake API's notion of "now": cache TTLs, batch processing and rate-limit reset times all read it.
// By default it starts at a fixed epoch and ticks with real time, so standalone use behaves sensibly;
// tests move it forward with advance() (or freeze() it) to expire caches and finish batches instantly.

/** 2026-11-22T00:00:00Z: the day the wire spec was written. Any fixed value would do. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 10, 22, 0, 0, 0);

export interface ClockOptions {
  /** Start time (ms since 1970, a Date or an ISO string). Default DEFAULT_EPOCH_MS. */
  start?: number | string | Date;
  /** false: time moves only through advance()/set(). Default true (ticks with real time). */
  ticking?: boolean;
}

export class FakeClock {
  private readonly startMs: number;
  private readonly initiallyTicking: boolean;
  private baseMs = 0;
  private realAnchor = 0;
  private ticking = true;

  constructor(opts: ClockOptions = {}) {
    const s = opts.start ?? DEFAULT_EPOCH_MS;
    this.startMs = s instanceof Date ? s.getTime() : typeof s === 'string' ? Date.parse(s) : s;
    if (!Number.isFinite(this.startMs)) throw new Error(`fake-api: bad clock start ${String(opts.start)}`);
    this.initiallyTicking = opts.ticking ?? true;
    this.reset();
  }

  /** Current fake time in ms since 1970. */
  now(): number {
    return this.ticking ? this.baseMs + (Date.now() - this.realAnchor) : this.baseMs;
  }

  /** RFC 3339 string of now() (or of `ms`). */
  iso(ms: number = this.now()): string {
    return new Date(ms).toISOString();
  }

  /** Move time forward by `ms` (must be >= 0: time never goes back). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`fake-api: clock.advance needs a finite ms >= 0, got ${ms}`);
    this.rebase(this.now() + ms);
  }

  /** Stop real-time ticking; time then moves only through advance(). */
  freeze(): void {
    this.rebase(this.now());
    this.ticking = false;
  }

  /** Resume real-time ticking from the current fake time. */
  resume(): void {
    this.rebase(this.now());
    this.ticking = true;
  }

  /** Back to the start time and the initial ticking mode. */
  reset(): void {
    this.ticking = this.initiallyTicking;
    this.rebase(this.startMs);
  }

  private rebase(ms: number): void {
    this.baseMs = ms;
    this.realAnchor = Date.now();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
