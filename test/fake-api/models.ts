// The model table (spec §10) and GET /v1/models[/{id}] (§7.2). Each entry carries the public ModelInfo
// fields plus the per-model facts the fake enforces: output/context limits, minimum cacheable prompt
// (§6.5, latest table), which thinking modes exist, and whether assistant prefill is allowed (§2.4).
import { EFFORT_LEVELS, featuresOf, type ModelFeatures } from './features';
import { ApiError, apiError, badRequest, paginate, pageParams } from './http';

export type Lifecycle = 'active' | 'deprecated' | 'retired';

export interface FakeModel extends ModelFeatures {
  id: string;
  display_name: string;
  /** RFC 3339; the list is ordered by this, newest first. */
  created_at: string;
  max_input_tokens: number;
  max_tokens: number;
  line: 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos' | null;
  lifecycle: Lifecycle;
  deprecated_at: string | null;
  retires_at: string | null;
  /** Other ids that resolve to this model (e.g. the alias of a dated snapshot). */
  aliases: string[];
  /** Minimum cacheable prompt length in tokens (§6.5). */
  minCacheTokens: number;
  /** `thinking: {type:"enabled", budget_tokens}` accepted. */
  thinkingEnabled: boolean;
  /** `thinking: {type:"adaptive"}` accepted. */
  thinkingAdaptive: boolean;
  /** A final assistant message (prefill) is accepted. */
  prefill: boolean;
  /** Released after Opus 4.6: under 2023-06-01 only temperature 1.0 is accepted (§2.1). */
  samplingLocked: boolean;
}

export type ModelInput = Partial<FakeModel> & { id: string };

const K = 1000;
const M = 1_000_000;

// Rows: id, name, released, context, max out, line, min cache, enabled, adaptive, prefill, extra.
// Min cache: the Sep–Oct 2026 list (512 for Fable/Mythos 5.x, Opus 5/5.5, Sonnet 5.5; 1,024 for Opus 4.8,
// Sonnet 5, Sonnet 4.6/4.5, Opus 4.1/4; 4,096 for Haiku 4.5) and the Aug 2026 list for the rest (2,048 for
// Opus 4.7; 4,096 for Opus 4.6/4.5). UNCONFIRMED: Fable 5.2 / Mythos 5.2 (512, as their line) and Haiku 5.5
// (4,096, as Haiku 4.5) are in no list.
// Thinking: "On Opus 4.7+/Fable ... enabled+budget_tokens returns 400 and adaptive must be used" (§2.1);
// adaptive exists from Opus 4.6 on. UNCONFIRMED: Sonnet 5.x / Haiku 5.5 are given both modes.
// Prefill refused on Fable 5, Mythos 5, Opus 4.8/4.7/4.6, Sonnet 4.6 (§2.4); UNCONFIRMED: extended to the
// later Fable/Mythos releases of the same line.
type Row = [string, string, string, number, number, FakeModel['line'], number, boolean, boolean, boolean, Partial<FakeModel>?];
const ROWS: Row[] = [
  ['claude-fable-5-2', 'Claude Fable 5.2', '2026-11-09', M, 128 * K, 'fable', 512, false, true, false],
  ['claude-mythos-5-2', 'Claude Mythos 5.2', '2026-11-09', M, 128 * K, 'mythos', 512, false, true, false], // release date UNCONFIRMED
  ['claude-haiku-5-5', 'Claude Haiku 5.5', '2026-10-07', M, 128 * K, 'haiku', 4096, true, true, true],
  ['claude-opus-5-5', 'Claude Opus 5.5', '2026-10-01', M, 128 * K, 'opus', 512, false, true, true], // "~Sep/Oct 2026"
  ['claude-sonnet-5-5', 'Claude Sonnet 5.5', '2026-09-28', M, 128 * K, 'sonnet', 512, true, true, true],
  ['claude-fable-5-1', 'Claude Fable 5.1', '2026-09-01', M, 128 * K, 'fable', 512, false, true, false],
  ['claude-mythos-5-1', 'Claude Mythos 5.1', '2026-09-01', M, 128 * K, 'mythos', 512, false, true, false], // date UNCONFIRMED
  ['claude-opus-5', 'Claude Opus 5', '2026-07-24', M, 128 * K, 'opus', 512, false, true, true],
  ['claude-sonnet-5', 'Claude Sonnet 5', '2026-06-30', M, 128 * K, 'sonnet', 1024, true, true, true],
  ['claude-fable-5', 'Claude Fable 5', '2026-06-09', M, 128 * K, 'fable', 512, false, true, false],
  ['claude-mythos-5', 'Claude Mythos 5', '2026-06-09', M, 128 * K, 'mythos', 512, false, true, false],
  ['claude-opus-4-8', 'Claude Opus 4.8', '2026-05-28', M, 128 * K, 'opus', 1024, false, true, false],
  ['claude-opus-4-7', 'Claude Opus 4.7', '2026-04-16', M, 128 * K, 'opus', 2048, false, true, false],
  ['claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-17', M, 128 * K, 'sonnet', 1024, true, true, false],
  ['claude-opus-4-6', 'Claude Opus 4.6', '2026-02-05', M, 128 * K, 'opus', 4096, true, true, false],
  ['claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-24', 200 * K, 64 * K, 'opus', 4096, true, false, true, { aliases: ['claude-opus-4-5'] }],
  ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-15', 200 * K, 64 * K, 'haiku', 4096, true, false, true, { aliases: ['claude-haiku-4-5'] }],
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29', 200 * K, 64 * K, 'sonnet', 1024, true, false, true,
    { aliases: ['claude-sonnet-4-5'], lifecycle: 'deprecated', deprecated_at: '2026-08-01T00:00:00Z', retires_at: '2026-11-30T00:00:00Z' }],
  // Retired on the Claude API (§10.1): hidden from the default list, 404 on /v1/messages. Limits UNCONFIRMED.
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05', 200 * K, 32 * K, 'opus', 1024, true, false, true, { aliases: ['claude-opus-4-1'], lifecycle: 'retired' }],
  ['claude-opus-4-20250514', 'Claude Opus 4', '2025-05-22', 200 * K, 32 * K, 'opus', 1024, true, false, true, { aliases: ['claude-opus-4-0'], lifecycle: 'retired' }],
  ['claude-sonnet-4-20250514', 'Claude Sonnet 4', '2025-05-22', 200 * K, 64 * K, 'sonnet', 1024, true, false, true, { aliases: ['claude-sonnet-4-0'], lifecycle: 'retired' }],
];

const OPUS_4_6_RELEASE = '2026-02-05';

export function defaultModels(): FakeModel[] {
  return ROWS.map(([id, name, date, ctx, out, line, minCache, enabled, adaptive, prefill, extra]) => ({
    id, display_name: name, created_at: `${date}T00:00:00Z`, max_input_tokens: ctx, max_tokens: out, line,
    lifecycle: 'active', deprecated_at: null, retires_at: null, aliases: [], minCacheTokens: minCache,
    thinkingEnabled: enabled, thinkingAdaptive: adaptive, prefill, samplingLocked: date > OPUS_4_6_RELEASE,
    ...featuresOf(id),
    ...extra,
  }));
}

/** Fills the gaps of a test-supplied model with the defaults of a current model. */
export function completeModel(m: ModelInput, nowIso: string): FakeModel {
  if (typeof m.id !== 'string' || !m.id) throw new Error('fake-api: a model needs a non-empty string id');
  return {
    display_name: m.id, created_at: nowIso, max_input_tokens: M, max_tokens: 128 * K, line: null,
    lifecycle: 'active', deprecated_at: null, retires_at: null, aliases: [], minCacheTokens: 1024,
    thinkingEnabled: true, thinkingAdaptive: true, prefill: true, samplingLocked: false,
    structuredOutputs: true, efforts: [...EFFORT_LEVELS], webSearch: true,
    ...m,
  };
}

const sup = (supported: boolean) => ({ supported });

/** The public ModelInfo (SDK 1.12 `resources/models.d.ts`). */
export function modelInfo(m: FakeModel): Record<string, unknown> {
  const modern = m.created_at >= '2026-02-01';
  const effort = (l: (typeof EFFORT_LEVELS)[number]) => sup(m.efforts.includes(l));
  return {
    type: 'model', id: m.id, display_name: m.display_name, created_at: m.created_at,
    max_input_tokens: m.max_input_tokens, max_tokens: m.max_tokens,
    lifecycle: m.lifecycle, line: m.line, deprecated_at: m.deprecated_at, retires_at: m.retires_at,
    capabilities: {
      batch: sup(true), citations: sup(true), code_execution: sup(true),
      context_management: { supported: true, clear_thinking_20251015: sup(true), clear_tool_uses_20250919: sup(true), compact_20260112: sup(modern) },
      effort: { supported: m.efforts.length > 0, low: effort('low'), medium: effort('medium'), high: effort('high'), max: effort('max'), xhigh: effort('xhigh') },
      image_input: sup(true), pdf_input: sup(true),
      server_tools: { supported: m.webSearch, code_execution: sup(true), web_search: sup(m.webSearch) },
      structured_outputs: sup(m.structuredOutputs),
      thinking: {
        supported: m.thinkingEnabled || m.thinkingAdaptive,
        types: { adaptive: sup(m.thinkingAdaptive), enabled: sup(m.thinkingEnabled), disabled: sup(true), between_tools: sup(m.thinkingAdaptive) },
      },
    },
  };
}

export class ModelRegistry {
  private models: FakeModel[] = [];

  constructor(private readonly initial: () => FakeModel[], private readonly nowIso: () => string) {
    this.reset();
  }

  /** Adds (or replaces, by id) a model; unspecified fields default to a current 1M/128K model. */
  add(m: ModelInput): FakeModel {
    const full = completeModel(m, this.nowIso());
    this.models = this.models.filter((x) => x.id !== full.id);
    this.models.push(full);
    return full;
  }

  remove(id: string): void {
    this.models = this.models.filter((x) => x.id !== id);
  }

  /** Finds a model by id or alias, retired ones included. */
  find(id: unknown): FakeModel | undefined {
    if (typeof id !== 'string') return undefined;
    return this.models.find((m) => m.id === id || m.aliases.includes(id));
  }

  /** A model a request may use: known and not retired. */
  usable(id: unknown): FakeModel | undefined {
    const m = this.find(id);
    return m && m.lifecycle !== 'retired' ? m : undefined;
  }

  /** Newest first (stable for equal dates). */
  list(lifecycles: Lifecycle[] = ['active', 'deprecated']): FakeModel[] {
    return this.models
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => lifecycles.includes(m.lifecycle))
      .sort((a, b) => (a.m.created_at < b.m.created_at ? 1 : a.m.created_at > b.m.created_at ? -1 : a.i - b.i))
      .map(({ m }) => m);
  }

  reset(): void {
    this.models = this.initial().map((m) => ({ ...m, aliases: [...m.aliases] }));
  }
}

/** GET /v1/models and GET /v1/models/{id}. Returns the JSON body or an error. */
export function handleModels(reg: ModelRegistry, path: string, query: URLSearchParams): { body: unknown } | ApiError {
  const one = /^\/v1\/models\/(.+)$/.exec(path);
  if (one) {
    const id = decodeURIComponent(one[1]);
    const m = reg.find(id);
    // UNCONFIRMED wording (§11): mirrors the messages 404 "model: <id>".
    return m ? { body: modelInfo(m) } : apiError(404, 'not_found_error', `model: ${id}`);
  }
  const p = pageParams(query);
  if ('status' in p) return p;
  const wanted = [...query.getAll('lifecycle[]'), ...query.getAll('lifecycle')].flatMap((s) => s.split(','));
  for (const w of wanted) {
    if (!['active', 'deprecated', 'retired'].includes(w)) return badRequest(`lifecycle: Input should be 'active', 'deprecated' or 'retired'`);
  }
  const list = reg.list(wanted.length ? (wanted as Lifecycle[]) : undefined).map((m) => ({ ...modelInfo(m), id: m.id }));
  return { body: paginate(list, p) };
}
