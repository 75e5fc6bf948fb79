// Request validation for POST /v1/messages, /v1/messages/count_tokens and batch requests (spec §2, §4.2, §9).
// Order: version rules -> required fields -> shapes -> messages (validate-messages.ts); model-dependent checks
// come after the model lookup (validateForModel). Each returns the first error, like the real API.
import { ApiError, badRequest } from './http';
import type { FakeModel } from './models';
import { isServerContinuation } from './serverTools';
import { checkCacheControl } from './validate-common';
import { MessageRules, V2026, validateMessages } from './validate-messages';
import { checkRequestMedia } from './media';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** create: POST /v1/messages; count: count_tokens (no max_tokens/stream); batch: one request of a batch. */
export type Mode = 'create' | 'count' | 'batch';

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/; // §2.1, pattern UNCONFIRMED
const SAMPLING = ['temperature', 'top_p', 'top_k'] as const;
const BUDGET_TOO_BIG =
  '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size';

function checkSystem(system: unknown): ApiError | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return badRequest('system: Input should be a valid string or list of text blocks');
  for (let i = 0; i < system.length; i++) {
    const b = system[i];
    if (!isObj(b) || b.type !== 'text') return badRequest(`system.${i}.type: Input should be 'text'`);
    if (typeof b.text !== 'string') return badRequest(`system.${i}.text: Field required`);
    if (b.text === '') return badRequest('system: text content blocks must be non-empty'); // wording UNCONFIRMED
    const e = checkCacheControl(b.cache_control, `system.${i}.cache_control`);
    if (e) return e;
  }
  return undefined;
}

function checkTools(tools: unknown, toolChoice: unknown): ApiError | undefined {
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return badRequest('tools: Input should be a valid list');
    const names = new Set<string>();
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i];
      if (!isObj(t)) return badRequest(`tools.${i}: Input should be a valid dictionary`);
      const custom = t.type === undefined || t.type === 'custom';
      const where = custom ? `tools.${i}.custom` : `tools.${i}.${String(t.type)}`;
      if (typeof t.name !== 'string') return badRequest(`${where}.name: Field required`);
      if (custom && !TOOL_NAME.test(t.name)) return badRequest(`${where}.name: String should match pattern '${TOOL_NAME.source}'`);
      if (custom && !isObj(t.input_schema)) return badRequest(`${where}.input_schema: Field required`);
      if (custom && (t.input_schema as Obj).type !== 'object') return badRequest(`${where}.input_schema.type: Input should be 'object'`);
      if (names.has(t.name)) return badRequest('tools: Tool names must be unique.');
      names.add(t.name);
      const e = checkCacheControl(t.cache_control, `${where}.cache_control`);
      if (e) return e;
    }
  }
  if (toolChoice !== undefined) {
    if (!isObj(toolChoice) || !['auto', 'any', 'tool', 'none'].includes(String(toolChoice.type))) {
      return badRequest(`tool_choice: Input tag '${String(isObj(toolChoice) ? toolChoice.type : toolChoice)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
    }
    if (toolChoice.type === 'tool' && typeof toolChoice.name !== 'string') return badRequest('tool_choice.tool.name: Field required');
  }
  return undefined;
}

function checkThinking(th: unknown, maxTokens: unknown, mode: Mode): ApiError | undefined {
  if (th === undefined) return undefined;
  if (!isObj(th) || !['enabled', 'disabled', 'adaptive'].includes(String(th.type))) {
    return badRequest(`thinking: Input tag '${String(isObj(th) ? th.type : th)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'`);
  }
  if (th.display !== undefined && th.display !== 'summarized' && th.display !== 'omitted') {
    return badRequest(`thinking.${String(th.type)}.display: Input should be 'summarized' or 'omitted'`);
  }
  if (th.type !== 'enabled') return undefined;
  if (th.budget_tokens === undefined) return badRequest('thinking.enabled.budget_tokens: Field required');
  if (!isInt(th.budget_tokens)) return badRequest('thinking.enabled.budget_tokens: Input should be a valid integer');
  if (th.budget_tokens < 1024) return badRequest('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
  // UNCONFIRMED (§9): interleaved thinking may allow budget > max_tokens; not modelled.
  if (mode !== 'count' && isInt(maxTokens) && th.budget_tokens >= maxTokens) return badRequest(BUDGET_TOO_BIG);
  return undefined;
}

/** Model-independent checks. */
export function validateRequest(body: unknown, rules: MessageRules, mode: Mode): ApiError | undefined {
  if (!isObj(body)) return badRequest('Input should be a valid dictionary or object to extract fields from');
  if (rules.version === V2026) {
    for (const p of SAMPLING) if (body[p] !== undefined) return badRequest(`${p}: Extra inputs are not permitted`);
  }
  if (body.model === undefined) return badRequest('model: Field required');
  if (typeof body.model !== 'string') return badRequest('model: Input should be a valid string');
  if (body.model.length < 1 || body.model.length > 256) return badRequest('model: String should have at least 1 and at most 256 characters');
  if (mode !== 'count') {
    if (body.max_tokens === undefined) return badRequest('max_tokens: Field required');
    if (!isInt(body.max_tokens)) return badRequest('max_tokens: Input should be a valid integer');
    if (body.max_tokens < 0) return badRequest('max_tokens: Input should be greater than or equal to 0'); // 0 = cache pre-warm (§6.9)
  }
  const e =
    validateMessages(body.messages, body.compaction === undefined || body.compaction === null ? rules : { ...rules, finalIsPrefill: false }) ??
    checkSystem(body.system) ??
    checkTools(body.tools, body.tool_choice) ??
    checkThinking(body.thinking, body.max_tokens, mode) ??
    checkCacheControl(body.cache_control, 'cache_control');
  if (e) return e;
  if (body.stop_sequences !== undefined && (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== 'string'))) {
    return badRequest('stop_sequences: Input should be a valid list of strings');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return badRequest('stream: Input should be a valid boolean');
  if (mode === 'batch' && body.stream === true) return badRequest('stream: Streaming is not supported in Message Batches'); // wording UNCONFIRMED
  if (rules.version !== V2026) {
    if (body.temperature !== undefined && !(typeof body.temperature === 'number' && body.temperature >= 0 && body.temperature <= 1)) {
      return badRequest('temperature: Input should be less than or equal to 1');
    }
  }
  if (mode !== 'count' && body.max_tokens === 0) {
    // "max_tokens: 0 is rejected when combined with stream: true, thinking enabled, output_config.format,
    // tool_choice tool/any, or inside Message Batches" (§2.4). Wording UNCONFIRMED.
    const tc = isObj(body.tool_choice) ? body.tool_choice.type : undefined;
    const why =
      mode === 'batch' ? 'Message Batches' : body.stream === true ? 'stream: true'
      : isObj(body.thinking) && body.thinking.type === 'enabled' ? 'thinking.type: "enabled"'
      : isObj(body.output_config) && body.output_config.format !== undefined ? 'output_config.format'
      : tc === 'any' || tc === 'tool' ? `tool_choice.type: "${String(tc)}"` : undefined;
    if (why) return badRequest(`max_tokens: 0 is not supported with ${why}`);
  }
  return undefined;
}

/** Checks that depend on the (known, usable) model. */
export function validateForModel(body: Obj, model: FakeModel, rules: MessageRules, mode: Mode): ApiError | undefined {
  if (mode !== 'count' && isInt(body.max_tokens) && body.max_tokens > model.max_tokens) {
    // Wording UNCONFIRMED in the spec (§4.2); this is the text real responses quoted by third parties carry.
    return badRequest(`max_tokens: ${body.max_tokens} > ${model.max_tokens}, which is the maximum allowed number of output tokens for ${model.id}`);
  }
  const th = isObj(body.thinking) ? body.thinking.type : undefined;
  if (th === 'enabled' && !model.thinkingEnabled) {
    // "On Opus 4.7+/Fable ... enabled+budget_tokens returns 400 and adaptive must be used" (§2.1). Wording UNCONFIRMED.
    return badRequest(`thinking.type.enabled: "thinking.type": "enabled" is not supported for ${model.id}. Use "thinking.type": "adaptive" and "output_config.effort" instead.`);
  }
  if (th === 'adaptive' && !model.thinkingAdaptive) return badRequest(`thinking.type.adaptive: "thinking.type": "adaptive" is not supported for ${model.id}.`); // UNCONFIRMED
  const msgs = body.messages as Obj[];
  // An on-demand compaction request samples nothing after the conversation, so a final assistant turn is not a
  // prefill there (§7.3: it may end on a finished assistant turn). UNCONFIRMED for models that refuse prefill.
  // A paused server-tool turn sent back as-is (§6.6) is a continuation, not a prefill either.
  if (mode !== 'count' && !model.prefill && msgs[msgs.length - 1].role === 'assistant' && (body.compaction === undefined || body.compaction === null) && !isServerContinuation(msgs)) {
    return badRequest('Prefilling assistant messages is not supported for this model.');
  }
  if (rules.version !== V2026 && model.samplingLocked) {
    // "A value of 1.0 will be accepted for backwards compatibility, all other values will be rejected" (§2.1).
    for (const p of SAMPLING) {
      const v = body[p];
      if (v !== undefined && !(p !== 'top_k' && v === 1)) return badRequest(`${p}: ${p} is deprecated for ${model.id}; only the default value is accepted`); // UNCONFIRMED
    }
  }
  return checkRequestMedia(body, model, mode);
}
