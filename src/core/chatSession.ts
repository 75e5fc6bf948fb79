// One chat conversation: sends a user message, streams the reply, retries visibly, keeps what arrived.
import type { ErrorView, SessionEvent, TurnCommand, TurnRef, TurnView } from '../shared/protocol';
import { apiRound } from './apiRound';
import { CacheDoctor, recordVerdict } from './cacheDoctor';
import { minCacheTokens } from './cacheMinimum';
import type { ModelCapabilities } from './capabilities';
import { conversationSettings } from './chat/requestOptions';
import { ContextDoc, Conversation, newConversation, outcomeOf, Turn, toTurnView } from './conversation';
import { describeError } from './errors';
import { Emitter, Event, IDisposable } from './lifecycle';
import type { Clock, Logger, RequestSettings, UsageRecorder } from './ports';
import { nullLogger, systemClock } from './ports';
import { buildCountParams, buildParams, SettingsError } from './requestParams';
import { clampInt, MAX_TOOL_TURNS } from './settingRanges';
import { AnthropicClient, createClient } from './sdk';
import { fitConversation } from './contextWindow';
import type { ToolCall, ToolRunner } from './tools/types';
import { pendingCalls, runToolRound } from './toolRound';
import { applyCitations } from './attachments/blocks';
import { attachmentsOf, type SessionMedia } from './attachments/service';
import type { Attachment } from './attachments/types';

export interface ChatSessionDeps {
  apiKey: () => Promise<string | undefined>;
  settings: () => RequestSettings;
  usage?: UsageRecorder;
  logger?: Logger;
  clock?: Clock;
  clientFactory?: (apiKey: string, baseURL: string) => Promise<AnthropicClient>;
  /** Runs the tools of the agentic loop; without it, tool calls are not offered. */
  tools?: ToolRunner;
  /** The model's context window in tokens, if known. Enables trimming the oldest turns to fit. */
  contextWindow?: (model: string) => number | undefined;
  /** Images and PDFs: their bytes for requests, the request-wide limits, images read by tools. */
  media?: SessionMedia;
  /** The capability table (core/capabilities.ts): effort, tool choice and web tools are sent only where accepted. */
  capabilities?: (model: string) => ModelCapabilities;
  /** Why the web tools may not be used now (Restricted Mode), or undefined. */
  webBlocked?: () => string | undefined;
}

export const DEFAULT_MAX_TOOL_ROUNDS = 10;

const NO_KEY: ErrorView = { message: 'No API key is set. Run "Claude: Set API Key" to add one.', action: 'setApiKey' };
export const CONTINUE_PROMPT = 'Continue exactly where your last reply stopped.';

let nextId = 0;
export function newId(prefix: string): string {
  nextId += 1;
  return `${prefix}${Date.now().toString(36)}${nextId.toString(36)}`;
}

export class ChatSession implements IDisposable {
  private conv: Conversation = newConversation();
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private client: { key: string; baseURL: string; client: AnthropicClient } | undefined;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly events: Emitter<SessionEvent>;
  /** Every change of the open conversation, in order; each is emitted after the state it describes is true. */
  readonly onDidEvent: Event<SessionEvent>;
  /**
   * Why each request's prefix was (not) read from the cache. A feature that changes the prefix on purpose (compaction)
   * calls `cacheDoctor.expectChange(why)` before the next request, so the miss is shown as that.
   */
  readonly cacheDoctor = new CacheDoctor(minCacheTokens);

  constructor(private readonly deps: ChatSessionDeps) {
    this.logger = deps.logger ?? nullLogger;
    this.clock = deps.clock ?? systemClock;
    this.events = new Emitter({ onListenerError: (e) => this.logger.error(`a chat event listener failed: ${String(e)}`) });
    this.onDidEvent = this.events.event;
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

  /** Replaces the open conversation (e.g. restored from storage, or a new chat). Stops any running reply first. */
  async load(conv: Conversation): Promise<void> {
    this.stop();
    await this.running;
    // A reply that was streaming when the window closed is shown as stopped.
    for (const t of conv.turns) if (t.status === 'streaming') t.status = 'stopped';
    this.conv = conv;
    this.cacheDoctor.reset();
  }

  /**
   * Starts a reply. Resolves when the reply has ended (complete, stopped or failed); never rejects. A turn from a
   * slash command records it (`command`), and its prompt file's model, if any, answers this turn only.
   */
  send(text: string, ref?: TurnRef, attachments?: Attachment[], command?: TurnCommand): Promise<void> {
    if (this.busy) return Promise.resolve();
    const settings = this.effectiveSettings();
    if (command?.model) settings.model = command.model;
    const turn: Turn = { id: newId('t'), userText: text, blocks: [], status: 'streaming', model: settings.model };
    if (ref) turn.ref = ref;
    if (attachments?.length) turn.attachments = attachments;
    if (command) turn.command = command;
    if (settings.effort) turn.effort = settings.effort;
    this.conv.turns.push(turn);
    this.conv.updatedAt = this.clock.now();
    if (!this.conv.title) this.conv.title = ((command ? `/${command.name} ${command.args}`.trim() : text).split('\n')[0] || attachments?.map((a) => a.name).join(', ') || '').slice(0, 80);
    return this.start(turn, { type: 'turnStart', turn: toTurnView(turn) }, (controller) => this.run(turn, settings, controller));
  }

  /** Re-sends the last turn if it failed or was stopped, replacing it. */
  retry(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status === 'complete' || last.status === 'streaming') return Promise.resolve();
    this.conv.turns.pop();
    return this.send(last.userText, last.ref, last.attachments, last.command);
  }

  /** After the tool-round cap: runs the calls the model is waiting for and goes on with the loop. */
  resumeTools(): Promise<void> {
    const turn = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !turn || !turn.toolCapReached) return Promise.resolve();
    turn.toolCapReached = false;
    turn.status = 'streaming';
    turn.error = undefined;
    const prior = this.conv.turns.slice(this.conv.contextStart ?? 0, -1);
    const settings = this.effectiveSettings();
    return this.start(turn, { type: 'turnResume', turnId: turn.id }, async (controller) => {
      const key = await this.deps.apiKey();
      return key ? this.loop(turn, prior, settings, controller, key, 1) : this.finish(turn, 'error', NO_KEY);
    });
  }

  /** After stop_reason max_tokens: asks the model to go on from where it stopped. */
  continueReply(): Promise<void> {
    return this.send(CONTINUE_PROMPT);
  }

  stop(): void {
    this.controller?.abort();
  }

  dispose(): void {
    this.stop();
    this.events.dispose();
  }

  private emit(e: SessionEvent): void {
    this.events.fire(e);
  }

  /**
   * Runs `work` as the one reply in flight: busy from `begin` until it settles. The session is idle again before
   * `turnEnd` goes out, so a listener sees the state the event describes. An unexpected failure ends the turn
   * with an error instead of leaving it streaming.
   */
  private start(turn: Turn, begin: SessionEvent, work: (controller: AbortController) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.emit(begin);
    const running = work(controller)
      .catch((e: unknown) => {
        this.logger.error(`the reply failed unexpectedly: ${describeError(e).message}`);
        this.finish(turn, 'error', { message: describeError(e).message, action: 'retry' });
      })
      .then(() => {
        if (this.controller === controller) this.controller = undefined;
        if (turn.status === 'streaming') this.finish(turn, 'stopped');
        this.emit({ type: 'turnEnd', turnId: turn.id, outcome: outcomeOf(turn) });
      });
    this.running = running;
    return running;
  }

  /** The settings the next request goes out with: the conversation's model, prompt and request options. */
  effectiveSettings(): RequestSettings {
    return conversationSettings(this.deps.settings(), this.conv, this.deps.capabilities, this.deps.webBlocked?.(), (this.deps.tools?.definitions().length ?? 0) > 0);
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
      await this.deps.media?.hydrate(this.conv.id, attachmentsOf(this.conv.turns));
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
    if (notice) {
      this.cacheDoctor.expectChange('older turns were left out to fit the context window', 'messages');
      this.emit({ type: 'notice', message: notice });
    }
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
  async countTokens(draft: string, attachments: readonly Attachment[] = []): Promise<number | undefined> {
    const key = await this.deps.apiKey();
    if (!key) return undefined;
    const s = this.effectiveSettings();
    const client = await this.getClient(key, s.baseURL);
    let turns = this.conv.turns.slice(this.conv.contextStart ?? 0);
    // Waiting attachments count as part of the next message: a draft turn carries them.
    if (attachments.length) turns = [...turns, { id: 'draft', userText: draft, blocks: [], status: 'complete', model: s.model, attachments: [...attachments] }];
    await this.deps.media?.hydrate(this.conv.id, attachmentsOf(turns));
    const params = buildCountParams(turns, attachments.length ? undefined : draft || ' ', s, this.deps.tools?.definitions(), this.conv.context);
    applyCitations(params.messages, this.deps.media?.citations() ?? false);
    return (await client.messages.countTokens(params)).input_tokens;
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
      this.emit({ type: 'notice', message: `Could not count the conversation's tokens: ${describeError(e, key).message}` });
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
        await runToolRound(turn, calls, runner, controller.signal, this.conv.id, (e) => this.emit(e), this.deps.media && ((f) => this.deps.media!.toolMedia(this.conv.id, f, s.model)));
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
      }
      let params;
      const media = this.deps.media;
      if (media) {
        const all = attachmentsOf([...prior, turn]);
        await media.hydrate(this.conv.id, all);
        // Refused before any request: the API would only say so after the upload.
        const refused = media.check(all, s.model);
        if (refused) return this.finish(turn, 'error', { message: refused });
      }
      try {
        // "Must use a tool" forces the first round of a turn only, so the model can answer after its tool calls.
        const rs: RequestSettings = turn.blocks.length > 0 && s.toolChoice === 'any' ? { ...s, toolChoice: 'auto' } : s;
        params = buildParams([...prior, turn], undefined, rs, runner?.definitions(), this.conv.context);
        if (s.cacheDiagnostics) params.diagnostics = { previous_message_id: this.cacheDoctor.previousMessageId ?? null };
      } catch (e) {
        if (e instanceof SettingsError) return this.finish(turn, 'error', { message: e.message, action: 'openSettings' });
        throw e;
      }
      applyCitations(params.messages, media?.citations() ?? false);
      const sentAt = this.clock.now();
      const round = await apiRound(turn, params, s, controller.signal, {
        client: () => this.getClient(key, s.baseURL),
        emit: (e) => this.emit(e),
        usage: this.deps.usage,
        clock: this.clock,
        logger: this.logger,
        conversationId: this.conv.id,
        key,
      });
      if (round.ended) return this.finish(turn, round.status, round.error);
      const verdict = this.cacheDoctor.judge(params, (this.conv.context ?? []).map((d) => d.label), sentAt, round.result);
      recordVerdict(turn, verdict, params.model, this.clock.now(), this.deps.usage);
      calls = turn.stopReason === 'tool_use' && runner ? pendingCalls(turn) : [];
      // pause_turn: the server's tool loop hit its iteration limit; the turn goes on (sent back as-is), within the cap.
      const paused = turn.stopReason === 'pause_turn';
      if (calls.length === 0 && !paused) return this.finish(turn, 'complete');
      rounds += 1;
      if (rounds >= maxRounds) {
        turn.toolCapReached = true;
        return this.finish(turn, 'complete');
      }
    }
  }

  /** Records how the turn ended; start() reports it once the session is idle. */
  private finish(turn: Turn, status: Turn['status'], error?: ErrorView): void {
    turn.status = status;
    turn.error = error;
    this.conv.updatedAt = this.clock.now();
  }
}
