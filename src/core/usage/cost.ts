// Dollars from token counts: full floating precision here, rounding only when formatted (format.ts).
import { CostSum, promptTokens, Tokens, totalTokens, UsageRecord } from '../../shared/usage';
import type { PriceBook } from './priceBook';
import { BATCH_DISCOUNT, ModelPrice, WEB_SEARCH_PER_1000 } from './prices';

// The token types and sums are plain data the usage report webview shares (shared/usage.ts).
export type { CostSum, Tokens };
export { promptTokens, totalTokens };

export interface Cost {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** Web searches, per 1,000 (not discounted in batches: UNCONFIRMED). */
  webSearch: number;
  total: number;
}

export const ZERO_TOKENS: Tokens = Object.freeze({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });

export function addTokens(a: Tokens, b: Tokens): Tokens {
  const sum: Tokens = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
  };
  const searches = (a.webSearchRequests ?? 0) + (b.webSearchRequests ?? 0);
  if (searches) sum.webSearchRequests = searches;
  return sum;
}

/** cacheRead / (input + cacheRead + cacheWrite); undefined when there was no prompt at all. */
export function cacheHitShare(t: Tokens): number | undefined {
  const p = promptTokens(t);
  return p > 0 ? t.cacheReadTokens / p : undefined;
}

export function costWithPrice(t: Tokens, p: ModelPrice, batch: boolean): Cost {
  const m = batch ? BATCH_DISCOUNT : 1;
  const usd = (tokens: number, perMillion: number) => (tokens * perMillion * m) / 1_000_000;
  const c = {
    input: usd(t.inputTokens, p.input),
    output: usd(t.outputTokens, p.output),
    cacheWrite5m: usd(t.cacheWrite5mTokens, p.cacheWrite5m),
    cacheWrite1h: usd(t.cacheWrite1hTokens, p.cacheWrite1h),
    cacheRead: usd(t.cacheReadTokens, p.cacheRead),
    webSearch: ((t.webSearchRequests ?? 0) * (p.webSearchPer1000 ?? WEB_SEARCH_PER_1000)) / 1000,
  };
  return { ...c, total: c.input + c.output + c.cacheWrite5m + c.cacheWrite1h + c.cacheRead + c.webSearch };
}

/** Cost of tokens sent to `model`, or undefined when the model has no known price. */
export function costOf(model: string, t: Tokens, batch: boolean, book: PriceBook): Cost | undefined {
  const p = book.price(model);
  return p ? costWithPrice(t, p, batch) : undefined;
}

export function recordCost(r: UsageRecord, book: PriceBook): Cost | undefined {
  return costOf(r.model, r, r.batch, book);
}

/**
 * What caching saved: the same tokens priced as if every prompt token were uncached input, minus what they
 * did cost. Negative when cache writes (priced above input) outweigh the reads so far. Undefined if unknown.
 */
export function cacheSavings(model: string, t: Tokens, batch: boolean, book: PriceBook): number | undefined {
  const p = book.price(model);
  if (!p) return undefined;
  const uncached = costWithPrice({ ...ZERO_TOKENS, inputTokens: promptTokens(t), outputTokens: t.outputTokens, webSearchRequests: t.webSearchRequests }, p, batch);
  return uncached.total - costWithPrice(t, p, batch).total;
}

/**
 * What one read of everything written so far saves over sending it uncached: the rate at which a first cache write
 * (an investment: writes cost more than input) is repaid. Undefined for an unknown model or nothing written.
 */
export function savingPerRead(model: string, t: Tokens, batch: boolean, book: PriceBook): number | undefined {
  const p = book.price(model);
  const written = t.cacheWrite5mTokens + t.cacheWrite1hTokens;
  if (!p || written === 0) return undefined;
  return ((written * (p.input - p.cacheRead)) / 1_000_000) * (batch ? BATCH_DISCOUNT : 1);
}

/** Reads of the cached prefix still needed before `deficit` dollars of cache writes are repaid (at least 1). */
export function readsToBreakEven(deficit: number, perRead: number | undefined): number | undefined {
  if (!(deficit > 0) || !perRead || perRead <= 0) return undefined;
  return Math.max(1, Math.ceil(deficit / perRead - 1e-9));
}

export function emptyCostSum(): CostSum {
  return { known: 0, unknownTokens: 0, unknownModels: [] };
}

export function addCost(sum: CostSum, model: string, t: Tokens, cost: number | undefined): void {
  if (cost !== undefined) {
    sum.known += cost;
    return;
  }
  sum.unknownTokens += totalTokens(t);
  if (!sum.unknownModels.includes(model)) sum.unknownModels.push(model);
}
