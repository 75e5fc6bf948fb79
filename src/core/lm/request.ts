// One provider request: the caller's messages and tools as a Messages API request, with thinking per model, the
// core cache plan (tools and system stable, rolling breakpoints on the newest user turns) and tool_choice from the
// caller's tool mode.
import type { MessageCreateParamsStreaming, Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import { applyCachePlan, type CacheTtl } from '../cachePlan';
import { minCacheTokens } from '../cacheMinimum';
import { acceptsForcedToolChoice, effectiveCaps, type ModelCaps, type ProviderThinking, thinkingFor } from './modelCaps';
import type { LmMessage, LmTool } from './parts';
import type { ThinkingMemory } from './thinkingMemory';
import { toApiMessages } from './toMessages';
import { ToolNameMap } from './toolNames';

export interface ProviderRequestSettings {
  model: string;
  caps?: ModelCaps;
  /** max_tokens: the model's output limit, bounded by claudeChat.maxTokens. */
  maxTokens: number;
  thinking: ProviderThinking;
  thinkingBudget: number;
  cacheTtl?: CacheTtl;
}

export class ProviderRequestError extends Error {}

/** 1 = auto, 2 = required (LanguageModelChatToolMode). */
export type ToolMode = 1 | 2;

export interface ProviderRequest {
  params: MessageCreateParamsStreaming;
  /** Maps the API's tool names back to the caller's. */
  names: ToolNameMap;
  notes: string[];
}

const EMPTY_SCHEMA = { type: 'object', properties: {} } as const;

/** A caller's input schema as the API takes it: a JSON object schema of type object (else an empty one). */
export function inputSchema(schema: unknown): Tool['input_schema'] {
  if (typeof schema === 'object' && schema !== null && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'object') {
    return structuredClone(schema) as Tool['input_schema'];
  }
  return { ...EMPTY_SCHEMA };
}

export function buildProviderRequest(messages: readonly LmMessage[], tools: readonly LmTool[], toolMode: ToolMode, s: ProviderRequestSettings, memory?: ThinkingMemory): ProviderRequest {
  const names = new ToolNameMap();
  const notes: string[] = [];
  // Tools keep the caller's order: the caller decides it, and the same list gives the same bytes (a cache hit).
  const apiTools: Tool[] = tools.map((t) => ({ name: names.add(t.name), description: t.description || t.name, input_schema: inputSchema(t.inputSchema) }));
  const mapped = toApiMessages(messages, { names, memory });
  if (mapped.messages.length === 0) throw new ProviderRequestError('The request has no message with content to send.');
  const caps = effectiveCaps(s.model, s.caps);
  let thinking = thinkingFor(caps, s.thinking, s.thinkingBudget, s.maxTokens);
  let toolChoice: ToolChoice | undefined;
  if (toolMode === 2 && apiTools.length > 0) {
    if (acceptsForcedToolChoice(s.model)) {
      toolChoice = { type: 'any' };
      // "Thinking may not be enabled when tool_choice forces tool use."
      if (thinking) notes.push('thinking left out: the caller requires a tool call');
      thinking = undefined;
    } else notes.push(`${s.model} does not take a forced tool choice; sent with tool_choice auto`);
  }
  if (thinking && !mapped.thinkingIntact) {
    notes.push('thinking left out: the tool-use turn being answered has no thinking to send back');
    thinking = undefined;
  }
  const system = mapped.system.length > 0 ? mapped.system : undefined;
  applyCachePlan({ tools: apiTools.length ? apiTools : undefined, system, messages: mapped.messages, stableTtl: s.cacheTtl, minTokens: minCacheTokens(s.model) });
  const params: MessageCreateParamsStreaming = { model: s.model, max_tokens: s.maxTokens, messages: mapped.messages, stream: true };
  if (system) params.system = system;
  if (apiTools.length) params.tools = apiTools;
  if (toolChoice) params.tool_choice = toolChoice;
  if (thinking) params.thinking = thinking;
  return { params, names, notes };
}
