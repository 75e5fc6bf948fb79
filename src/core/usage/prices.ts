// The one price list: USD per million tokens, per model, as stated in ../shared/reference/anthropic-wire-spec.md
// §10.1/§10.2 (read 2026-11-22) with the cache multipliers of §6.7. Model prices change monthly: edit this
// table, or override/add models with the `claudeChat.prices` setting (priceBook.ts merges it on top).
//
// Multipliers (§6.7): 5-minute cache write = 1.25 × input, 1-hour cache write = 2 × input, cache read = 0.1 × input,
// except (footnote) Claude Fable 5.1 and Claude Mythos 5.1 at 0.025 × input. The Batch API is 50% of every
// price (batch: BATCH_DISCOUNT), and "these multipliers stack with … the Batch API discount".
// Not modelled: long-context premiums (UNCONFIRMED for the 1M 4.x models; "no premium" for Opus 4.8), data
// residency, and Haiku 5.5's higher band above 100K-token prompts ($0.50 / $2.50, a third-party report): the
// table holds its documented "From $0.10 / From $0.50" base band.

export interface ModelPrice {
  /** Uncached input tokens. */
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** Context window in tokens; undefined where the spec leaves it unconfirmed. */
  contextWindow?: number;
  /** USD per 1,000 web searches; undefined = WEB_SEARCH_PER_1000. */
  webSearchPer1000?: number;
}

/**
 * Web search: "$10 per 1,000 searches, plus standard token costs"; errored searches are not billed; web fetch has
 * "no additional charges beyond standard token costs" (spec-more §6.5). Whether the Batch API discount applies to
 * searches is UNCONFIRMED: it is not applied. Override per model with `webSearchPer1000` in claudeChat.prices.
 */
export const WEB_SEARCH_PER_1000 = 10;

export const BATCH_DISCOUNT = 0.5;
export const WRITE_5M_MULTIPLIER = 1.25;
export const WRITE_1H_MULTIPLIER = 2;
export const READ_MULTIPLIER = 0.1;

/**
 * Cache-read multipliers that differ from 0.1 (used to derive cacheRead for a model added only by its input
 * price in the setting).
 * - Fable 5.1 / Mythos 5.1: 0.025x, the pricing page's footnote.
 * - Sonnet 5.5 (cut from 0.1x on 2026-10-07) and Opus 5.5: 0.05x. These two are THIRD-PARTY reports
 *   (kurofune/claudit v1.9.2), not Anthropic's pricing page; override them in the setting if they differ.
 */
export const READ_MULTIPLIER_EXCEPTIONS: Readonly<Record<string, number>> = {
  'claude-fable-5-1': 0.025,
  'claude-mythos-5-1': 0.025,
  'claude-sonnet-5-5': 0.05,
  'claude-opus-5-5': 0.05,
};

const K = 1_000;
const M = 1_000_000;

/** Canonical id -> prices. Every row spells out all five prices so it can be checked against the spec's table. */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // §10.2, the current lineup.
  'claude-fable-5-2': { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.8, contextWindow: M },
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 0.25, contextWindow: M },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2, contextWindow: M },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.1, contextWindow: M },
  'claude-haiku-5-5': { input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01, contextWindow: M },
  'claude-opus-5': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, contextWindow: M },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2, contextWindow: M },
  'claude-fable-5': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1, contextWindow: M },
  'claude-mythos-5': { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1, contextWindow: M },
  // No price in the spec (cost unknown until added in the setting): claude-mythos-5-1, claude-mythos-5-2,
  // claude-mythos-preview.

  // §10.1, the 4.x family (legacy / deprecated / retired).
  'claude-opus-4-8': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, contextWindow: M },
  'claude-opus-4-7': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, contextWindow: M },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, contextWindow: M },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5, contextWindow: 200 * K },
  // Context windows of Opus 4.1 / Opus 4 / Sonnet 4 are UNCONFIRMED in the spec: left out rather than guessed.
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5 },
  'claude-opus-4-0': { input: 15, output: 75, cacheWrite5m: 18.75, cacheWrite1h: 30, cacheRead: 1.5 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, contextWindow: M },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, contextWindow: 200 * K },
  'claude-sonnet-4-0': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1, contextWindow: 200 * K },
};

/** Snapshot ids and other names -> canonical id (§10.1 "alias → snapshot"). */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  'claude-opus-4-5-20251101': 'claude-opus-4-5',
  'claude-opus-4-1-20250805': 'claude-opus-4-1',
  'claude-opus-4-20250514': 'claude-opus-4-0',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5',
  'claude-sonnet-4-20250514': 'claude-sonnet-4-0',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
};
