// What a model accepts, for the provider: image input and the thinking modes, from GET /v1/models `capabilities`
// when the API reports them, else from the model id (wire spec §2.1/§9: Opus 4.7+, Fable and Mythos reject
// `thinking.enabled` and need `adaptive`; adaptive exists from Opus 4.6 on). Forced tool_choice is refused by some
// models (DESIGN.md, Models and prices).
import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';

export interface ModelCaps {
  imageInput?: boolean;
  pdfInput?: boolean;
  thinkingAdaptive?: boolean;
  thinkingEnabled?: boolean;
}

const sup = (v: unknown): boolean | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const s = (v as { supported?: unknown }).supported;
  return typeof s === 'boolean' ? s : undefined;
};

/** ModelCaps from the `capabilities` object of a /v1/models entry (null or malformed: nothing known). */
export function capsFromApi(capabilities: unknown): ModelCaps | undefined {
  if (typeof capabilities !== 'object' || capabilities === null) return undefined;
  const c = capabilities as Record<string, unknown>;
  const thinking = typeof c.thinking === 'object' && c.thinking !== null ? (c.thinking as Record<string, unknown>) : {};
  const types = typeof thinking.types === 'object' && thinking.types !== null ? (thinking.types as Record<string, unknown>) : {};
  const caps: ModelCaps = {};
  const set = <K extends keyof ModelCaps>(k: K, v: boolean | undefined) => {
    if (v !== undefined) caps[k] = v;
  };
  set('imageInput', sup(c.image_input));
  set('pdfInput', sup(c.pdf_input));
  const any = sup(thinking);
  set('thinkingAdaptive', any === false ? false : sup(types.adaptive));
  set('thinkingEnabled', any === false ? false : sup(types.enabled));
  return caps;
}

const ADAPTIVE_ONLY = /^claude-(fable|mythos)-|^claude-opus-(4-[78]|5)/;
const HAS_ADAPTIVE = /^claude-(fable|mythos)-|^claude-opus-(4-[678]|5)|^claude-sonnet-(4-6|5)|^claude-haiku-5/;
const NO_FORCED_TOOL = /^claude-(fable-5-1|mythos-5-1|opus-5-5)(-|$)/;

/** The capabilities of `model`: the API's figures where given, the id-based table for the rest. */
export function effectiveCaps(model: string, api: ModelCaps | undefined): Required<ModelCaps> {
  const claude = model.startsWith('claude-');
  return {
    imageInput: api?.imageInput ?? claude,
    pdfInput: api?.pdfInput ?? claude,
    thinkingAdaptive: api?.thinkingAdaptive ?? HAS_ADAPTIVE.test(model),
    thinkingEnabled: api?.thinkingEnabled ?? (claude && !ADAPTIVE_ONLY.test(model)),
  };
}

/** Whether tool_choice `any`/`tool` is accepted (refused by Fable 5.1, Mythos 5.1 and Opus 5.5). */
export function acceptsForcedToolChoice(model: string): boolean {
  return !NO_FORCED_TOOL.test(model);
}

/**
 * `auto`: adaptive thinking where the model has it, none elsewhere. `on`: adaptive where the model has it, else a
 * fixed budget where the model takes one. `off`: none. Never `enabled` for a model that only takes adaptive.
 */
export type ProviderThinking = 'auto' | 'on' | 'off';

export function thinkingFor(caps: Required<ModelCaps>, mode: ProviderThinking, budget: number, maxTokens: number): ThinkingConfigParam | undefined {
  if (mode === 'off') return undefined;
  if (caps.thinkingAdaptive) return { type: 'adaptive' };
  if (mode === 'on' && caps.thinkingEnabled && Number.isInteger(budget) && budget >= 1024 && budget < maxTokens) return { type: 'enabled', budget_tokens: budget };
  return undefined;
}
