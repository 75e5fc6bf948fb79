// One chat conversation: sends a user message, streams the reply, retries visibly, keeps what arrived.
import type { CompactionView, ErrorView, MeterView, SessionEvent, TurnCommand, TurnRef, TurnView } from '../shared/protocol';
import type { Tokens, UsageRecord } from '../shared/usage';
import { apiRound } from './apiRound';
import { CacheDoctor, recordVerdict } from './cacheDoctor';
import { minCacheTokens } from './cacheMinimum';
import type { ModelCapabilities } from './capabilities';
import { conversationSettings } from './chat/requestOptions';
import { ContextDoc, Conversation, newConversation, outcomeOf, Turn, toTurnView } from './conversation';
import { describeError, isAbortError } from './errors';
import { Emitter, Event, IDisposable } from './lifecycle';
import type { Clock, Logger, RequestSettings, UsageRecorder } from './ports';
import { nullLogger, systemClock } from './ports';
import { SettingsError } from './requestParams';
import { clampInt, MAX_TOOL_TURNS } from './settingRanges';
import { AnthropicClient, createClient } from './sdk';
import { ContextCapabilities, LongSession, PrefixChange } from './session/longSession';
import { sentTurns } from './session/requestBuild';
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
  /** The model's context window in tokens, if known. Enables compaction and the meter's share. */
  contextWindow?: (model: string) => number | undefined;
  /** What /v1/models says the model supports of context management (server-side compaction, context editing). */
  contextCapabilities?: (model: string) => ContextCapabilities | undefined;
  /** USD for tokens sent to a model; undefined when unknown. Default: the built-in price list. */
  price?: (model: string, t: Tokens) => number | undefined;
  /** Told when the request's prefix changes on purpose (a compaction, cleared tool results); the cache doctor is too. */
  onPrefixChange?: (c: PrefixChange) => void;
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
  private readonly long: LongSession;
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
    this.long = new LongSession({
      ...deps,
      conv: () => this.conv,
      client: (key, baseURL) => this.getClient(key, baseURL),
      emit: (e) => this.emit(e),
      record: (r) => deps.usage?.record(r),
      clock: this.clock,
      logger: this.logger,
      toolDefs: () => deps.tools?.definitions(),
      onPrefixChange: (c) => {
        this.cacheDoctor.expectChange(c.reason === 'compaction' ? 'the conversation was compacted' : `${c.detail} were cleared from the request`, c.reason === 'compaction' ? 'compacted' : 'messages');
        deps.onPrefixChange?.(c);
      },
    });
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

  /** The summaries as the chat shows them (dividers). */
  compactionViews(): CompactionView[] {
    return this.long.views();
  }

  /** The context meter now (estimated); undefined when the settings cannot build a request. */
  meter(): MeterView | undefined {
    return this.long.meterNow(this.effectiveSettings());
  }

  /**
   * Starts a reply. Resolves when the reply has ended (complete, stopped or failed); never rejects. A turn from a
   * slash command records it (`command`), and its prompt file's model, if any, answers this turn only.
   * `continues`: the turn whose reply this one continues (after max_tokens). `compactFirst`: compact before sending.
   */
  send(text: string, ref?: TurnRef, attachments?: Attachment[], command?: TurnCommand, o: { continues?: string; compactFirst?: boolean } = {}): Promise<void> {
    if (this.busy) return Promise.resolve();
    const settings = this.effectiveSettings();
    if (command?.model) settings.model = command.model;
    const turn: Turn = { id: newId('t'), userText: text, blocks: [], status: 'streaming', model: settings.model };
    if (ref) turn.ref = ref;
    if (o.continues) turn.continues = o.continues;
    if (attachments?.length) turn.attachments = attachments;
    if (command) turn.command = command;
    if (settings.effort) turn.effort = settings.effort;
    this.conv.turns.push(turn);
    this.long.anchor(turn);
    this.conv.updatedAt = this.clock.now();
    if (!this.conv.title) this.conv.title = ((command ? `/${command.name} ${command.args}`.trim() : text).split('\n')[0] || attachments?.map((a) => a.name).join(', ') || '').slice(0, 80);
    return this.start(turn, { type: 'turnStart', turn: toTurnView(turn) }, (controller) => this.run(turn, settings, controller, o.compactFirst ?? false));
  }

  /** Re-sends the last turn if it failed or was stopped, replacing it. */
  retry(compactFirst = false): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status === 'complete' || last.status === 'streaming') return Promise.resolve();
    this.conv.turns.pop();
    return this.send(last.userText, last.ref, last.attachments, last.command, { continues: last.continues, compactFirst });
  }

  /** After the tool-round cap or the cost guard's pause: runs the calls the model is waiting for and goes on. */
  resumeTools(): Promise<void> {
    const turn = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !turn || !(turn.toolCapReached || turn.costPaused)) return Promise.resolve();
    const allowLarge = turn.costPaused !== undefined;
    turn.toolCapReached = false;
    delete turn.costPaused;
    turn.status = 'streaming';
    turn.error = undefined;
    const settings = this.effectiveSettings();
    return this.start(turn, { type: 'turnResume', turnId: turn.id }, async (controller) => {
      const key = await this.deps.apiKey();
      return key ? this.loop(turn, settings, controller, key, 1, allowLarge) : this.finish(turn, 'error', NO_KEY);
    });
  }

  /** After stop_reason max_tokens: asks the model to go on; the new turn is shown as part of the cut reply. */
  continueReply(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    return this.send(CONTINUE_PROMPT, undefined, undefined, undefined, { continues: last?.stopReason === 'max_tokens' ? last.id : undefined });
  }

  /** /compact and "Claude: Compact Conversation": summarizes the older turns now. Reports by notices. */
  async compactNow(): Promise<'done' | 'nothing' | 'busy' | 'failed'> {
    if (this.busy) return 'busy';
    const key = await this.deps.apiKey();
    if (!key) {
      this.emit({ type: 'notice', message: NO_KEY.message });
      return 'failed';
    }
    const controller = new AbortController();
    this.controller = controller;
    try {
      return await this.long.compactManually(this.effectiveSettings(), key, controller.signal);
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
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

  private async run(turn: Turn, s: RequestSettings, controller: AbortController, compactFirst: boolean): Promise<void> {
    const key = await this.deps.apiKey();
    if (!key) return this.finish(turn, 'error', NO_KEY);
    if (compactFirst) {
      try {
        await this.long.compact(s, key, controller.signal, 'overflow');
      } catch (e) {
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
        return this.finish(turn, 'error', { message: `Could not compact the conversation: ${describeError(e, key).message}`, action: 'trim' });
      }
    }
    return this.loop(turn, s, controller, key, 0);
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

  /**
   * Input tokens the next request would have with `draft` (and the waiting `attachments`) as the new message
   * (POST /v1/messages/count_tokens), and the meter then.
   */
  async countTokens(draft: string, attachments: readonly Attachment[] = []): Promise<{ tokens: number; meter: MeterView } | undefined> {
    const key = await this.deps.apiKey();
    if (!key) return undefined;
    const s = this.effectiveSettings();
    // Waiting attachments count as part of the next message: a draft turn carries them.
    const draftTurn: Turn | undefined = attachments.length ? { id: 'draft', userText: draft, blocks: [], status: 'complete', model: s.model, attachments: [...attachments] } : undefined;
    await this.deps.media?.hydrate(this.conv.id, attachmentsOf([...this.conv.turns.slice(this.conv.contextStart ?? 0), ...(draftTurn ? [draftTurn] : [])]));
    return this.long.countTokens(s, key, draft, draftTurn, (messages) => applyCitations(messages, this.deps.media?.citations() ?? false));
  }

  /** After "prompt is too long" (or "no longer fits"): compacts, then sends the last message again. */
  async trimAndRetry(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status !== 'error') return;
    await this.retry(true);
  }

  /** The agentic loop: one API round, then the tool calls it asked for, until the model stops asking. */
  private async loop(turn: Turn, s: RequestSettings, controller: AbortController, key: string, pending: number, allowLarge = false): Promise<void> {
    const runner = this.deps.tools;
    const maxRounds = clampInt(s.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS, MAX_TOOL_TURNS);
    let rounds = 0;
    let compactedForOverflow = false;
    let calls: ToolCall[] = pending > 0 ? pendingCalls(turn) : [];
    for (;;) {
      if (calls.length > 0 && runner) {
        const toolMedia = this.deps.media && ((f: Parameters<SessionMedia['toolMedia']>[1]) => this.deps.media!.toolMedia(this.conv.id, f, s.model));
        await runToolRound(turn, calls, runner, controller.signal, this.conv.id, (e) => this.emit(e), (c) => this.long.checkpoint(turn, c, s), toolMedia);
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
      }
      let gate;
      const media = this.deps.media;
      if (media) {
        const all = attachmentsOf([...sentTurns(this.conv, 'off').turns]);
        await media.hydrate(this.conv.id, all);
        // Refused before any request: the API would only say so after the upload.
        const refused = media.check(all, s.model);
        if (refused) return this.finish(turn, 'error', { message: refused });
      }
      try {
        // "Must use a tool" forces the first round of a turn only, so the model can answer after its tool calls.
        const rs: RequestSettings = turn.blocks.length > 0 && s.toolChoice === 'any' ? { ...s, toolChoice: 'auto' } : s;
        gate = await this.long.beforeRequest(rs, key, controller.signal, rounds + pending, allowLarge);
      } catch (e) {
        if (e instanceof SettingsError) return this.finish(turn, 'error', { message: e.message, action: 'openSettings' });
        if (controller.signal.aborted || isAbortError(e)) return this.finish(turn, 'stopped');
        throw e;
      }
      allowLarge = false;
      if (gate.kind === 'paused') {
        turn.costPaused = gate.projected;
        return this.finish(turn, 'complete');
      }
      if (gate.kind === 'error') return this.finish(turn, 'error', gate.error);
      const params = gate.built.params;
      if (s.cacheDiagnostics) params.diagnostics = { previous_message_id: this.cacheDoctor.previousMessageId ?? null };
      applyCitations(params.messages, media?.citations() ?? false);
      const records: UsageRecord[] = [];
      const blocksBefore = turn.blocks.length;
      const sentAt = this.clock.now();
      const round = await apiRound(turn, params, s, controller.signal, {
        client: () => this.getClient(key, s.baseURL),
        emit: (e) => this.emit(e),
        usage: { record: (r) => void (records.push(r), this.deps.usage?.record(r)), costOf: this.deps.usage?.costOf && ((r) => this.deps.usage?.costOf?.(r)) },
        clock: this.clock,
        logger: this.logger,
        conversationId: this.conv.id,
        key,
      });
      this.long.afterRound(turn, records, gate.built, s);
      if (round.ended && round.error?.action === 'trim' && !compactedForOverflow && turn.blocks.length === blocksBefore) {
        // "prompt is too long" although the projection fit: compact once and send again.
        compactedForOverflow = true;
        if (await this.long.compactAfterOverflow(s, key, controller.signal)) continue;
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
      }
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
