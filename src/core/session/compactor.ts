// Compaction: where to cut, and the summary that replaces the turns before the cut in every later request.
// The newest turns stay verbatim within a budget; when even the current turn is too big (a long tool loop), the cut
// falls between two of its tool rounds. The summary comes from the API's own compaction where the model takes it
// (serverCompaction.ts), else from a summarization request on a cheap model, chunked when needed (summarize.ts).
// The summary of an earlier compaction is carried into the new one. The turns stay in the conversation.
import type { UsageView } from '../../shared/protocol';
import { type Tokens, usageFromApi, type UsageRecord } from '../../shared/usage';
import type { Conversation, Turn } from '../conversation';
import { describeError, isAbortError } from '../errors';
import type { Clock, Logger } from '../ports';
import type { AnthropicClient } from '../sdk';
import { activeCompaction, Built } from './requestBuild';
import { compactOnServer } from './serverCompaction';
import { summarizeChunked, turnTranscript } from './summarize';
import type { Compaction } from './types';

const MAX_COMPACTIONS = 50;

export interface Boundary {
  turnIndex: number;
  blockIndex: number;
}

function turnTokens(t: Turn, from = 0): number {
  const text = (from === 0 ? t.userText.length : 0) + t.blocks.slice(from).reduce((n, b) => n + (b.cleared ? 200 : b.text.length + 20), 0);
  return Math.ceil(text / 4) + 10;
}

/** Block indices where a tool round's reply starts (after a run of tool results). */
function roundStarts(t: Turn): number[] {
  const out: number[] = [];
  for (let i = 1; i < t.blocks.length; i++) if (t.blocks[i].kind !== 'tool_result' && t.blocks[i - 1].kind === 'tool_result') out.push(i);
  return out;
}

/**
 * The new cut: the newest turns that fit `keepBudget` stay (at least the last turn, cut between its rounds when it
 * alone is too big). Undefined when the cut would not move past the compaction in effect (nothing to summarize).
 */
export function chooseBoundary(conv: Conversation, keepBudget: number): Boundary | undefined {
  const turns = conv.turns;
  const last = turns.length - 1;
  if (last < 0) return undefined;
  const prev = activeCompaction(conv);
  const k0 = Math.max(prev?.index ?? 0, conv.contextStart ?? 0);
  const b0 = prev && prev.index === k0 ? prev.compaction.blockIndex : 0;
  let k = last;
  let kept = turnTokens(turns[last], k === k0 ? b0 : 0);
  while (k - 1 > k0 && kept + turnTokens(turns[k - 1]) <= keepBudget) kept += turnTokens(turns[--k]);
  if (k > k0 && kept <= keepBudget) return { turnIndex: k, blockIndex: 0 };
  // The last turn alone is over the budget (or it is the first one sent): cut between its tool rounds.
  const starts = roundStarts(turns[last]).filter((i) => last !== k0 || i > b0);
  const fits = starts.find((i) => turnTokens(turns[last], i) <= keepBudget) ?? starts[starts.length - 1];
  if (fits !== undefined) return { turnIndex: last, blockIndex: fits };
  return k > k0 ? { turnIndex: k, blockIndex: 0 } : undefined;
}

export interface CompactorDeps {
  conv: Conversation;
  model: string;
  summaryModel: string;
  summaryWindow: number;
  /** The model takes the API's compaction. */
  server: boolean;
  client(): Promise<AnthropicClient>;
  /** The request for the turns before `endTurn`, laid out like every request (for the API's compaction). */
  build(endTurn: number): Built;
  record(r: UsageRecord): void;
  price(model: string, t: Tokens): number | undefined;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  conversationId: string;
}

function add(u: UsageView, r: UsageRecord): UsageView {
  return {
    inputTokens: u.inputTokens + r.inputTokens,
    outputTokens: u.outputTokens + r.outputTokens,
    cacheReadTokens: u.cacheReadTokens + r.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens,
  };
}

/** Summarizes up to `b` and records the compaction on the conversation. Throws when no summary could be made. */
export async function compactAt(d: CompactorDeps, b: Boundary, reason: Compaction['reason']): Promise<Compaction> {
  const conv = d.conv;
  const prev = activeCompaction(conv);
  const k0 = Math.max(prev?.index ?? 0, conv.contextStart ?? 0);
  const b0 = prev && prev.index === k0 ? prev.compaction.blockIndex : 0;
  let usage: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  let cost: number | undefined = 0;
  const record = (apiUsage: Record<string, unknown>, model: string) => {
    const r = usageFromApi(apiUsage, { model, batch: false, at: d.clock.now(), kind: 'compaction', conversationId: d.conversationId });
    d.record(r);
    usage = add(usage, r);
    const c = d.price(model, r);
    cost = cost === undefined || c === undefined ? undefined : cost + c;
  };
  let result: { summary: string; block?: Compaction['block']; model: string; requests: number } | undefined;
  if (d.server && b.blockIndex === 0 && b0 === 0) {
    try {
      const built = d.build(b.turnIndex);
      const s = await compactOnServer(await d.client(), built.params, d.signal);
      record(s.apiUsage, d.model);
      result = { summary: s.summary, block: { encrypted: s.encrypted, signature: s.signature, model: d.model }, model: d.model, requests: 1 };
    } catch (e) {
      if (isAbortError(e) || d.signal.aborted) throw e;
      d.logger.warn(`server-side compaction failed, summarizing with ${d.summaryModel} instead: ${describeError(e).message}`);
    }
  }
  if (!result) {
    const texts: string[] = [];
    for (let k = k0; k <= b.turnIndex && k < conv.turns.length; k++) {
      const from = k === k0 ? b0 : 0;
      const to = k === b.turnIndex ? b.blockIndex : conv.turns[k].blocks.length;
      if (k === b.turnIndex && b.blockIndex === 0) break;
      texts.push(turnTranscript(conv.turns[k], from, to));
    }
    const r = await summarizeChunked(prev?.compaction.summary, texts, {
      client: d.client,
      model: d.summaryModel,
      window: d.summaryWindow,
      signal: d.signal,
      clock: d.clock,
      record: (u) => record(u, d.summaryModel),
    });
    result = { summary: r.summary, model: d.summaryModel, requests: r.requests };
  }
  const compaction: Compaction = {
    id: `k${d.clock.now().toString(36)}${(conv.compactions?.length ?? 0).toString(36)}`,
    turnId: conv.turns[b.turnIndex].id,
    blockIndex: b.blockIndex,
    summary: result.summary,
    model: result.model,
    at: d.clock.now(),
    turns: b.turnIndex - (conv.contextStart ?? 0) + (b.blockIndex > 0 ? 1 : 0),
    reason,
    requests: result.requests,
    usage,
  };
  if (result.block) compaction.block = result.block;
  if (cost !== undefined) compaction.cost = cost;
  conv.compactions = [...(conv.compactions ?? []), compaction].slice(-MAX_COMPACTIONS);
  return compaction;
}

/** The notice that says what was summarized and what it cost. */
export function compactionNotice(c: Compaction, before: number | undefined, after: number | undefined): string {
  const what = `${c.turns} earlier ${c.turns === 1 ? 'turn' : 'turns'}${c.blockIndex > 0 ? ' (with the first tool rounds of the current one)' : ''}`;
  const how = c.block ? `by the API's compaction on ${c.model}` : `by ${c.model}${c.requests > 1 ? ` in ${c.requests} requests (chunked)` : ''}`;
  const why = c.reason === 'manual' ? 'as asked' : c.reason === 'overflow' ? "because the request no longer fit the model's context window" : 'because the context passed the compaction threshold';
  const cost = c.cost === undefined ? 'cost unknown (no price for the model)' : `cost $${c.cost.toFixed(4)}`;
  const size = before !== undefined && after !== undefined ? ` The request went from about ${fmt(before)} to ${fmt(after)} tokens.` : '';
  return `Compacted the conversation ${why}: ${what} are now a summary, written ${how}; ${cost}.${size} The full history stays here; the divider marks where the summary begins.`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
