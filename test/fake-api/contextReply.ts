// How context management shapes a reply (spec-more §7.2, §7.3, §9 "Compaction"):
//   - on-demand compaction (`compaction: {type:"summarize"}`): the reply holds only a signed `compaction` block,
//     stop_reason "compaction"; the top-level usage is zero and `usage.iterations` carries the compaction's own
//     usage (the shape of a third-party example: UNCONFIRMED); nothing is sampled, no scripted reply is consumed;
//   - threshold compaction (a compact_20260112 edit whose trigger the input reached): the reply starts with the
//     compaction block (with pause_after_compaction it is all there is, stop_reason "compaction"); iterations list
//     the compaction, then the message; top-level usage is the message's only;
//   - with any compaction beta on, every reply carries `usage.iterations` ("every response will include");
//   - a request with `context_management` gets `context_management.applied_edits` back.
// The on-demand checks (§7.3): nothing to summarize, or a conversation that ends on an unfinished assistant turn.
import { compactionBeta } from './betas';
import type { CacheUsage } from './cache';
import { CompactionSigner, fakeSummary } from './compactionBlocks';
import type { AppliedEdit, ContextPlan } from './contextManagement';
import { ApiError, badRequest } from './http';
import { messageId, PlannedMessage } from './plan';
import type { ErrorReply } from './replies';
import { countInputTokens, tokens } from './tokenizer';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const ZERO: CacheUsage = { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };

/** The fake's compaction: the signer, and what a test scripted for the next on-demand compactions. */
export class CompactionService {
  readonly signer = new CompactionSigner();
  private readonly scripted: (ErrorReply | { summary: string })[] = [];

  /** The next on-demand compaction answers with this error, or writes this summary instead of the fake's own. */
  queue(...next: (ErrorReply | { summary: string })[]): void {
    this.scripted.push(...next);
  }

  next(): ErrorReply | { summary: string } | undefined {
    return this.scripted.shift();
  }

  reset(): void {
    this.scripted.length = 0;
  }
}

/** What prepare() knows about the request's context management. */
export interface ContextState {
  plan: ContextPlan;
  applied: AppliedEdit[];
  betas: ReadonlySet<string>;
  /** The messages the model sees after compaction blocks (before clearing). */
  effective: Obj[];
  /** Input tokens before the clearing edits (count_tokens' original_input_tokens). */
  originalInputTokens: number;
}

function error(code: string, message: string): ApiError {
  return { ...badRequest(message), details: { error_code: code } };
}

export function onDemandCheck(effective: Obj[]): ApiError | undefined {
  const content = effective.flatMap((m) => (Array.isArray(m.content) ? (m.content as unknown[]) : [m.content]));
  if (!content.some((b) => !(isObj(b) && b.type === 'compaction'))) {
    return error('compaction_nothing_to_summarize', 'messages: there is nothing to summarize after the last compaction block'); // wording UNCONFIRMED
  }
  const last = effective[effective.length - 1];
  if (last?.role === 'assistant' && Array.isArray(last.content) && last.content.some((b) => isObj(b) && b.type === 'tool_use')) {
    return error('compaction_incomplete_turn', `messages.${effective.length - 1}: the conversation ends on an assistant turn that is not finished (a tool_use without its tool_result)`); // UNCONFIRMED
  }
  return undefined;
}

/** The reply to an on-demand compaction request. */
export function onDemandReply(service: CompactionService, body: Obj, ctx: ContextState, usage: CacheUsage): PlannedMessage | ErrorReply {
  const scripted = service.next();
  if (scripted && 'kind' in scripted) return scripted;
  const summary = scripted?.summary ?? fakeSummary(ctx.effective, ctx.plan.onDemand?.instructions);
  const block = service.signer.issue(summary);
  return {
    id: messageId(), model: String(body.model), content: [block], stop_reason: 'compaction', stop_sequence: null, stop_details: null,
    output_tokens: 0, chunkSize: 8, delayMs: 0, omitThinking: false, serverToolUse: null,
    iterations: [{ type: 'compaction', ...usage, output_tokens: tokens(summary) }],
    topUsage: ZERO,
  };
}

/** Adds threshold compaction, usage.iterations and applied edits to an ordinary reply. */
export function decorateReply(service: CompactionService, body: Obj, ctx: ContextState, inputTokens: number, plan: PlannedMessage, usage: CacheUsage): void {
  const t = ctx.plan.threshold;
  if (t && inputTokens >= t.trigger) {
    const summary = fakeSummary(ctx.effective, t.instructions);
    const block = service.signer.issue(summary);
    const compaction = { type: 'compaction', ...usage, output_tokens: tokens(summary) };
    if (t.pause) {
      Object.assign(plan, { content: [block], stop_reason: 'compaction', stop_sequence: null, stop_details: null, output_tokens: 0, iterations: [compaction], topUsage: ZERO });
    } else {
      // After compaction the message is sampled from the compacted context: tools + system + the summary (uncached).
      const input = countInputTokens({ tools: body.tools, system: body.system, messages: [{ role: 'assistant', content: [block] }] });
      const message: CacheUsage = { ...ZERO, input_tokens: input };
      plan.content = [block, ...plan.content];
      plan.iterations = [compaction, { type: 'message', ...message, output_tokens: plan.output_tokens }];
      plan.topUsage = message;
    }
  } else if (compactionBeta(ctx.betas)) {
    plan.iterations = [{ type: 'message', ...usage, output_tokens: plan.output_tokens }];
  }
  if (ctx.plan.reported) plan.contextManagement = { applied_edits: ctx.applied };
}
