// The `anthropic-beta` header (spec-more §0.2): comma-joined without spaces by SDK 1.x; split on `,` and trim.
// Unknown and deprecated values are accepted (the SDK appends some by itself, e.g. token-counting-2024-11-01).
import type { IncomingHttpHeaders } from 'node:http';

/** Context editing (clear_tool_uses_20250919, clear_thinking_20251015), §7.1. */
export const CONTEXT_MANAGEMENT_BETA = 'context-management-2025-06-27';
/** Threshold compaction, the `compact_20260112` edit, §7.2. */
export const THRESHOLD_COMPACTION_BETA = 'compact-2026-01-12';
/** On-demand compaction, the top-level `compaction` parameter, §7.3. */
export const ON_DEMAND_COMPACTION_BETA = 'compact-2026-09-04';

export function betasOf(headers: IncomingHttpHeaders): Set<string> {
  const raw = headers['anthropic-beta'];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
}

/** Any compaction beta: both make `compaction` blocks in `messages` and `usage.iterations` exist. */
export function compactionBeta(betas: ReadonlySet<string>): boolean {
  return betas.has(THRESHOLD_COMPACTION_BETA) || betas.has(ON_DEMAND_COMPACTION_BETA);
}
