// vscode.lm messages -> Messages API `system` and `messages`: roles 1/2 map to user/assistant, role 3 (system) is
// appended to `system`; text, images/PDFs, tool calls and tool results map to their blocks; consecutive same-role
// messages merge (the API wants turns to alternate) with tool_result blocks first; empty text and unknown parts are
// left out; the thinking of a tool-use turn is put back from the provider's memory.
import type { ContentBlockParam, MessageParam, TextBlockParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { dataBlock, type DataBlock } from './dataParts';
import type { LmMessage, LmPart } from './parts';
import type { ThinkingMemory } from './thinkingMemory';
import type { ToolNameMap } from './toolNames';

export interface MappedMessages {
  system: TextBlockParam[];
  messages: MessageParam[];
  /**
   * False when the assistant turn of the tool loop now running has no thinking to send back (e.g. the provider was
   * reloaded): the request must then go without thinking, since the API expects that turn's thinking back.
   */
  thinkingIntact: boolean;
}

/** Largest prompt-tsx value sent as JSON text. */
const MAX_TSX_JSON = 100_000;

function text(value: string): TextBlockParam | undefined {
  return value.trim() ? { type: 'text', text: value } : undefined;
}

function tsxText(value: unknown): TextBlockParam | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (!json || json === '{}' || json === 'null') return undefined;
  return text(json.length > MAX_TSX_JSON ? `${json.slice(0, MAX_TSX_JSON)}…` : json);
}

function toolResult(p: Extract<LmPart, { kind: 'toolResult' }>): ToolResultBlockParam {
  const content: Exclude<DataBlock, { type: 'document' }>[] = [];
  for (const c of p.content) {
    const b = c.kind === 'text' ? text(c.value) : c.kind === 'data' ? dataBlock(c.mimeType, c.data, 'toolResult') : c.kind === 'tsx' ? tsxText(c.value) : undefined;
    if (b && b.type !== 'document') content.push(b);
  }
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: p.callId, content };
  if (content.length === 0) block.content = p.isError ? 'The tool failed without a message.' : '(no output)';
  if (p.isError) block.is_error = true;
  return block;
}

function toolInput(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

function blocksOf(parts: readonly LmPart[], role: 'user' | 'assistant', names: ToolNameMap | undefined): ContentBlockParam[] {
  const out: ContentBlockParam[] = [];
  for (const p of parts) {
    let b: ContentBlockParam | undefined;
    switch (p.kind) {
      case 'text':
        b = text(p.value);
        break;
      case 'data':
        b = dataBlock(p.mimeType, p.data, 'message');
        if (b?.type === 'document' && role === 'assistant') b = undefined; // not accepted in assistant turns
        break;
      case 'tsx':
        b = tsxText(p.value);
        break;
      case 'toolCall':
        if (role === 'assistant') b = { type: 'tool_use', id: p.callId, name: names?.api(p.name) ?? names?.add(p.name) ?? p.name, input: toolInput(p.input) };
        break;
      case 'toolResult':
        if (role === 'user') b = toolResult(p);
        break;
      case 'thinking':
      case 'unknown':
        break;
    }
    if (b) out.push(b);
  }
  return out;
}

function systemText(parts: readonly LmPart[]): string {
  return parts
    .map((p) => (p.kind === 'text' ? p.value : p.kind === 'data' ? (dataBlock(p.mimeType, p.data, 'toolResult') as TextBlockParam | undefined)?.text ?? '' : ''))
    .filter((s) => s.trim())
    .join('\n');
}

/** Thinking goes first in an assistant turn, before its text and tool calls. */
function withThinking(content: ContentBlockParam[], memory: ThinkingMemory | undefined): ContentBlockParam[] {
  if (!memory) return content;
  const call = content.find((b) => b.type === 'tool_use');
  const thinking = call && call.type === 'tool_use' ? memory.recall(call.id) : undefined;
  return thinking ? [...thinking, ...content] : content;
}

export function toApiMessages(input: readonly LmMessage[], opts: { names?: ToolNameMap; memory?: ThinkingMemory } = {}): MappedMessages {
  const systemParts: string[] = [];
  const messages: MessageParam[] = [];
  for (const m of input) {
    if (m.role === 3) {
      const s = systemText(m.content);
      if (s) systemParts.push(s);
      continue;
    }
    const role = m.role === 2 ? 'assistant' : 'user';
    let content = blocksOf(m.content, role, opts.names);
    if (content.length === 0) continue;
    const last = messages[messages.length - 1];
    if (last && last.role === role) {
      const merged = [...(last.content as ContentBlockParam[]), ...content];
      last.content = role === 'user' ? [...merged.filter((b) => b.type === 'tool_result'), ...merged.filter((b) => b.type !== 'tool_result')] : merged;
    } else {
      if (role === 'user') content = [...content.filter((b) => b.type === 'tool_result'), ...content.filter((b) => b.type !== 'tool_result')];
      messages.push({ role, content });
    }
  }
  for (const m of messages) if (m.role === 'assistant') m.content = withThinking(m.content as ContentBlockParam[], opts.memory);
  return { system: systemParts.map((t) => ({ type: 'text', text: t })), messages, thinkingIntact: loopThinkingIntact(messages) };
}

/** The tool loop now running: the last user message answers tool calls of the assistant turn before it. */
function loopThinkingIntact(messages: MessageParam[]): boolean {
  const last = messages[messages.length - 1];
  const prev = messages[messages.length - 2];
  if (!last || !prev || last.role !== 'user' || prev.role !== 'assistant') return true;
  const answersTools = (last.content as ContentBlockParam[]).some((b) => b.type === 'tool_result');
  if (!answersTools) return true;
  return (prev.content as ContentBlockParam[]).some((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
}
