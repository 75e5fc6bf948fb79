// Which request features each fake model accepts (../shared/reference/anthropic-wire-spec-more.md §4.1, §4.5, §5),
// kept apart from the extension's own table (src/core/capabilities.ts) on purpose: a fake that copied the
// extension's guesses would agree with its bugs. Where the reference is silent the choice is marked UNCONFIRMED;
// tests can change any model with `models: [{ id, structuredOutputs, efforts, ... }]`.

export const EFFORT_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type EffortLevel = (typeof EFFORT_LEVELS)[number];

export interface ModelFeatures {
  /** output_config.format and strict tools ("Supported models" list, §4.1). */
  structuredOutputs: boolean;
  /** Accepted output_config.effort values; [] = "This model does not support the effort parameter." (§5). */
  efforts: EffortLevel[];
  /** server_tools.web_search on /v1/models; the reference has no per-model list (UNCONFIRMED: all). */
  webSearch: boolean;
}

const FULL = [...EFFORT_LEVELS];

/** Features of a default-lineup model, by id (dated snapshots by their alias). */
export function featuresOf(id: string): ModelFeatures {
  const m = id.replace(/-\d{8}$/, '');
  // §4.1: "Fable 5 and 5.1; Mythos 5, 5.1, and Preview; Opus 4.5, 4.6, 4.7, 4.8, 5, and 5.5; Sonnet 4.5, 4.6, and 5;
  // Haiku 4.5". UNCONFIRMED: Sonnet 5.5, Haiku 5.5, Fable 5.2 and Mythos 5.2 (given structured outputs, as the
  // newest models; a test can take it away).
  const structured = /^claude-(fable-5(-[12])?|mythos-5(-[12])?|opus-(4-[5-8]|5(-5)?)|sonnet-(4-[56]|5(-5)?)|haiku-(4-5|5-5))$/.test(m);
  let efforts: EffortLevel[] = [];
  if (m === 'claude-opus-4-5') efforts = ['low', 'medium', 'high']; // "max: all of those except Opus 4.5"
  else if (/^claude-(opus-4-6|sonnet-4-6|mythos-preview)$/.test(m)) efforts = ['low', 'medium', 'high', 'max']; // no xhigh
  else if (/^claude-(fable-5|mythos-5|opus-5|opus-4-[78]|sonnet-5)$/.test(m)) efforts = FULL;
  else if (/^claude-(fable-5-[12]|mythos-5-[12]|opus-5-5|sonnet-5-5|haiku-5-5)$/.test(m)) efforts = FULL; // "supported"; matrix UNCONFIRMED
  return { structuredOutputs: structured, efforts, webSearch: true };
}

/** Models that reject forced tool choice outright (§4.5; configurable with FakeApiOptions.rejectForcedToolChoice). */
export const DEFAULT_REJECT_FORCED = ['claude-fable-5-1', 'claude-mythos-5-1', 'claude-opus-5-5'];

/** The fake's answers to the model-dependent feature rules; both lists are configurable per fake. */
export interface FeatureRules {
  /** Model ids (or aliases) whose tool_choice `any`/`tool` is a 400. */
  rejectForcedToolChoice: string[];
  /** Model ids that also reject forced tool choice with adaptive thinking (§4.5: UNCONFIRMED in general; default none). */
  rejectForcedWithAdaptive: string[];
  /** Server-side sampling iterations before `stop_reason: "pause_turn"` (§6.6: "The default limit is 10"). */
  serverIterations: number;
}

export function defaultFeatureRules(): FeatureRules {
  return { rejectForcedToolChoice: [...DEFAULT_REJECT_FORCED], rejectForcedWithAdaptive: [], serverIterations: 10 };
}
