// One chat conversation: sends a user message, streams the reply, retries visibly, keeps what arrived.
import type { ErrorView, RetryView, TurnView } from '../shared/protocol';
import { UsageRecord, usageFromApi } from '../shared/usage';
import { Block, Conversation, newConversation, Turn, toTurnView } from './conversation';
import { describeError, isAbortError } from './errors';
import type { Clock, Logger, RequestSettings } from './ports';
import { nullLogger, systemClock } from './ports';
import { buildParams, SettingsError } from './requestParams';
import { DEFAULT_MAX_ATTEMPTS, isRetryable, MAX_HONOURED_WAIT_MS, retryDelayMs } from './retry';
import { AnthropicClient, createClient } from './sdk';
import { StallError, streamReply } from './streamReply';

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
}

export interface ChatSessionDeps {
  apiKey: () => Promise<string | undefined>;
  settings: () => RequestSettings;
  listener: ChatListener;
  logger?: Logger;
  clock?: Clock;
  clientFactory?: (apiKey: string, baseURL: string) => Promise<AnthropicClient>;
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
  send(text: string): Promise<void> {
    if (this.busy) return Promise.resolve();
    const settings = this.effectiveSettings();
    const turn: Turn = { id: newId('t'), userText: text, blocks: [], status: 'streaming', model: settings.model };
    const prior = [...this.conv.turns];
    this.conv.turns.push(turn);
    this.conv.updatedAt = this.clock.now();
    if (!this.conv.title) this.conv.title = text.split('\n')[0].slice(0, 80);
    const controller = new AbortController();
    this.controller = controller;
    this.deps.listener.turnStart(toTurnView(turn));
    this.running = this.run(turn, prior, settings, controller).finally(() => {
      if (this.controller === controller) this.controller = undefined;
    });
    return this.running;
  }

  /** Re-sends the last turn if it failed or was stopped, replacing it. */
  retry(): Promise<void> {
    const last = this.conv.turns[this.conv.turns.length - 1];
    if (this.busy || !last || last.status === 'complete' || last.status === 'streaming') return Promise.resolve();
    this.conv.turns.pop();
    return this.send(last.userText);
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

  private async run(turn: Turn, prior: Turn[], s: RequestSettings, controller: AbortController): Promise<void> {
    const key = await this.deps.apiKey();
    if (!key) return this.finish(turn, 'error', NO_KEY);
    let params;
    try {
      params = buildParams(prior, turn.userText, s);
    } catch (e) {
      if (e instanceof SettingsError) return this.finish(turn, 'error', { message: e.message, action: 'openSettings' });
      throw e;
    }
    const maxAttempts = Math.max(1, s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    for (let attempt = 1; ; attempt++) {
      try {
        const client = await this.getClient(key, s.baseURL);
        if (controller.signal.aborted) return this.finish(turn, 'stopped');
        const r = await streamReply(client, params, turn, this.deps.listener, controller.signal, s.stallTimeoutMs);
        turn.usage = r.usage;
        turn.stopReason = r.stopReason;
        turn.stopSequence = r.stopSequence;
        this.deps.listener.usage?.(usageFromApi(r.apiUsage, { model: s.model, batch: false, at: this.clock.now(), kind: 'chat', conversationId: this.conv.id }));
        return this.finish(turn, 'complete');
      } catch (err) {
        if (controller.signal.aborted || isAbortError(err)) return this.finish(turn, 'stopped');
        if (err instanceof StallError) {
          return this.finish(turn, 'error', { message: `${err.message} The partial reply is kept.`, action: 'retry' });
        }
        const view = describeError(err, key);
        this.logger.warn(`request failed (attempt ${attempt}/${maxAttempts}): ${view.message}`);
        const hasContent = turn.blocks.length > 0;
        const delayMs = retryDelayMs(err, attempt - 1, this.clock.now());
        if (hasContent || !isRetryable(err) || attempt >= maxAttempts || delayMs > MAX_HONOURED_WAIT_MS) {
          const gaveUp = isRetryable(err) && attempt >= maxAttempts && attempt > 1 ? ` (gave up after ${attempt} tries)` : '';
          return this.finish(turn, 'error', { ...view, message: view.message + gaveUp, action: view.action ?? (isRetryable(err) ? 'retry' : undefined) });
        }
        this.deps.listener.retryWait?.(turn.id, { attempt, maxAttempts, delayMs, until: this.clock.now() + delayMs, reason: view.message });
        try {
          await this.clock.sleep(delayMs, controller.signal);
        } catch {
          return this.finish(turn, 'stopped');
        }
      }
    }
  }

  private finish(turn: Turn, status: Turn['status'], error?: ErrorView): void {
    turn.status = status;
    turn.error = error;
    this.conv.updatedAt = this.clock.now();
    this.deps.listener.turnEnd(turn);
  }
}
