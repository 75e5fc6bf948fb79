// The context meter: the tokens the conversation occupies against the model's window, split into system (with the
// tool definitions), attached context, history and tool results. The total is exact when it comes from the API
// (a reply's usage, count_tokens); the split is by characters, scaled to the total.
import type { MeterView } from '../../shared/protocol';
import type { Parts } from './requestBuild';
import type { SessionSettings } from './settings';

/** `parts` (rough) scaled so they sum to `tokens`; `extraHistory` (a reply's output) is added to history. */
export function scaledParts(parts: Parts, tokens: number, extraHistory = 0): MeterView['parts'] {
  const base = Math.max(0, tokens - extraHistory);
  const sum = parts.system + parts.context + parts.history + parts.tools;
  if (sum <= 0) return { system: 0, context: 0, history: tokens, tools: 0 };
  const f = base / sum;
  const system = Math.round(parts.system * f);
  const context = Math.round(parts.context * f);
  const tools = Math.round(parts.tools * f);
  return { system, context, tools, history: Math.max(0, tokens - system - context - tools) };
}

export function meterView(model: string, window: number | undefined, tokens: number, exact: boolean, parts: MeterView['parts'], s: SessionSettings): MeterView {
  const m: MeterView = { model, tokens: Math.max(0, Math.round(tokens)), exact, parts, warnAt: s.meterWarnAt };
  if (window) m.window = window;
  if (s.autoCompact) m.compactAt = s.threshold;
  return m;
}
