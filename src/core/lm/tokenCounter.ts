// provideTokenCount: VS Code asks often (it is on the hot path; reference §1.6), so answer at once from an estimate
// and refine it with POST /v1/messages/count_tokens off the hot path: requests are debounced, a few distinct texts
// are counted per quiet period, exact answers are cached (bounded LRU), and each exact count also corrects the
// estimate of that model (a ratio, so texts never counted get better too).
import { createHash } from 'node:crypto';
import type { Logger } from '../ports';
import { nullLogger } from '../ports';
import { estimateTokens } from '../tokens';

export interface TokenCounterDeps {
  /** Exact input tokens of a one-message request holding `text` (count_tokens), framing included. */
  count(model: string, text: string): Promise<number>;
  /** Whether exact counts may be fetched now (a key, the provider on, a caller the user allowed). */
  mayRefine(): boolean;
  debounceMs?: number;
  /** Distinct texts counted per quiet period. */
  perFlush?: number;
  maxEntries?: number;
  logger?: Logger;
}

const MIN_RATIO = 0.5;
const MAX_RATIO = 2;
/** Texts shorter than this are not worth a request: the estimate is within a token or two. */
const MIN_REFINE_CHARS = 200;

export class TokenCounter {
  private readonly exact = new Map<string, number>();
  private readonly queue = new Map<string, { model: string; text: string }>();
  private readonly ratio = new Map<string, number>();
  private readonly framing = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  /** Requests sent to count_tokens (for tests and the log). */
  sent = 0;

  constructor(private readonly deps: TokenCounterDeps) {
    this.logger = deps.logger ?? nullLogger;
  }

  /** An answer now: the exact count when known, else the (corrected) estimate; schedules a refinement. */
  count(model: string, text: string): number {
    const key = keyOf(model, text);
    const known = this.exact.get(key);
    if (known !== undefined) {
      this.exact.delete(key); // LRU: most recent last
      this.exact.set(key, known);
      return known;
    }
    const estimate = Math.max(text.length > 0 ? 1 : 0, Math.round(estimateTokens(text) * (this.ratio.get(model) ?? 1)));
    if (text.length >= MIN_REFINE_CHARS && this.deps.mayRefine()) this.schedule(key, model, text);
    return estimate;
  }

  /** Resolves when the refinements scheduled so far are done (tests). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.clear();
  }

  private schedule(key: string, model: string, text: string): void {
    this.queue.delete(key);
    this.queue.set(key, { model, text });
    while (this.queue.size > (this.deps.perFlush ?? 4) * 4) this.queue.delete(this.queue.keys().next().value as string);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, this.deps.debounceMs ?? 750);
  }

  private async flush(): Promise<void> {
    const newest = [...this.queue.entries()].reverse().slice(0, this.deps.perFlush ?? 4);
    this.queue.clear();
    for (const [key, { model, text }] of newest) {
      if (!this.deps.mayRefine()) return;
      try {
        const framing = await this.framingOf(model);
        this.sent++;
        const n = Math.max(1, (await this.deps.count(model, text)) - framing);
        this.remember(key, n);
        const r = n / Math.max(1, estimateTokens(text));
        this.ratio.set(model, Math.min(MAX_RATIO, Math.max(MIN_RATIO, ((this.ratio.get(model) ?? r) + r) / 2)));
      } catch (e) {
        this.logger.warn(`provider: count_tokens failed, keeping the estimate: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
  }

  /** The tokens count_tokens adds around a one-character message, measured once per model. */
  private async framingOf(model: string): Promise<number> {
    let f = this.framing.get(model);
    if (f === undefined) {
      this.sent++;
      f = Math.max(0, (await this.deps.count(model, '.')) - 1);
      this.framing.set(model, f);
    }
    return f;
  }

  private remember(key: string, n: number): void {
    this.exact.set(key, n);
    while (this.exact.size > (this.deps.maxEntries ?? 1000)) this.exact.delete(this.exact.keys().next().value as string);
  }
}

function keyOf(model: string, text: string): string {
  return `${model}\n${createHash('sha256').update(text).digest('base64')}`;
}
