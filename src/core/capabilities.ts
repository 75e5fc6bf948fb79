// The ONE capability table: what each model accepts, so the UI offers only that and requests never send what the
// model rejects. Sources, strongest first: the user's `claudeChat.modelCapabilities` setting, then what
// GET /v1/models reports (`capabilities`), then the reference data below (../shared/reference/
// anthropic-wire-spec-more.md §4.1, §4.5, §5). Other features (vscode.lm, the composer) read it through get().
//
// Reference facts and what is guessed (each is overridable in the setting):
// - Structured outputs: "Fable 5 and 5.1; Mythos 5, 5.1, and Preview; Opus 4.5, 4.6, 4.7, 4.8, 5, and 5.5; Sonnet 4.5,
//   4.6, and 5; Haiku 4.5" (§4.1). Sonnet 5.5, Haiku 5.5, Fable 5.2 and Mythos 5.2 are UNCONFIRMED: guessed yes (newer
//   than the list; /v1/models reports the truth when reachable).
// - Effort (§5): none on Haiku 4.5 and the older 4.x; Opus 4.5 low..high; Opus 4.6, Sonnet 4.6, Mythos Preview
//   low..high + max (no xhigh); Fable 5, Mythos 5, Opus 5, Opus 4.8, Opus 4.7, Sonnet 5 the full ladder. The 5.1/5.2/5.5
//   models: supported, per-level matrix UNCONFIRMED, guessed the full ladder. Defaults: high, except Opus 5.5 and
//   Haiku 5.5 (medium).
// - Forced tool choice (`any`/`tool`): rejected outright by Fable 5.1, Mythos 5.1 and Opus 5.5 (§4.5); guessed rejected
//   by Fable 5.2 and Mythos 5.2 too (UNCONFIRMED: same always-thinking line). Every model rejects it while thinking is
//   `enabled`. With adaptive thinking the rule is UNCONFIRMED: assumed accepted (Fable 5 accepts it).
// - Web search / fetch: /v1/models reports `server_tools.web_search`; the reference has no per-model matrix, so
//   assumed available on every model; web fetch assumed wherever web search is (UNCONFIRMED).

import { EFFORTS, type Effort, type ToolChoiceMode } from '../shared/requestOptions';

export { EFFORTS, TOOL_CHOICE_MODES } from '../shared/requestOptions';
export type { Effort, ToolChoiceMode } from '../shared/requestOptions';
export const isEffort = (v: unknown): v is Effort => typeof v === 'string' && (EFFORTS as readonly string[]).includes(v);

export interface ModelCapabilities {
  /** output_config.format with a JSON schema. */
  structuredOutputs: boolean;
  /** The output_config.effort values the model accepts, in ladder order; empty = send no effort at all. */
  efforts: Effort[];
  /** What the model does without an effort parameter. */
  defaultEffort?: Effort;
  /** tool_choice `any` / `tool` (forcing a tool call). */
  forcedToolChoice: boolean;
  /** Forced tool choice also while thinking is adaptive (UNCONFIRMED in general). */
  forcedWithAdaptiveThinking: boolean;
  webSearch: boolean;
  webFetch: boolean;
}

export type CapabilitySource = 'setting' | 'api' | 'reference';
export type CapabilityKey = keyof ModelCapabilities;

export interface ResolvedCapabilities extends ModelCapabilities {
  model: string;
  /** Where each field came from. */
  sources: Record<CapabilityKey, CapabilitySource>;
}

/** The part of SDK 1.12's ModelInfo.capabilities the table reads (every field optional: a gateway may omit any). */
export interface ApiCapabilities {
  structured_outputs?: { supported?: boolean } | null;
  effort?: ({ supported?: boolean } & Partial<Record<Effort, { supported?: boolean } | null>>) | null;
  server_tools?: { supported?: boolean; web_search?: { supported?: boolean } | null } | null;
}

/** The model id without a snapshot date (claude-opus-4-5-20251101 -> claude-opus-4-5). */
function base(model: string): string {
  return model.trim().toLowerCase().replace(/-\d{8}$/, '');
}

const STRUCTURED = /^claude-(fable-5(-[12])?|mythos-(5(-[12])?|preview)|opus-(4-[5-8]|5(-5)?)|sonnet-(4-[56]|5(-5)?)|haiku-(4-5|5-5))$/;
const FULL: Effort[] = [...EFFORTS];
const EFFORT_TABLE: [RegExp, Effort[]][] = [
  [/^claude-opus-4-5$/, ['low', 'medium', 'high']],
  [/^claude-(opus-4-6|sonnet-4-6|mythos-preview)$/, ['low', 'medium', 'high', 'max']],
  [/^claude-(fable|mythos)-5(-[12])?$/, FULL],
  [/^claude-opus-(4-[78]|5(-5)?)$/, FULL],
  [/^claude-sonnet-5(-5)?$/, FULL],
  [/^claude-haiku-5-5$/, FULL],
];
/** The configurable list of models that reject forced tool choice (the fake API keeps the same default). */
export const REJECTS_FORCED_TOOL_CHOICE = ['claude-fable-5-1', 'claude-mythos-5-1', 'claude-opus-5-5', 'claude-fable-5-2', 'claude-mythos-5-2'];

/** What the reference says (and, where it is silent, the guesses listed at the top). */
export function referenceCapabilities(model: string): ModelCapabilities {
  const id = base(model);
  const efforts = EFFORT_TABLE.find(([re]) => re.test(id))?.[1] ?? [];
  const caps: ModelCapabilities = {
    structuredOutputs: STRUCTURED.test(id),
    efforts: [...efforts],
    forcedToolChoice: !REJECTS_FORCED_TOOL_CHOICE.includes(id),
    forcedWithAdaptiveThinking: true,
    webSearch: true,
    webFetch: true,
  };
  if (efforts.length) caps.defaultEffort = /^claude-(opus|haiku)-5-5$/.test(id) ? 'medium' : 'high';
  return caps;
}

/** The fields /v1/models reported for a model (only those it did report). */
export function fromApi(api: ApiCapabilities | null | undefined): Partial<ModelCapabilities> {
  const out: Partial<ModelCapabilities> = {};
  if (!api) return out;
  if (typeof api.structured_outputs?.supported === 'boolean') out.structuredOutputs = api.structured_outputs.supported;
  const e = api.effort;
  if (e && typeof e.supported === 'boolean') out.efforts = e.supported ? EFFORTS.filter((l) => e[l]?.supported === true) : [];
  const ws = api.server_tools?.web_search?.supported ?? (api.server_tools?.supported === false ? false : undefined);
  if (typeof ws === 'boolean') {
    out.webSearch = ws;
    out.webFetch = ws;
  }
  return out;
}

const KEYS: CapabilityKey[] = ['structuredOutputs', 'efforts', 'defaultEffort', 'forcedToolChoice', 'forcedWithAdaptiveThinking', 'webSearch', 'webFetch'];
const SETTING = 'claudeChat.modelCapabilities';

/** Validates the setting: {"model-id": {structuredOutputs?, efforts?, defaultEffort?, forcedToolChoice?, ...}}. */
export function parseCapabilityOverrides(raw: unknown): { overrides: Record<string, Partial<ModelCapabilities>>; problems: string[] } {
  const overrides: Record<string, Partial<ModelCapabilities>> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { overrides, problems: [`${SETTING} must be an object like {"model-id": {"structuredOutputs": false}}; ignored.`] };
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    const where = `${SETTING}[${JSON.stringify(id)}]`;
    if (!id.trim() || typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(`${where}: must be an object of capabilities; entry ignored.`);
      continue;
    }
    const bad: string[] = [];
    const entry: Partial<ModelCapabilities> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'efforts') {
        if (Array.isArray(x) && x.every(isEffort)) entry.efforts = EFFORTS.filter((l) => x.includes(l));
        else bad.push(`"efforts" must be a list of ${EFFORTS.join(', ')}`);
      } else if (k === 'defaultEffort') {
        if (isEffort(x)) entry.defaultEffort = x;
        else bad.push(`"defaultEffort" must be one of ${EFFORTS.join(', ')}`);
      } else if ((KEYS as string[]).includes(k)) {
        if (typeof x === 'boolean') (entry as Record<string, unknown>)[k] = x;
        else bad.push(`"${k}" must be true or false`);
      } else bad.push(`unknown field "${k}" (expected ${KEYS.join(', ')})`);
    }
    if (bad.length) problems.push(`${where}: ${bad.join('; ')}; entry ignored.`);
    else overrides[base(id)] = entry;
  }
  return { overrides, problems };
}

export interface CapabilitySources {
  /** What /v1/models reported for the model, if it was listed. */
  api?(model: string): ApiCapabilities | null | undefined;
  /** The parsed setting (read fresh on every call). */
  overrides?(): Record<string, Partial<ModelCapabilities>>;
}

export class CapabilityTable {
  constructor(private readonly sources: CapabilitySources = {}) {}

  get(model: string): ResolvedCapabilities {
    const ref = referenceCapabilities(model);
    const api = fromApi(this.sources.api?.(model));
    const set = this.sources.overrides?.()[base(model)] ?? {};
    const out = { ...ref, model, sources: {} as Record<CapabilityKey, CapabilitySource> } as ResolvedCapabilities;
    for (const k of KEYS) {
      const [v, s]: [unknown, CapabilitySource] = k in set ? [set[k], 'setting'] : k in api ? [api[k], 'api'] : [ref[k], 'reference'];
      (out as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
      out.sources[k] = s;
    }
    if (out.defaultEffort && !out.efforts.includes(out.defaultEffort)) out.defaultEffort = out.efforts.includes('high') ? 'high' : out.efforts.at(-1);
    if (!out.efforts.length) delete out.defaultEffort;
    return out;
  }
}

// ---- questions the UI and the request builders ask ----

export type ThinkingSetting = 'off' | 'adaptive' | 'enabled';

/** Whether `tool_choice` may force a tool (`any`/`tool`) on this model with this thinking setting. */
export function canForceTool(caps: ModelCapabilities, thinking: ThinkingSetting | undefined): boolean {
  if (!caps.forcedToolChoice) return false;
  if (thinking === 'enabled') return false; // "Thinking may not be enabled when tool_choice forces tool use." (every model)
  if (thinking === 'adaptive' && !caps.forcedWithAdaptiveThinking) return false;
  return true;
}

/** The effort to send: the wanted one if the model accepts it, else none (the model's default). */
export function effortToSend(caps: ModelCapabilities, wanted: Effort | undefined): Effort | undefined {
  return wanted && caps.efforts.includes(wanted) ? wanted : undefined;
}

/** The tool-choice modes the chat may offer for this model and thinking setting. */
export function toolChoiceOptions(caps: ModelCapabilities, thinking: ThinkingSetting | undefined): ToolChoiceMode[] {
  return canForceTool(caps, thinking) ? ['auto', 'none', 'any'] : ['auto', 'none'];
}

/** How to get JSON back: native structured output, else a strict tool (forced only where the model accepts it). */
export type JsonMode = { kind: 'format' } | { kind: 'tool'; force: boolean };

export function jsonMode(caps: ModelCapabilities, thinking: ThinkingSetting | undefined): JsonMode {
  if (caps.structuredOutputs) return { kind: 'format' };
  return { kind: 'tool', force: canForceTool(caps, thinking) };
}
