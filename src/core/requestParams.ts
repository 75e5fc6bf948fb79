// Builds the Messages API request for the next turn from the conversation and the current settings.
import type { MessageCountTokensParams, MessageCreateParamsStreaming, MessageParam, TextBlockParam, ThinkingConfigParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { applyCachePlan } from './cachePlan';
import { minCacheTokens } from './cacheMinimum';
import { ContextDoc, Turn, toApiMessages } from './conversation';
import type { RequestSettings } from './ports';
import { WebSettingsError, webToolDefs } from './web/webTools';

export class SettingsError extends Error {}

export function thinkingParam(s: RequestSettings): ThinkingConfigParam | undefined {
  switch (s.thinking ?? 'off') {
    case 'off':
      return undefined;
    case 'adaptive':
      return { type: 'adaptive' };
    case 'enabled': {
      const budget = s.thinkingBudget ?? 1024;
      if (!Number.isInteger(budget) || budget < 1024) throw new SettingsError('The thinking budget (claudeChat.thinkingBudget) must be at least 1024 tokens.');
      if (budget >= s.maxTokens)
        throw new SettingsError(`The thinking budget (${budget}) must be less than claudeChat.maxTokens (${s.maxTokens}). Raise maxTokens or lower the budget.`);
      return { type: 'enabled', budget_tokens: budget };
    }
  }
}

export function buildParams(
  turns: readonly Turn[],
  nextUserText: string | undefined,
  s: RequestSettings,
  toolDefs?: Tool[],
  context: readonly ContextDoc[] = [],
): MessageCreateParamsStreaming {
  const messages = toApiMessages(turns, nextUserText, context);
  return paramsFromMessages(messages, context.length > 0 ? { message: 0, block: context.length - 1 } : undefined, s, toolDefs);
}

/** The request around ready messages (a long session builds them with its summary and clearing: core/session/). */
export function paramsFromMessages(
  messages: MessageParam[],
  contextEnd: { message: number; block: number } | undefined,
  s: RequestSettings,
  toolDefs?: Tool[],
  /** Text blocks after the system prompt (the attached context, when a compaction block must lead the messages). */
  extraSystem: TextBlockParam[] = [],
): MessageCreateParamsStreaming {
  const systemTexts = [s.systemPrompt?.trim() ?? '', ...(s.systemBlocks ?? [])].filter((t) => t.length > 0);
  const blocks: TextBlockParam[] = [...systemTexts.map((text) => ({ type: 'text' as const, text })), ...extraSystem];
  const system: TextBlockParam[] | undefined = blocks.length > 0 ? blocks : undefined;
  // Copies: cache_control markers must not leak into the runner's own definitions. The web server tools go last.
  const all = [...(toolDefs ?? []), ...serverToolDefs(s)] as Tool[];
  const tools = all.length > 0 ? all.map((t) => ({ ...t })) : undefined;
  applyCachePlan({ tools, system, messages, contextEnd, stableTtl: s.cacheTtl, minTokens: minCacheTokens(s.model) });
  const params: MessageCreateParamsStreaming = { model: s.model, max_tokens: s.maxTokens, messages, stream: true };
  if (tools) params.tools = tools;
  if (system) params.system = system;
  const thinking = thinkingParam(s);
  if (thinking) params.thinking = thinking;
  if (s.effort) params.output_config = { effort: s.effort };
  if (tools && s.toolChoice && s.toolChoice !== 'auto') params.tool_choice = { type: s.toolChoice };
  const stops = (s.stopSequences ?? []).filter((x) => x.length > 0);
  if (stops.length) params.stop_sequences = stops;
  return params;
}

/** The web server tools of the request (none unless turned on), or a SettingsError for settings the API rejects. */
function serverToolDefs(s: RequestSettings) {
  if (!s.web) return [];
  try {
    return webToolDefs(s.web);
  } catch (e) {
    if (e instanceof WebSettingsError) throw new SettingsError(e.message);
    throw e;
  }
}

/**
 * The same request as POST /v1/messages/count_tokens takes it (no stream, max_tokens or stop sequences). Server tools
 * are left out: count_tokens rejects them (spec-more §6.5), so the estimate leaves out their definitions.
 */
export function buildCountParams(...args: Parameters<typeof buildParams>): MessageCountTokensParams {
  const { stream: _s, max_tokens: _m, stop_sequences: _x, ...p } = buildParams(...args);
  const tools = p.tools?.filter((t) => !('type' in t) || t.type === undefined || t.type === 'custom');
  if (tools?.length) p.tools = tools;
  else {
    delete p.tools;
    delete p.tool_choice;
  }
  return p;
}
