// One chat conversation: sends a user message, streams the reply, retries visibly, keeps what arrived.
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorView, RetryView, ToolStatus, TurnRef, TurnView, UsageView } from '../shared/protocol';
import { UsageRecord, usageFromApi } from '../shared/usage';
import { Block, ContextDoc, Conversation, newConversation, Turn, toTurnView } from './conversation';
import { describeError, isAbortError } from './errors';
import type { Clock, Logger, RequestSettings } from './ports';
import { nullLogger, systemClock } from './ports';
import { buildCountParams, buildParams, SettingsError } from './requestParams';
import { clampInt, MAX_ATTEMPTS, MAX_TOOL_TURNS } from './settingRanges';
import { DEFAULT_MAX_ATTEMPTS, isRetryable, MAX_HONOURED_WAIT_MS, retryDelayMs } from './retry';
import { AnthropicClient, createClient } from './sdk';
import { partialOf, StallError, streamReply } from './streamReply';
import { fitConversation } from './contextWindow';
import type { ToolCall, ToolRunner } from './tools/types';
import { pendingCalls, runToolRound } from './toolRound';

export interface ChatListener {
  turnStart(turn: TurnView): void;
  blockStart(turnId: string, block: Block): void;
  blockDelta(turnId: string, blockId: string, text: string): void;
  blockStop(turnId: string, blockId: string): void;
  turnEnd(turn: Turn): void;
  /** A retryable failure: the engine waits `delayMs` (cancellable with stop()) before the next attempt. */
  retryWait?(turnId: string, retry: RetryView): void;
  /** Exact usage of one API response. */
  usage?(record: UsageRecord): void;
  /** Progress of one tool call of the agentic loop. */
  toolStatus?(turnId: string, toolId: string, status: ToolStatus, detail?: string, protectedReason?: string): void;
  /** A finished turn goes on (tool loop resumed after the turn cap). */
  turnResume?(turnId: string): void;
  /** Something the user should know that is not an error (e.g. turns left out to fit the context window). */
  notice?(message: string): void;
}

export interface ChatSessionDeps {
  apiKey: () => Promise<string | undefined>;
  settings: () => RequestSettings;
  listener: ChatListener;
  logger?: Logger;
  clock?: Clock;
  clientFactory?: (apiKey: string, baseURL: string) => Promise<AnthropicClient>;
  /** Runs the tools of the agentic loop; without it, tool calls are not offered. */
  tools?: ToolRunner;
  /** The model's context window in tokens, if known. Enables trimming the oldest turns to fit. */
  contextWindow?: (model: string) => number | undefined;
}

export const DEFAULT_MAX_TOOL_ROUNDS = 10;

function addUsage(a: UsageView | undefined, b: UsageView): UsageView {
  if (!a) return { ...b };
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}

const NO_KEY: ErrorView = { message: 'No API key is set. Run "Claude: Set API Key" to add one.', action: 'setApiKey' };
export const CONTINUE_PROMPT = 'Continue exactly where your last reply stopped.';

let nextId = 0;
export function newId(prefix: string): string {
  nextId += 1;
  return `${prefix}${Date.now().toString(36)}${nextId.toString(36)}`;
}

export class ChatSession {
  private conv: Conversation = newConversation();
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private client: { key: string; baseURL: string; client: AnthropicClient } | undefined;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(private readonly deps: ChatSessionDeps) {
    this.logger = deps.logger ?? nullLogger;
    this.clock = deps.clock ?? systemClock;
  }

  get busy(): boolean {
    return this.controller !== undefined;
  }

  get conversation(): Conversation {
    return this.conv;
  }

  get history(): readonly Turn[] {
    return this.conv.turns;
  }

  views(): TurnView[] {
    return this.conv.turns.map(toTurnView);
  }

  /** Replaces the open conversation (e.g. restored from storage). Stops any running reply first. */
  async load(conv: Conversation): Promise<void> {
    this.stop();
    await this.running;
    // A reply that was streaming when the window closed is shown as stopped.
    for (const t of conv.turns) if (t.status === 'streaming') t.status = 'stopped';
    this.conv = conv;
  }

  /** Starts a reply. Resolves when the reply has ended (complete, stopped or failed); never rejects. */
  send(text: string, ref?: TurnRef): Promise<void> {
    if (this.busy) return Promise.resolve();
    const settings = this.effectiveSettings();
    const turn: Turn = { id: newId('t'), userText: text, blocks: [], status: 'streaming', model: settings.model };
    if (ref) turn.ref = ref;
    this.conv.turns.push(turn);
    this.conv.updatedAt = this.clock.now();
    if (!this.conv.title) this.conv.title = text.split('\n')[0].slice(0, 80);
    const controller = new AbortController();
    this.controller = controller;
    this.deps.listener.turnStart(toTurnView(turn));
    this.running = this.run(turn, settings, controller).finally(() => {
      if (this.controller === controller) this.controller = undefined;
    });
    return this.running;
  }

  /** Re-sends the last turn if it failed or was stopped, replacing it. */
  retry(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status === 'complete' || last.status === 'streaming') return Promise.resolve();
    this.conv.turns.pop();
    return this.send(last.userText, last.ref);
  }

  /** After the tool-round cap: runs the calls the model is waiting for and goes on with the loop. */
  resumeTools(): Promise<void> {
    const turn = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !turn || !turn.toolCapReached) return Promise.resolve();
    turn.toolCapReached = false;
    turn.status = 'streaming';
    turn.error = undefined;
    const controller = new AbortController();
    this.controller = controller;
    this.deps.listener.turnResume?.(turn.id);
    const prior = this.conv.turns.slice(this.conv.contextStart ?? 0, -1);
    const settings = this.effectiveSettings();
    this.running = this.deps
      .apiKey()
      .then((key) => (key ? this.loop(turn, prior, settings, controller, key, 1) : this.finish(turn, 'error', NO_KEY)))
      .finally(() => {
        if (this.controller === controller) this.controller = undefined;
      });
    return this.running;
  }

  /** After stop_reason max_tokens: asks the model to go on from where it stopped. */
  continueReply(): Promise<void> {
    return this.send(CONTINUE_PROMPT);
  }

  stop(): void {
    this.controller?.abort();
  }

  async newChat(): Promise<void> {
    this.stop();
    await this.running;
    this.conv = newConversation();
  }

  private effectiveSettings(): RequestSettings {
    const s = this.deps.settings();
    return { ...s, model: this.conv.model ?? s.model, systemPrompt: this.conv.systemPrompt ?? s.systemPrompt };
  }

  private async getClient(key: string, baseURL: string): Promise<AnthropicClient> {
    if (this.client && this.client.key === key && this.client.baseURL === baseURL) return this.client.client;
    const factory = this.deps.clientFactory ?? ((k, b) => createClient({ apiKey: k, baseURL: b }));
    const client = await factory(key, baseURL);
    this.client = { key, baseURL, client };
    return client;
  }

  private async run(turn: Turn, s: RequestSettings, controller: AbortController): Promise<void> {
    const key = await this.deps.apiKey();
    if (!key) return this.finish(turn, 'error', NO_KEY);
    try {
      await this.fitContext(key, s, false);
    } catch (e) {
      this.logger.warn(`could not check the context window: ${describeError(e, key).message}`);
    }
    return this.loop(turn, this.conv.turns.slice(this.conv.contextStart ?? 0, -1), s, controller, key, 0);
  }

  /**
   * Leaves out the oldest turns when the request would not fit the context window. Counts with the API only when
   * a cheap size check says the conversation is near the limit, or when `force` (after a "prompt is too long").
   */
  private async fitContext(key: string, s: RequestSettings, force: boolean): Promise<void> {
    const window = this.deps.contextWindow?.(s.model);
    if (!window) return;
    const notice = await fitConversation(this.conv, s, window, () => this.getClient(key, s.baseURL), this.deps.tools?.definitions(), force);
    if (notice) this.deps.listener.notice?.(notice);
  }


  /** Attached context documents (files, selections), in attach order. */
  get context(): readonly ContextDoc[] {
    return this.conv.context ?? [];
  }

  /** Adds or replaces (same id) a context document; a replaced one keeps its position so the prefix stays stable. */
  attach(doc: ContextDoc): void {
    const list = (this.conv.context ??= []);
    const i = list.findIndex((d) => d.id === doc.id);
    if (i >= 0) list[i] = doc;
    else list.push(doc);
  }

  detach(id: string): void {
    this.conv.context = (this.conv.context ?? []).filter((d) => d.id !== id);
  }

  /** Input tokens the next request would have with `draft` as the new message (POST /v1/messages/count_tokens). */
  async countTokens(draft: string): Promise<number | undefined> {
    const key = await this.deps.apiKey();
    if (!key) return undefined;
    const s = this.effectiveSettings();
    const client = await this.getClient(key, s.baseURL);
    const turns = this.conv.turns.slice(this.conv.contextStart ?? 0);
    return (await client.messages.countTokens(buildCountParams(turns, draft || ' ', s, this.deps.tools?.definitions(), this.conv.context))).input_tokens;
  }

  /** After "prompt is too long": leaves out the oldest turns, then sends the last message again. */
  async trimAndRetry(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status !== 'error') return;
    const key = await this.deps.apiKey();
    if (!key) return;
    const s = this.effectiveSettings();
    try {
      await this.fitContext(key, s, true);
    } catch (e) {
      this.deps.listener.notice?.(`Could not count the conversation's tokens: ${describeError(e, key).message}`);
      return;
    }
    await this.retry();
  }

  /** The agentic loop: one API round, then the tool calls it asked for, until the model stops asking. */
  private async loop(turn: Turn, prior: Turn[], s: RequestSettings, controller: AbortController, key: string, pending: number): Promise<void> {
    const runner = this.deps.tools;
    const maxRounds = clampInt(s.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS, MAX_TOOL_TURNS);
    let rounds = 0;
    let calls: ToolCall[] = pending > 0 ? pendingCalls(turn) : [];
    for (;;) {
      if (calls.length > 0 && runner) {
        await runToolRound(turn, calls, runner, controller.signal, this.conv.id, this.deps.listener);
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
      }
      let params;
      try {
        params = buildParams([...prior, turn], undefined, s, runner?.definitions(), this.conv.context);
      } catch (e) {
        if (e instanceof SettingsError) return this.finish(turn, 'error', { message: e.message, action: 'openSettings' });
        throw e;
      }
      const outcome = await this.attempt(turn, params, s, controller, key);
      if (outcome !== 'ok') return;
      calls = turn.stopReason === 'tool_use' && runner ? pendingCalls(turn) : [];
      if (calls.length === 0) return this.finish(turn, 'complete');
      rounds += 1;
      if (rounds >= maxRounds) {
        turn.toolCapReached = true;
        return this.finish(turn, 'complete');
      }
    }
  }

  /** One API round with visible retries. Returns 'ok', or 'done' when the turn was finished (error or stop). */
  private async attempt(turn: Turn, params: MessageCreateParamsStreaming, s: RequestSettings, controller: AbortController, key: string): Promise<'ok' | 'done'> {
    const maxAttempts = clampInt(s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, MAX_ATTEMPTS);
    const blocksBefore = turn.blocks.length;
    const kind = blocksBefore > 0 ? 'tool' : 'chat';
    for (let attempt = 1; ; attempt++) {
      try {
        const client = await this.getClient(key, s.baseURL);
        if (controller.signal.aborted) return this.done(turn, 'stopped');
        const r = await streamReply(client, params, turn, this.deps.listener, controller.signal, s.stallTimeoutMs);
        turn.usage = addUsage(turn.usage, r.usage);
        turn.stopReason = r.stopReason;
        turn.stopSequence = r.stopSequence;
        this.deps.listener.usage?.(usageFromApi(r.apiUsage, { model: s.model, batch: false, at: this.clock.now(), kind, conversationId: this.conv.id }));
        return 'ok';
      } catch (err) {
        this.recordPartial(err, turn, blocksBefore, s.model, kind);
        if (controller.signal.aborted || isAbortError(err)) return this.done(turn, 'stopped');
        if (err instanceof StallError) return this.done(turn, 'error', { message: `${err.message} The partial reply is kept.`, action: 'retry' });
        const view = describeError(err, key);
        this.logger.warn(`request failed (attempt ${attempt}/${maxAttempts}): ${view.message}`);
        const hasContent = turn.blocks.length > blocksBefore;
        const retryable = isRetryable(err);
        const delayMs = retryDelayMs(err, attempt - 1, this.clock.now());
        if (hasContent || !retryable || attempt >= maxAttempts || delayMs > MAX_HONOURED_WAIT_MS) {
          const gaveUp = retryable && attempt >= maxAttempts && attempt > 1 ? ` (gave up after ${attempt} tries)` : '';
          return this.done(turn, 'error', { ...view, message: view.message + gaveUp, action: view.action ?? (retryable ? 'retry' : undefined) });
        }
        this.deps.listener.retryWait?.(turn.id, { attempt, maxAttempts, delayMs, until: this.clock.now() + delayMs, reason: view.message });
        try {
          await this.clock.sleep(delayMs, controller.signal);
        } catch {
          return this.done(turn, 'stopped');
        }
      }
    }
  }

  /**
   * A stream that was stopped or failed after message_start is still billed for its input: report it with the
   * output estimated from what arrived (about 4 characters a token), marked not exact.
   */
  private recordPartial(err: unknown, turn: Turn, blocksBefore: number, model: string, kind: 'chat' | 'tool'): void {
    const p = partialOf(err);
    if (!p || typeof p.apiUsage.input_tokens !== 'number') return;
    const chars = turn.blocks.slice(blocksBefore).reduce((a, b) => a + b.text.length, 0);
    const output = Math.max(p.usage.outputTokens, Math.ceil(chars / 4));
    const record = usageFromApi({ ...p.apiUsage, output_tokens: output }, { model, batch: false, at: this.clock.now(), kind, conversationId: this.conv.id });
    this.deps.listener.usage?.({ ...record, exact: false });
    turn.usage = addUsage(turn.usage, { ...p.usage, outputTokens: output });
  }

  private done(turn: Turn, status: Turn['status'], error?: ErrorView): 'done' {
    this.finish(turn, status, error);
    return 'done';
  }

  private finish(turn: Turn, status: Turn['status'], error?: ErrorView): void {
    turn.status = status;
    turn.error = error;
    this.conv.updatedAt = this.clock.now();
    this.deps.listener.turnEnd(turn);
  }
}
