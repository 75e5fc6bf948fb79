// Models the key can use (GET /v1/models, all pages) and their limits, cached for the session.
import type { ModelOption } from '../shared/protocol';
import type { ApiCapabilities } from './capabilities';
import type { AnthropicClient } from './sdk';
import type { ContextCapabilities } from './session/longSession';
import { capsFromApi, type ModelCaps } from './lm/modelCaps';

export interface ModelInfo extends ModelOption {
  contextWindow?: number;
  maxOutput?: number;
  /** Image input and thinking modes, when /v1/models reports `capabilities` (the provider reads them). */
  caps?: ModelCaps;
  /** What /v1/models reported (core/capabilities.ts reads it); undefined when the API sent none. */
  capabilities?: ApiCapabilities;
  /** Compaction and context editing support (core/session/), when the API reports it. */
  contextManagement?: ContextCapabilities;
}

/** Compaction and context editing support, when the API reports capabilities (SDK 1.12 ModelInfo). */
function contextManagementOf(m: { capabilities?: unknown }): ContextCapabilities | undefined {
  const cm = (m.capabilities as { context_management?: Record<string, { supported?: unknown } | null | undefined> } | null | undefined)?.context_management;
  if (!cm) return undefined;
  const flag = (k: string) => (typeof cm[k]?.supported === 'boolean' ? (cm[k]!.supported as boolean) : undefined);
  return { compaction: flag('compact_20260112'), clearToolUses: flag('clear_tool_uses_20250919') };
}

/** Context windows for when the API did not say (max_input_tokens null), per the docs' model pages. */
const KNOWN_WINDOWS: [RegExp, number][] = [
  [/^claude-(fable|mythos|opus|sonnet|haiku)-5/, 1_000_000],
  [/^claude-(opus-4-[678]|sonnet-4-6)/, 1_000_000],
  [/^claude-/, 200_000],
];

export function fallbackWindow(model: string): number | undefined {
  return KNOWN_WINDOWS.find(([re]) => re.test(model))?.[1];
}

const MAX_MODELS = 2000;

export class ModelCatalog {
  private cache: { at: number; models: ModelInfo[] } | undefined;

  constructor(private readonly ttlMs = 60 * 60_000, private readonly now: () => number = Date.now) {}

  async list(client: AnthropicClient, refresh = false): Promise<ModelInfo[]> {
    if (!refresh && this.cache && this.now() - this.cache.at < this.ttlMs) return this.cache.models;
    const models: ModelInfo[] = [];
    for await (const m of client.models.list({ limit: 100 })) {
      const info: ModelInfo = { id: m.id, displayName: m.display_name || m.id, contextWindow: m.max_input_tokens ?? undefined, maxOutput: m.max_tokens ?? undefined, caps: capsFromApi(m.capabilities) };
      if (m.capabilities && typeof m.capabilities === 'object') info.capabilities = m.capabilities as ApiCapabilities;
      const cm = contextManagementOf(m);
      if (cm) info.contextManagement = cm;
      models.push(info);
      if (models.length >= MAX_MODELS) break; // bounded: at most 20 pages of 100
    }
    this.cache = { at: this.now(), models };
    return models;
  }

  cached(): ModelInfo[] | undefined {
    return this.cache?.models;
  }

  /** The capabilities /v1/models reported for `model` (from the cached list), if any. */
  capabilities(model: string): ApiCapabilities | undefined {
    return this.cache?.models.find((m) => m.id === model)?.capabilities;
  }

  contextWindow(model: string): number | undefined {
    return this.cache?.models.find((m) => m.id === model)?.contextWindow ?? fallbackWindow(model);
  }

  /** Compaction and context editing support /v1/models reported for `model`, if any. */
  contextCapabilities(model: string): ContextCapabilities | undefined {
    return this.cache?.models.find((m) => m.id === model)?.contextManagement;
  }
}
