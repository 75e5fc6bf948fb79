// One API round of a chat turn: stream the reply into the turn, record its usage, and on a retryable failure wait
// visibly (a `retryWait` event the user can cancel with Stop) before trying again.
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorView, SessionEvent, UsageView } from '../shared/protocol';
import { usageFromApi } from '../shared/usage';
import type { Turn } from './conversation';
import { describeError, isAbortError } from './errors';
import type { Clock, Logger, RequestSettings, UsageRecorder } from './ports';
import { DEFAULT_MAX_ATTEMPTS, isRetryable, MAX_HONOURED_WAIT_MS, retryDelayMs } from './retry';
import { clampInt, MAX_ATTEMPTS } from './settingRanges';
import type { AnthropicClient } from './sdk';
import { partialOf, StallError, StreamEvent, StreamResult, streamReply } from './streamReply';
import { estimateTokens } from './tokens';

export interface RoundContext {
  client(): Promise<AnthropicClient>;
  emit(e: StreamEvent | Extract<SessionEvent, { type: 'retryWait' }>): void;
  usage?: UsageRecorder;
  clock: Clock;
  logger: Logger;
  conversationId: string;
  /** Only to keep the key out of error messages. */
  key: string;
}

/** 'ok': the round streamed to its end (its result, for the cache doctor); otherwise the turn ends with this status. */
export type RoundOutcome = { ended: false; result: StreamResult } | { ended: true; status: 'stopped' | 'error'; error?: ErrorView };

const STOPPED: RoundOutcome = { ended: true, status: 'stopped' };

export function addUsage(a: UsageView | undefined, b: UsageView): UsageView {
  if (!a) return { ...b };
  const sum: UsageView = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
  const searches = (a.webSearchRequests ?? 0) + (b.webSearchRequests ?? 0);
  const fetches = (a.webFetchRequests ?? 0) + (b.webFetchRequests ?? 0);
  if (searches) sum.webSearchRequests = searches;
  if (fetches) sum.webFetchRequests = fetches;
  // A cost only while every round had one (a model without a price makes the turn's cost unknown).
  if (a.costUsd !== undefined && b.costUsd !== undefined) sum.costUsd = a.costUsd + b.costUsd;
  return sum;
}

export async function apiRound(turn: Turn, params: MessageCreateParamsStreaming, s: RequestSettings, signal: AbortSignal, ctx: RoundContext): Promise<RoundOutcome> {
  const maxAttempts = clampInt(s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, MAX_ATTEMPTS);
  const blocksBefore = turn.blocks.length;
  const kind = blocksBefore > 0 ? 'tool' : 'chat';
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await ctx.client();
      if (signal.aborted) return STOPPED;
      const r = await streamReply(client, params, turn, (e) => ctx.emit(e), signal, s.stallTimeoutMs);
      const record = usageFromApi(r.apiUsage, { model: s.model, batch: false, at: ctx.clock.now(), kind, conversationId: ctx.conversationId });
      const cost = ctx.usage?.costOf?.(record);
      turn.usage = addUsage(turn.usage, cost === undefined ? r.usage : { ...r.usage, costUsd: cost });
      turn.stopReason = r.stopReason;
      turn.stopSequence = r.stopSequence;
      ctx.usage?.record(record);
      return { ended: false, result: r };
    } catch (err) {
      recordPartial(err, turn, blocksBefore, s.model, kind, ctx);
      if (signal.aborted || isAbortError(err)) return STOPPED;
      if (err instanceof StallError) return { ended: true, status: 'error', error: { message: `${err.message} The partial reply is kept.`, action: 'retry' } };
      const view = describeError(err, ctx.key);
      ctx.logger.warn(`request failed (attempt ${attempt}/${maxAttempts}): ${view.message}`);
      const hasContent = turn.blocks.length > blocksBefore;
      const retryable = isRetryable(err);
      const delayMs = retryDelayMs(err, attempt - 1, ctx.clock.now());
      if (hasContent || !retryable || attempt >= maxAttempts || delayMs > MAX_HONOURED_WAIT_MS) {
        const gaveUp = retryable && attempt >= maxAttempts && attempt > 1 ? ` (gave up after ${attempt} tries)` : '';
        return { ended: true, status: 'error', error: { ...view, message: view.message + gaveUp, action: view.action ?? (retryable ? 'retry' : undefined) } };
      }
      ctx.emit({ type: 'retryWait', turnId: turn.id, retry: { attempt, maxAttempts, delayMs, until: ctx.clock.now() + delayMs, reason: view.message } });
      try {
        await ctx.clock.sleep(delayMs, signal);
      } catch {
        return STOPPED;
      }
    }
  }
}

/**
 * A stream that was stopped or failed after message_start is still billed for its input: report it with the
 * output estimated from what arrived (core/tokens.ts), marked not exact.
 */
function recordPartial(err: unknown, turn: Turn, blocksBefore: number, model: string, kind: 'chat' | 'tool', ctx: RoundContext): void {
  const p = partialOf(err);
  if (!p || typeof p.apiUsage.input_tokens !== 'number') return;
  const output = Math.max(p.usage.outputTokens, estimateTokens(turn.blocks.slice(blocksBefore).map((b) => b.text).join('')));
  const record = usageFromApi({ ...p.apiUsage, output_tokens: output }, { model, batch: false, at: ctx.clock.now(), kind, conversationId: ctx.conversationId });
  ctx.usage?.record({ ...record, exact: false });
  turn.usage = addUsage(turn.usage, { ...p.usage, outputTokens: output });
}
