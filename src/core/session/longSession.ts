// A long session: what the chat engine (core/chatSession.ts) asks before and after each API request so that a
// conversation never dead-ends. Before a request: clear old tool results (contextEditing.ts), compact when the
// projected prompt passes the threshold or the window (compactor.ts), and pause a tool loop whose next request
// would be larger than the cost guard allows. After a request: calibrate the projection with the real count, add
// the round and its cost to the turn, and update the meter. Projections are the request's size in characters / 4,
// scaled by the ratio of the last real count to that estimate (so a tokenizer that counts more is followed).
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { CompactionView, ErrorView, MeterView, SessionEvent } from '../../shared/protocol';
import { promptTokens, type Tokens, type UsageRecord } from '../../shared/usage';
import type { Conversation, Turn } from '../conversation';
import { describeError, isAbortError } from '../errors';
import type { Clock, Logger, RequestSettings } from '../ports';
import type { AnthropicClient } from '../sdk';
import { costOf } from '../usage/cost';
import { PriceBook } from '../usage/priceBook';
import { AppliedChange, recordChange } from './checkpoints';
import { chooseBoundary, compactAt, compactionNotice } from './compactor';
import { editingMode, markClearable } from './contextEditing';
import { meterView, scaledParts } from './meter';
import { Built, buildRequest, countParamsOf, sentTurns } from './requestBuild';
import { knownCompactionModel } from './serverCompaction';
import { resolveSessionSettings, SessionSettings } from './settings';
import { SUMMARY_MAX_TOKENS } from './summarize';
import type { Compaction } from './types';

/** What /v1/models says a model supports (core/modelCatalog.ts); undefined fields: not reported. */
export interface ContextCapabilities {
  compaction?: boolean;
  clearToolUses?: boolean;
}

/** For the cache doctor: the request's prefix changed on purpose, and why. */
export interface PrefixChange {
  reason: 'compaction' | 'contextEditing';
  conversationId: string;
  detail: string;
}

export interface LongSessionDeps {
  conv(): Conversation;
  client(key: string, baseURL: string): Promise<AnthropicClient>;
  emit(e: SessionEvent): void;
  record?(r: UsageRecord): void;
  clock: Clock;
  logger: Logger;
  toolDefs(): Tool[] | undefined;
  contextWindow?(model: string): number | undefined;
  contextCapabilities?(model: string): ContextCapabilities | undefined;
  price?(model: string, t: Tokens): number | undefined;
  onPrefixChange?(c: PrefixChange): void;
}

export type Gate = { kind: 'go'; built: Built } | { kind: 'paused'; projected: number } | { kind: 'error'; error: ErrorView };

const RATIO_RANGE = [0.5, 3] as const;
/** Share of the window a request may fill before it is compacted whatever the threshold (estimates are rough). */
const HARD_SHARE = 0.97;
const DEFAULT_SUMMARY_WINDOW = 200_000;

export function compactionView(c: Compaction): CompactionView {
  const v: CompactionView = { id: c.id, turnId: c.turnId, blockIndex: c.blockIndex, summary: c.summary, turns: c.turns, reason: c.reason, model: c.model, server: !!c.block, at: c.at };
  if (c.cost !== undefined) v.cost = c.cost;
  return v;
}

const BUILT_IN_PRICES = PriceBook.builtIn();

export class LongSession {
  private ratio = 1;
  private readonly deps: LongSessionDeps;

  constructor(deps: LongSessionDeps) {
    this.deps = { ...deps, price: deps.price ?? ((model, t) => costOf(model, t, false, BUILT_IN_PRICES)?.total) };
  }

  /** The summaries as the chat shows them (dividers): those whose turn is still in the conversation. */
  views(): CompactionView[] {
    const conv = this.deps.conv();
    return (conv.compactions ?? []).filter((c) => conv.turns.some((t) => t.id === c.turnId)).map(compactionView);
  }

  /**
   * A new turn was added. When the newest compaction's turn is gone (a retried turn, or the fork point of an edit or
   * a rewind), the summary covers exactly the turns before the new one: it moves to it.
   */
  anchor(turn: Turn): void {
    const conv = this.deps.conv();
    const last = conv.compactions?.at(-1);
    if (!last || last.blockIndex !== 0 || conv.turns.some((t) => t.id === last.turnId)) return;
    last.turnId = turn.id;
    this.deps.emit({ type: 'compacted', compaction: compactionView(last) });
  }

  /** An approved edit was written during `turn`: keep the file's earlier text in the turn's checkpoint. */
  checkpoint(turn: Turn, c: AppliedChange, s: RequestSettings): void {
    const ss = this.settings(s);
    if (ss.checkpoints && !recordChange(this.deps.conv(), turn, c, this.deps.clock.now(), ss.checkpointKB * 1024)) {
      this.deps.logger.warn(`checkpoint: ${c.path} is too large to keep; restoring this turn will not cover it`);
    }
  }

  /** /compact: compacts now and says by a notice what happened. */
  async compactManually(s: RequestSettings, key: string, signal: AbortSignal): Promise<'done' | 'nothing' | 'failed'> {
    try {
      const c = await this.compact(s, key, signal, 'manual');
      if (!c) this.deps.emit({ type: 'notice', message: 'Nothing to compact yet: the conversation is short enough to send as it is.' });
      this.deps.conv().updatedAt = this.deps.clock.now();
      return c ? 'done' : 'nothing';
    } catch (e) {
      const stopped = signal.aborted || isAbortError(e);
      this.deps.emit({ type: 'notice', message: stopped ? 'Compaction stopped.' : `Could not compact the conversation: ${describeError(e, key).message}` });
      return 'failed';
    }
  }

  /** After "prompt is too long" although the projection fit: compacts; true when the request may go again. */
  async compactAfterOverflow(s: RequestSettings, key: string, signal: AbortSignal): Promise<boolean> {
    if (!this.settings(s).autoCompact) return false;
    try {
      return (await this.compact(s, key, signal, 'overflow')) !== undefined;
    } catch (e) {
      if (!signal.aborted && !isAbortError(e)) this.deps.logger.warn(`compaction after "prompt is too long" failed: ${describeError(e, key).message}`);
      return false;
    }
  }

  /** The meter estimated now; undefined when the settings cannot build a request (e.g. a bad thinking budget). */
  meterNow(s: RequestSettings): MeterView | undefined {
    try {
      return this.meter(s);
    } catch {
      return undefined;
    }
  }

  settings(s: RequestSettings): SessionSettings {
    return resolveSessionSettings(s.session);
  }

  private serverCompaction(s: RequestSettings, ss: SessionSettings): boolean {
    return ss.serverCompaction === 'auto' && (this.deps.contextCapabilities?.(s.model)?.compaction ?? knownCompactionModel(s.model));
  }

  build(s: RequestSettings, extra: { nextUserText?: string; draftTurn?: Turn; endTurn?: number; editing?: 'client' } = {}): Built {
    const ss = this.settings(s);
    const editing = extra.editing ?? editingMode(ss, this.deps.contextCapabilities?.(s.model)?.clearToolUses);
    return buildRequest(this.deps.conv(), s, { session: ss, editing, serverBlocks: this.serverCompaction(s, ss), toolDefs: this.deps.toolDefs(), ...extra });
  }

  project(b: Built): number {
    return Math.ceil(b.rough * this.ratio);
  }

  /** Before each request of a turn (round 0 = its first). Never throws for a failed compaction it can live without. */
  async beforeRequest(s: RequestSettings, key: string, signal: AbortSignal, round: number, allowLarge: boolean): Promise<Gate> {
    const ss = this.settings(s);
    const conv = this.deps.conv();
    const mode = editingMode(ss, this.deps.contextCapabilities?.(s.model)?.clearToolUses);
    const marked = markClearable(sentTurns(conv, 'off').turns, ss, mode);
    if (marked) {
      const detail = `${marked.results} old tool ${marked.results === 1 ? 'result' : 'results'} (about ${marked.tokens.toLocaleString('en-US')} tokens)`;
      this.deps.emit({ type: 'notice', message: `Cleared ${detail} from the request to save context${mode === 'server' ? " (the API's context editing)" : '; the model sees a placeholder and can read them again'}. They stay visible here.` });
      this.deps.onPrefixChange?.({ reason: 'contextEditing', conversationId: conv.id, detail });
    }
    let built = this.build(s);
    let projected = this.project(built);
    const window = this.deps.contextWindow?.(s.model);
    if (window) {
      const hard = window * HARD_SHARE;
      if ((ss.autoCompact && projected > ss.threshold * window) || projected > hard) {
        if (!ss.autoCompact) {
          return { kind: 'error', error: { message: `The conversation no longer fits ${s.model}'s context window (about ${fmt(projected)} of ${fmt(window)} tokens) and automatic compaction is off (claudeChat.compaction.auto). Compact it and retry?`, action: 'trim' } };
        }
        try {
          await this.compact(s, key, signal, projected > hard ? 'overflow' : 'threshold', projected);
        } catch (e) {
          if (isAbortError(e) || signal.aborted) throw e;
          const why = describeError(e, key).message;
          this.deps.logger.warn(`compaction failed: ${why}`);
          if (projected > hard) return { kind: 'error', error: { message: `The conversation no longer fits the context window and could not be compacted: ${why}`, action: 'trim' } };
          this.deps.emit({ type: 'notice', message: `Could not compact the conversation (${why}); the request is sent in full.` });
        }
        built = this.build(s);
        projected = this.project(built);
        if (projected > hard) {
          return { kind: 'error', error: { message: `Even after compaction the request is about ${fmt(projected)} tokens, more than ${s.model}'s ${fmt(window)}-token window: the attached context or the current message is too large. Remove attached files or start a new chat.`, action: 'openSettings' } };
        }
      }
    }
    if (round > 0 && !allowLarge && ss.maxRequestTokens > 0 && projected > ss.maxRequestTokens) return { kind: 'paused', projected };
    return { kind: 'go', built };
  }

  /**
   * Compacts now (the threshold, an overflow, or /compact). Returns the compaction, or undefined when there was
   * nothing to summarize. Emits the divider (`compacted`), the notice and the meter; throws when it failed.
   */
  async compact(s: RequestSettings, key: string, signal: AbortSignal, reason: Compaction['reason'], before?: number): Promise<Compaction | undefined> {
    const ss = this.settings(s);
    const conv = this.deps.conv();
    const window = this.deps.contextWindow?.(s.model);
    const base = (window ?? 200_000) * ss.threshold;
    const b0 = this.build(s);
    const fixed = this.project(b0) * ((b0.parts.system + b0.parts.context) / Math.max(1, b0.rough));
    // /compact keeps only the newest turn; otherwise as many newest turns as fit half the threshold.
    const keep = reason === 'manual' ? 0 : Math.max(base * 0.15, base * 0.5 - fixed - SUMMARY_MAX_TOKENS);
    const boundary = chooseBoundary(conv, keep / this.ratio);
    if (!boundary) return undefined;
    this.deps.emit({ type: 'notice', message: 'Compacting the conversation…' });
    const c = await compactAt(
      {
        conv,
        model: s.model,
        summaryModel: ss.summaryModel,
        summaryWindow: this.deps.contextWindow?.(ss.summaryModel) ?? DEFAULT_SUMMARY_WINDOW,
        server: this.serverCompaction(s, ss),
        client: () => this.deps.client(key, s.baseURL),
        build: (endTurn) => this.build(s, { endTurn, editing: 'client' }),
        record: (r) => this.deps.record?.(r),
        price: (model, u) => this.deps.price?.(model, u),
        clock: this.deps.clock,
        logger: this.deps.logger,
        signal,
        conversationId: conv.id,
      },
      boundary,
      reason,
    );
    const after = this.project(this.build(s));
    this.deps.emit({ type: 'compacted', compaction: compactionView(c) });
    this.deps.emit({ type: 'notice', message: compactionNotice(c, before ?? this.project(b0), after) });
    this.deps.onPrefixChange?.({ reason: 'compaction', conversationId: conv.id, detail: `${c.turns} turns summarized; the messages after the attached context changed` });
    this.deps.emit({ type: 'meter', meter: this.meter(s) });
    return c;
  }

  /** After a request, with the usage records it produced (none: it was not billed): calibration, rounds, cost, meter. */
  afterRound(turn: Turn, records: readonly UsageRecord[], built: Built, s: RequestSettings): void {
    const prompt = records.reduce((n, r) => n + promptTokens(r), 0);
    if (prompt <= 0) return;
    const output = records.reduce((n, r) => n + r.outputTokens, 0);
    this.calibrate(prompt, built.rough);
    turn.rounds = (turn.rounds ?? 0) + 1;
    let cost: number | undefined = turn.rounds === 1 ? 0 : turn.cost;
    for (const r of records) {
      const c = this.deps.price?.(r.model, r);
      cost = cost === undefined || c === undefined ? undefined : cost + c;
    }
    if (cost === undefined) delete turn.cost;
    else turn.cost = cost;
    const tokens = prompt + output;
    this.deps.emit({ type: 'meter', meter: meterView(s.model, this.deps.contextWindow?.(s.model), tokens, true, scaledParts(built.parts, tokens, output), this.settings(s)) });
  }

  calibrate(actual: number, rough: number): void {
    if (actual > 0 && rough > 0) this.ratio = Math.min(RATIO_RANGE[1], Math.max(RATIO_RANGE[0], actual / rough));
  }

  /** The meter now: `exact` tokens when known (count_tokens), else the projection. */
  meter(s: RequestSettings, exact?: { tokens: number; built: Built }): MeterView {
    const b = exact?.built ?? this.build(s);
    const tokens = exact?.tokens ?? this.project(b);
    return meterView(s.model, this.deps.contextWindow?.(s.model), tokens, exact !== undefined, scaledParts(b.parts, tokens), this.settings(s));
  }

  /** Input tokens of the next request with `draft` (count_tokens); calibrates the projection with them. */
  async countTokens(s: RequestSettings, key: string, draft: string, draftTurn?: Turn, prepare?: (messages: MessageParam[]) => void): Promise<{ tokens: number; meter: MeterView }> {
    const built = this.build(s, draftTurn ? { draftTurn } : { nextUserText: draft || ' ' });
    const client = await this.deps.client(key, s.baseURL);
    const p = countParamsOf(built.params);
    prepare?.(p.messages);
    const r = p.betas ? await client.beta.messages.countTokens(p as never) : await client.messages.countTokens(p as never);
    this.calibrate(r.input_tokens, built.rough);
    return { tokens: r.input_tokens, meter: this.meter(s, { tokens: r.input_tokens, built }) };
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
