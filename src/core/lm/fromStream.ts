// Messages API stream -> vscode.lm response parts: text deltas as text parts, each tool call as one tool-call part
// when its input is complete (under the caller's own tool name), thinking deltas as thinking parts. The reply's
// thinking is remembered under its tool call ids (thinkingMemory.ts); usage is summed from message_start and
// message_delta for the counter. Cancellation aborts the HTTP request.
import type { MessageCreateParamsStreaming, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicClient } from '../sdk';
import type { LmResponsePart } from './parts';
import type { ThinkingBlock, ThinkingMemory } from './thinkingMemory';
import type { ToolNameMap } from './toolNames';

export interface ProviderReply {
  /** The raw API usage (message_start merged with message_delta), for exact accounting. */
  apiUsage: Record<string, unknown>;
  stopReason: string | null;
  /** Characters of text and tool input that arrived: an output estimate if the stream fails. */
  outputChars: number;
}

export class ToolInputError extends Error {}

interface Open {
  kind: 'text' | 'thinking' | 'redacted' | 'tool';
  id?: string;
  name?: string;
  text: string;
  signature?: string;
  data?: string;
}

/** Folds events into parts; separate from the network so it is tested on recorded events. */
export class ReplyFolder {
  readonly reply: ProviderReply = { apiUsage: {}, stopReason: null, outputChars: 0 };
  private readonly open = new Map<number, Open>();
  private readonly thinking: ThinkingBlock[] = [];
  private readonly calls: string[] = [];

  constructor(private readonly names: ToolNameMap, private readonly report: (p: LmResponsePart) => void, private readonly memory?: ThinkingMemory) {}

  fold(e: MessageStreamEvent): void {
    switch (e.type) {
      case 'message_start':
        this.reply.apiUsage = { ...e.message.usage };
        return;
      case 'content_block_start': {
        const cb = e.content_block;
        if (cb.type === 'text') this.open.set(e.index, { kind: 'text', text: '' });
        else if (cb.type === 'thinking') this.open.set(e.index, { kind: 'thinking', text: '', signature: cb.signature || undefined });
        else if (cb.type === 'redacted_thinking') this.open.set(e.index, { kind: 'redacted', text: '', data: cb.data });
        else if (cb.type === 'tool_use') this.open.set(e.index, { kind: 'tool', id: cb.id, name: cb.name, text: '' });
        if (cb.type === 'text' && cb.text) this.text(cb.text);
        return;
      }
      case 'content_block_delta': {
        const b = this.open.get(e.index);
        if (!b) return;
        const d = e.delta;
        if (d.type === 'text_delta') this.text(d.text);
        else if (d.type === 'thinking_delta') {
          b.text += d.thinking;
          if (d.thinking) this.report({ kind: 'thinking', value: d.thinking });
        } else if (d.type === 'signature_delta') b.signature = d.signature;
        else if (d.type === 'input_json_delta') {
          b.text += d.partial_json;
          this.reply.outputChars += d.partial_json.length;
        }
        return;
      }
      case 'content_block_stop': {
        const b = this.open.get(e.index);
        this.open.delete(e.index);
        if (b?.kind === 'thinking' && b.signature) this.thinking.push({ type: 'thinking', thinking: b.text, signature: b.signature });
        else if (b?.kind === 'redacted' && b.data) this.thinking.push({ type: 'redacted_thinking', data: b.data });
        else if (b?.kind === 'tool' && b.id) this.toolCall(b.id, b.name ?? '', b.text);
        return;
      }
      case 'message_delta':
        this.reply.stopReason = e.delta.stop_reason;
        for (const [k, v] of Object.entries(e.usage)) if (v !== null && v !== undefined) this.reply.apiUsage[k] = v;
        return;
      default:
        return;
    }
  }

  /** After the stream ended: keep this reply's thinking for the next request of the tool loop. */
  finish(): void {
    this.memory?.remember(this.calls, this.thinking);
  }

  private text(t: string): void {
    if (!t) return;
    this.reply.outputChars += t.length;
    this.report({ kind: 'text', value: t });
  }

  private toolCall(id: string, apiName: string, json: string): void {
    let input: unknown = {};
    if (json.trim()) {
      try {
        input = JSON.parse(json);
      } catch {
        throw new ToolInputError(`Claude sent a call of ${apiName} whose input is not valid JSON; nothing was called. Send the request again.`);
      }
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) input = {};
    this.calls.push(id);
    this.report({ kind: 'toolCall', callId: id, name: this.names.original(apiName) ?? apiName, input: input as object });
  }
}

export async function streamProviderReply(
  client: AnthropicClient,
  params: MessageCreateParamsStreaming,
  folder: ReplyFolder,
  signal: AbortSignal,
): Promise<ProviderReply> {
  const { stream: _s, ...body } = params;
  const stream = client.messages.stream(body, { signal });
  for await (const event of stream) folder.fold(event);
  folder.finish();
  return folder.reply;
}
