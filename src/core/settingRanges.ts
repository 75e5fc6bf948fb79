// Ranges of the numeric settings, as declared in package.json. VS Code does not enforce a schema's minimum and
// maximum on what settings.json holds (a workspace can set maxRetries to 1e9, -5 or "abc"), so every reader clamps.

export interface IntRange {
  min: number;
  max: number;
  /** Used when the value is not a number at all. */
  fallback: number;
}

export const MAX_RETRIES: IntRange = { min: 0, max: 10, fallback: 3 };
export const MAX_TOOL_TURNS: IntRange = { min: 1, max: 100, fallback: 10 };
export const MAX_TOKENS: IntRange = { min: 1, max: 128_000, fallback: 8192 };
/** The schema has no maximum; a day keeps the timer below Node's 2^31-1 ms limit (past it, a timer fires at once). */
export const REQUEST_TIMEOUT_SECONDS: IntRange = { min: 0, max: 86_400, fallback: 90 };
/** Total tries of one request (maxRetries + 1), for core's own check. */
export const MAX_ATTEMPTS: IntRange = { min: 1, max: MAX_RETRIES.max + 1, fallback: MAX_RETRIES.fallback + 1 };

/** `v` as an integer inside `r`: out-of-range numbers are clamped, non-numbers (and NaN) give the fallback. */
export function clampInt(v: unknown, r: IntRange): number {
  if (typeof v !== 'number' || Number.isNaN(v)) return r.fallback;
  return Math.min(r.max, Math.max(r.min, Math.trunc(v)));
}
