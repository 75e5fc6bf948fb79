// One chat conversation: sends a user message, streams the reply through the SDK, keeps what arrived.
import type { MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorView, TurnView, UsageView } from '../shared/protocol';
import { Block, Turn, toApiMessages, toTurnView } from './conversation';
import { describeError } from './errors';
import type { Logger, RequestSettings } from './ports';
import { nullLogger } from './ports';
import { AnthropicClient, createClient } from './sdk';

export interface ChatListener {
  turnStart(turn: TurnView): void;
  blockStart(turnId: string, block: Block): void;
  blockDelta(turnId: string, blockId: string, text: string): void;
  blockStop(turnId: string, blockId: string): void;
  turnEnd(turn: Turn): void;
}

export interface ChatSessionDeps {
  apiKey: () => Promise<string | undefined>;
  settings: () => RequestSettings;
  listener: ChatListener;
  logger?: Logger;
  clientFactory?: (apiKey: string, baseURL: string) => Promise<AnthropicClient>;
}

const NO_KEY: ErrorView = { message: 'No API key is set. Run "Claude: Set API Key" to add one.', action: 'setApiKey' };

let nextId = 0;
function newId(prefix: string): string {
  nextId += 1;
  return `${prefix}${Date.now().toString(36)}${nextId.toString(36)}`;
}

export class ChatSession {
  private turns: Turn[] = [];
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private client: { key: string; baseURL: string; client: AnthropicClient } | undefined;
  private readonly logger: Logger;

  constructor(private readonly deps: ChatSessionDeps) {
    this.logger = deps.logger ?? nullLogger;
  }

  get busy(): boolean {
    return this.controller !== undefined;
  }

  get history(): readonly Turn[] {
    return this.turns;
  }

  views(): TurnView[] {
    return this.turns.map(toTurnView);
  }

  /** Starts a reply. Resolves when the reply has ended (complete, stopped or failed); never rejects. */
  send(text: string): Promise<void> {
    if (this.busy) return Promise.resolve();
    const settings = this.deps.settings();
    const turn: Turn = { id: newId('t'), userText: text, blocks: [], status: 'streaming', model: settings.model };
    const messages = toApiMessages(this.turns, text);
    this.turns.push(turn);
    const controller = new AbortController();
    this.controller = controller;
    this.deps.listener.turnStart(toTurnView(turn));
    this.running = this.stream(turn, messages, settings, controller).finally(() => {
      if (this.controller === controller) this.controller = undefined;
    });
    return this.running;
  }

  /** Re-sends the last turn if it failed or was stopped, replacing it. */
  retry(): Promise<void> {
    const last = this.turns[this.turns.length - 1];
    if (this.busy || !last || last.status === 'complete') return Promise.resolve();
    this.turns.pop();
    return this.send(last.userText);
  }

  stop(): void {
    this.controller?.abort();
  }

  async newChat(): Promise<void> {
    this.stop();
    await this.running;
    this.turns = [];
  }

  private async getClient(key: string, baseURL: string): Promise<AnthropicClient> {
    if (this.client && this.client.key === key && this.client.baseURL === baseURL) return this.client.client;
    const factory = this.deps.clientFactory ?? ((k, b) => createClient({ apiKey: k, baseURL: b }));
    const client = await factory(key, baseURL);
    this.client = { key, baseURL, client };
    return client;
  }

  private async stream(turn: Turn, messages: ReturnType<typeof toApiMessages>, s: RequestSettings, controller: AbortController): Promise<void> {
    const key = await this.deps.apiKey();
    if (!key) return this.finish(turn, 'error', NO_KEY);
    try {
      const client = await this.getClient(key, s.baseURL);
      if (controller.signal.aborted) return this.finish(turn, 'stopped');
      const stream = client.messages.stream({ model: s.model, max_tokens: s.maxTokens, messages }, { signal: controller.signal });
      const usage: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      turn.usage = usage;
      const byIndex = new Map<number, Block>();
      for await (const event of stream) this.apply(turn, event, usage, byIndex);
      this.finish(turn, 'complete');
    } catch (err) {
      if (controller.signal.aborted) return this.finish(turn, 'stopped');
      const view = describeError(err, key);
      this.logger.warn(`request failed: ${view.message}`);
      this.finish(turn, 'error', view);
    }
  }

  /** Folds one raw stream event into the turn. `byIndex` maps the API's block index to our block. */
  private apply(turn: Turn, event: MessageStreamEvent, usage: UsageView, byIndex: Map<number, Block>): void {
    const L = this.deps.listener;
    switch (event.type) {
      case 'message_start': {
        const u = event.message.usage;
        usage.inputTokens = u.input_tokens;
        usage.cacheReadTokens = u.cache_read_input_tokens ?? 0;
        usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
        usage.outputTokens = u.output_tokens;
        break;
      }
      case 'content_block_start': {
        const cb = event.content_block;
        const block: Block = { id: `${turn.id}b${turn.blocks.length}`, kind: 'text', text: '', complete: false };
        if (cb.type === 'text') block.text = cb.text;
        else if (cb.type === 'thinking') { block.kind = 'thinking'; block.text = cb.thinking; block.signature = cb.signature || undefined; }
        else if (cb.type === 'redacted_thinking') { block.kind = 'redacted_thinking'; block.data = cb.data; }
        else if (cb.type === 'tool_use') { block.kind = 'tool_use'; block.toolId = cb.id; block.toolName = cb.name; }
        else return; // server tool blocks etc. are not shown yet
        turn.blocks.push(block);
        byIndex.set(event.index, block);
        L.blockStart(turn.id, block);
        break;
      }
      case 'content_block_delta': {
        const block = byIndex.get(event.index);
        if (!block) return;
        const d = event.delta;
        let text: string | undefined;
        if (d.type === 'text_delta') text = d.text;
        else if (d.type === 'thinking_delta') text = d.thinking;
        else if (d.type === 'input_json_delta') text = d.partial_json;
        else if (d.type === 'signature_delta') block.signature = d.signature;
        if (text) {
          block.text += text;
          L.blockDelta(turn.id, block.id, text);
        }
        break;
      }
      case 'content_block_stop': {
        const block = byIndex.get(event.index);
        if (!block) return;
        block.complete = true;
        L.blockStop(turn.id, block.id);
        break;
      }
      case 'message_delta': {
        turn.stopReason = event.delta.stop_reason;
        const u = event.usage;
        usage.outputTokens = u.output_tokens;
        if (u.input_tokens != null) usage.inputTokens = u.input_tokens;
        if (u.cache_read_input_tokens != null) usage.cacheReadTokens = u.cache_read_input_tokens;
        if (u.cache_creation_input_tokens != null) usage.cacheWriteTokens = u.cache_creation_input_tokens;
        break;
      }
      case 'message_stop':
        break;
    }
  }

  private finish(turn: Turn, status: Turn['status'], error?: ErrorView): void {
    turn.status = status;
    turn.error = error;
    this.deps.listener.turnEnd(turn);
  }
}
