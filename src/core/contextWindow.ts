import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { Conversation } from './conversation';
import type { RequestSettings } from './ports';
import { buildCountParams } from './requestParams';
import type { AnthropicClient } from './sdk';

// Keeps a request inside the model's context window by leaving the oldest turns out (never the system prompt,
// attached context or the newest turn), using real counts from POST /v1/messages/count_tokens.

export interface FitInput {
  turnCount: number;
  /** First turn currently sent. */
  start: number;
  /** Input tokens of the request when turns from `start` on are sent. */
  count(start: number): Promise<number>;
  /** Input tokens allowed: the window minus max_tokens. */
  limit: number;
  /** Size of each turn (e.g. characters) to guess how many to leave out before recounting. */
  weights: number[];
  /** Leave out at least this many more turns (the API said "too long" although our count fits). */
  minDrop?: number;
}

export interface FitResult {
  start: number;
  tokens: number;
  dropped: number;
  fits: boolean;
}

const MAX_COUNTS = 4;

export async function fitToWindow(f: FitInput): Promise<FitResult> {
  let start = Math.min(f.start + (f.minDrop ?? 0), Math.max(f.start, f.turnCount - 1));
  let tokens = await f.count(start);
  for (let i = 1; tokens > f.limit && i < MAX_COUNTS && start < f.turnCount - 1; i++) {
    const perWeight = tokens / Math.max(1, sum(f.weights.slice(start)));
    let excess = (tokens - f.limit) * 1.05;
    while (excess > 0 && start < f.turnCount - 1) {
      excess -= f.weights[start] * perWeight;
      start += 1;
    }
    tokens = await f.count(start);
  }
  return { start, tokens, dropped: start - f.start, fits: tokens <= f.limit };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/**
 * Leaves out the oldest turns of `conv` (sets contextStart) when the next request would not fit the model's window.
 * Counts with the API only when a cheap size check says the conversation is near the limit, or when `force` (after
 * the API said "prompt is too long"). Returns a notice for the user when turns were left out.
 */
export async function fitConversation(
  conv: Conversation,
  s: RequestSettings,
  window: number,
  client: () => Promise<AnthropicClient>,
  toolDefs: Tool[] | undefined,
  force: boolean,
): Promise<string | undefined> {
  const limit = window - s.maxTokens;
  const start = conv.contextStart ?? 0;
  const turns = conv.turns;
  const weights = turns.map((t) => t.userText.length + t.blocks.reduce((a, b) => a + b.text.length, 0) + 20);
  const fixed = (s.systemPrompt?.length ?? 0) + (conv.context ?? []).reduce((a, d) => a + d.text.length, 0) + JSON.stringify(toolDefs ?? []).length;
  const chars = sum(weights.slice(start)) + fixed;
  if (!force && chars / 2.5 < limit * 0.8) return undefined;
  const api = await client();
  const fit = await fitToWindow({
    turnCount: turns.length,
    start,
    limit,
    weights,
    minDrop: force ? 1 : 0,
    count: async (from) => {
      return (await api.messages.countTokens(buildCountParams(turns.slice(from), undefined, s, toolDefs, conv.context))).input_tokens;
    },
  });
  if (fit.dropped === 0) return undefined;
  conv.contextStart = fit.start;
  const n = fit.dropped === 1 ? 'turn' : 'turns';
  return `Left out the ${fit.dropped} oldest ${n} to fit ${s.model}'s context window (${fit.tokens.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')} input tokens). They stay visible here but are no longer sent.`;
}
