// The long-session settings (claudeChat.compaction.*, claudeChat.contextEditing.*, claudeChat.contextMeter.*,
// claudeChat.tools.maxRequestTokens, claudeChat.checkpoints.*), clamped: VS Code does not enforce a schema's
// ranges, and a workspace may set anything.

export type ServerSide = 'auto' | 'never';
export type EditingMode = 'auto' | 'server' | 'client' | 'off';

export interface SessionSettings {
  /** Compact by itself when the prompt passes `threshold` of the window. /compact works either way. */
  autoCompact: boolean;
  /** Share of the model's context window (0.1–0.95). */
  threshold: number;
  /** The model for client-side summaries (a cheap one). */
  summaryModel: string;
  /** Use the API's compaction where the model supports it (its support matrix is UNCONFIRMED: configurable). */
  serverCompaction: ServerSide;
  /** Clearing of old tool results: the API's strategy ('server'), ours ('client'), either ('auto'), none. */
  editing: EditingMode;
  /** Tool results at least this many rounds old may be cleared. */
  keepRounds: number;
  /** Client-side: only results of at least this many tokens are cleared. */
  minClearTokens: number;
  /** Clear only once at least this many tokens can go at once (fewer cache-breaking prefix changes). */
  clearAtLeast: number;
  /** The tools whose results may be cleared. */
  clearTools: string[];
  /** The context meter changes colour at this share of the window. */
  meterWarnAt: number;
  /** Cost guard: before a tool round's request, pause when the projected input passes this. 0 = off. */
  maxRequestTokens: number;
  /** Record checkpoints of files an agent turn changes. */
  checkpoints: boolean;
  /** Bound on the checkpoint contents kept with one conversation (KB). */
  checkpointKB: number;
}

export const DEFAULT_SESSION_SETTINGS: Readonly<SessionSettings> = Object.freeze({
  autoCompact: true,
  threshold: 0.8,
  summaryModel: 'claude-haiku-5-5',
  serverCompaction: 'auto',
  editing: 'auto',
  keepRounds: 3,
  minClearTokens: 500,
  clearAtLeast: 20_000,
  clearTools: ['read_file', 'search_text'],
  meterWarnAt: 0.7,
  maxRequestTokens: 200_000,
  checkpoints: true,
  checkpointKB: 8192,
});

function num(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

function int(v: unknown, min: number, max: number, fallback: number): number {
  return Math.trunc(num(v, min, max, fallback));
}

/** The settings with every field present and in range; unknown values fall back to the defaults. */
export function resolveSessionSettings(raw: Partial<Record<keyof SessionSettings, unknown>> | undefined): SessionSettings {
  const r = raw ?? {};
  const d = DEFAULT_SESSION_SETTINGS;
  const model = typeof r.summaryModel === 'string' && r.summaryModel.trim() ? r.summaryModel.trim().slice(0, 256) : d.summaryModel;
  const tools = Array.isArray(r.clearTools) ? r.clearTools.filter((t): t is string => typeof t === 'string' && t.length <= 64).slice(0, 50) : d.clearTools;
  return {
    autoCompact: typeof r.autoCompact === 'boolean' ? r.autoCompact : d.autoCompact,
    threshold: num(r.threshold, 0.1, 0.95, d.threshold),
    summaryModel: model,
    serverCompaction: r.serverCompaction === 'never' ? 'never' : 'auto',
    editing: (['auto', 'server', 'client', 'off'] as const).find((m) => m === r.editing) ?? d.editing,
    keepRounds: int(r.keepRounds, 1, 100, d.keepRounds),
    minClearTokens: int(r.minClearTokens, 0, 1_000_000, d.minClearTokens),
    clearAtLeast: int(r.clearAtLeast, 0, 1_000_000, d.clearAtLeast),
    clearTools: tools,
    meterWarnAt: num(r.meterWarnAt, 0.05, 1, d.meterWarnAt),
    maxRequestTokens: int(r.maxRequestTokens, 0, 10_000_000, d.maxRequestTokens),
    checkpoints: typeof r.checkpoints === 'boolean' ? r.checkpoints : d.checkpoints,
    checkpointKB: int(r.checkpointKB, 64, 262_144, d.checkpointKB),
  };
}
