// The numbers shown before submitting: file count, estimated input tokens (characters / 4, the rule the
// context chips use) and the estimated input cost at the batch price (50%). Output is not estimated: it is
// billed on top at the model's batch output price, up to max_tokens per file. Unknown model -> cost unknown.
import { formatTokenCount } from '../context/limits';
import { estimateTokens } from '../tokens';
import { costOf, ZERO_TOKENS } from '../usage/cost';
import { COST_UNKNOWN, formatUsd } from '../../shared/format';
import type { PriceBook } from '../usage/priceBook';
import type { BatchRequest } from './requests';

export interface BatchEstimate {
  files: number;
  inputTokens: number;
  /** USD for the input at the batch price; undefined for a model without a price. */
  inputCost?: number;
  /** USD per million output tokens at the batch price. */
  outputPerMTok?: number;
}

/** Input tokens of one request: characters / 4 for each text (system, file block, instruction). */
export function requestTokens(r: BatchRequest): number {
  const p = r.params;
  let n = 0;
  if (typeof p.system === 'string') n += estimateTokens(p.system);
  else for (const b of p.system ?? []) n += estimateTokens(b.text);
  for (const m of p.messages) {
    if (typeof m.content === 'string') n += estimateTokens(m.content);
    else for (const b of m.content) if (b.type === 'text') n += estimateTokens(b.text);
  }
  return n;
}

export function estimateBatch(requests: readonly BatchRequest[], model: string, book: PriceBook): BatchEstimate {
  const inputTokens = requests.reduce((n, r) => n + requestTokens(r), 0);
  const e: BatchEstimate = { files: requests.length, inputTokens };
  const cost = costOf(model, { ...ZERO_TOKENS, inputTokens }, true, book);
  if (cost) {
    e.inputCost = cost.total;
    e.outputPerMTok = costOf(model, { ...ZERO_TOKENS, outputTokens: 1_000_000 }, true, book)?.total;
  }
  return e;
}

/** "5 files · about 12k input tokens · about $0.012 at the batch price (50%)". */
export function describeEstimate(e: BatchEstimate): string {
  const files = e.files === 1 ? '1 file' : `${e.files.toLocaleString('en-US')} files`;
  const cost = e.inputCost === undefined ? COST_UNKNOWN : `about ${formatUsd(e.inputCost)} for the input at the batch price (50%)`;
  return `${files} · about ${formatTokenCount(e.inputTokens)} input tokens · ${cost}`;
}

/** The detail line of the confirmation: what else is billed. */
export function describeOutputPrice(e: BatchEstimate, maxTokens: number): string {
  const per = e.outputPerMTok === undefined ? 'at the model\'s output price' : `at ${formatUsd(e.outputPerMTok)} per million tokens (batch price)`;
  return `Output is billed on top ${per}, up to ${maxTokens.toLocaleString('en-US')} tokens per file (claudeChat.maxTokens).`;
}
