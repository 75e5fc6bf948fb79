// The smallest prompt prefix each model caches (spec §6.5, the Sep–Oct 2026 list; older families from the Aug 2026
// list). A breakpoint whose prefix is shorter writes nothing, so the cache plan spends that slot elsewhere.
import { estimateTokens } from './tokens';

const TABLE: [RegExp, number][] = [
  [/^claude-(fable|mythos)-5/, 512],
  [/^claude-opus-5/, 512],
  [/^claude-sonnet-5-5/, 512],
  [/^claude-haiku-(4-5|5)/, 4096],
  [/^claude-opus-4-[56]/, 4096],
  [/^claude-opus-4-7/, 2048],
  [/^claude-mythos-preview/, 2048],
];
const DEFAULT_MIN = 1024;

export function minCacheTokens(model: string): number {
  return TABLE.find(([re]) => re.test(model))?.[1] ?? DEFAULT_MIN;
}

/** A cheap upper-side token estimate of request parts, as JSON (core/tokens.ts, the rule the fake API uses too). */
export function roughTokens(value: unknown): number {
  return estimateTokens(JSON.stringify(value ?? ''));
}
