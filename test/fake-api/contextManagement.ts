// Context management (spec-more §7, §9 "Context editing" / "Compaction"): the beta-gated request fields, their
// validation, and the clearing edits applied to the prompt before "inference".
//
// Gating (§9 "Headers"): `context_management` needs context-management-2025-06-27 (clearing edits) or
// compact-2026-01-12 (a compact_20260112 edit); top-level `compaction` needs compact-2026-09-04. Without its beta a
// field is refused with "<field>: Extra inputs are not permitted" (wording UNCONFIRMED); an edit whose own beta is
// missing is refused as an unknown tag.
//
// Clearing (§7.1), applied in the order listed, on the prompt after compaction blocks were applied:
//   clear_thinking_20251015  keeps the thinking of the last N assistant turns that have some ("all" keeps every one);
//                            must be first when combined with other edits (violation message UNCONFIRMED).
//   clear_tool_uses_20250919 once the trigger is reached (default 100,000 input tokens; or a tool_uses count),
//                            replaces the results of all but the last `keep` (default 3) tool uses not in
//                            exclude_tools with a placeholder (its text UNCONFIRMED), and their inputs too when
//                            clear_tool_inputs says so; skipped when it would clear less than clear_at_least.
// Each applied edit is reported in `context_management.applied_edits`; an edit that cleared nothing is not listed.
import { CONTEXT_MANAGEMENT_BETA, ON_DEMAND_COMPACTION_BETA, THRESHOLD_COMPACTION_BETA } from './betas';
import { ApiError, badRequest } from './http';
import { countInputTokens, tokens } from './tokenizer';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const CLEARED_TOOL_RESULT = '[This tool result was cleared to save context.]'; // placeholder wording UNCONFIRMED
export const MIN_COMPACTION_TRIGGER = 50_000;
const DEFAULT_COMPACTION_TRIGGER = 150_000;
const DEFAULT_CLEAR_TRIGGER = 100_000;
const DEFAULT_KEEP_TOOL_USES = 3;

export type ClearEdit =
  | { type: 'clear_thinking_20251015'; keep: number | 'all' }
  | { type: 'clear_tool_uses_20250919'; trigger: { type: 'input_tokens' | 'tool_uses'; value: number }; keep: number; clearAtLeast: number; exclude: Set<string>; clearInputs: boolean | Set<string> };

export interface ContextPlan {
  /** Top-level `compaction: {type:"summarize"}` (create only; count_tokens ignores it). */
  onDemand?: { instructions?: string };
  /** A compact_20260112 edit. */
  threshold?: { trigger: number; pause: boolean; instructions?: string };
  edits: ClearEdit[];
  /** The request had `context_management`: the response reports `context_management`. */
  reported: boolean;
}

export type AppliedEdit =
  | { type: 'clear_thinking_20251015'; cleared_thinking_turns: number; cleared_input_tokens: number }
  | { type: 'clear_tool_uses_20250919'; cleared_tool_uses: number; cleared_input_tokens: number };

function tag(path: string, got: unknown, expected: string[]): ApiError {
  return badRequest(`${path}: Input tag '${String(got)}' found using 'type' does not match any of the expected tags: ${expected.map((e) => `'${e}'`).join(', ')}`);
}

function intField(v: unknown, path: string, min: number): ApiError | undefined {
  if (!isInt(v)) return badRequest(`${path}: Input should be a valid integer`);
  if (v < min) return badRequest(min === 1 ? `${path}: Input should be greater than 0` : `${path}: Input should be greater than or equal to ${min}`);
  return undefined;
}

function parseClearThinking(e: Obj, path: string): ClearEdit | ApiError {
  const k = e.keep;
  if (k === undefined || k === 'all' || (isObj(k) && k.type === 'all')) return { type: 'clear_thinking_20251015', keep: 'all' }; // default per model; "all" on current models
  if (!isObj(k) || k.type !== 'thinking_turns') return tag(`${path}.keep`, isObj(k) ? k.type : k, ['thinking_turns', 'all']);
  return intField(k.value, `${path}.keep.value`, 1) ?? { type: 'clear_thinking_20251015', keep: k.value as number };
}

function parseClearToolUses(e: Obj, path: string): ClearEdit | ApiError {
  const t = e.trigger ?? { type: 'input_tokens', value: DEFAULT_CLEAR_TRIGGER };
  if (!isObj(t) || (t.type !== 'input_tokens' && t.type !== 'tool_uses')) return tag(`${path}.trigger`, isObj(t) ? t.type : t, ['input_tokens', 'tool_uses']);
  const k = e.keep ?? { type: 'tool_uses', value: DEFAULT_KEEP_TOOL_USES };
  if (!isObj(k) || k.type !== 'tool_uses') return tag(`${path}.keep`, isObj(k) ? k.type : k, ['tool_uses']);
  const c = e.clear_at_least ?? { type: 'input_tokens', value: 0 };
  if (!isObj(c) || c.type !== 'input_tokens') return tag(`${path}.clear_at_least`, isObj(c) ? c.type : c, ['input_tokens']);
  const err = intField(t.value, `${path}.trigger.value`, 1) ?? intField(k.value, `${path}.keep.value`, 0) ?? intField(c.value, `${path}.clear_at_least.value`, 0);
  if (err) return err;
  const ex = e.exclude_tools ?? [];
  if (!Array.isArray(ex) || ex.some((x) => typeof x !== 'string')) return badRequest(`${path}.exclude_tools: Input should be a valid list of strings`);
  const ci = e.clear_tool_inputs ?? false;
  if (typeof ci !== 'boolean' && !(Array.isArray(ci) && ci.every((x) => typeof x === 'string'))) return badRequest(`${path}.clear_tool_inputs: Input should be a valid boolean or list of strings`);
  return {
    type: 'clear_tool_uses_20250919',
    trigger: { type: t.type, value: t.value as number },
    keep: k.value as number,
    clearAtLeast: c.value as number,
    exclude: new Set(ex as string[]),
    clearInputs: typeof ci === 'boolean' ? ci : new Set(ci as string[]),
  };
}

function parseCompact(e: Obj, path: string): ContextPlan['threshold'] | ApiError {
  const t = e.trigger ?? { type: 'input_tokens', value: DEFAULT_COMPACTION_TRIGGER };
  // "`input_tokens` is the only supported trigger type. `value` must be at least 50,000 tokens." (§7.2)
  if (!isObj(t) || t.type !== 'input_tokens') return tag(`${path}.trigger`, isObj(t) ? t.type : t, ['input_tokens']);
  const err = intField(t.value, `${path}.trigger.value`, MIN_COMPACTION_TRIGGER);
  if (err) return err;
  if (e.pause_after_compaction !== undefined && typeof e.pause_after_compaction !== 'boolean') return badRequest(`${path}.pause_after_compaction: Input should be a valid boolean`);
  if (e.instructions !== undefined && e.instructions !== null && typeof e.instructions !== 'string') return badRequest(`${path}.instructions: Input should be a valid string`);
  return { trigger: t.value as number, pause: e.pause_after_compaction === true, instructions: typeof e.instructions === 'string' && e.instructions.trim() ? e.instructions : undefined };
}

/** Validates the context-management fields of a request and their betas. */
export function checkContextParams(body: Obj, betas: ReadonlySet<string>, mode: 'create' | 'count' | 'batch'): ContextPlan | ApiError {
  const plan: ContextPlan = { edits: [], reported: false };
  const cm = body.context_management;
  const comp = body.compaction;
  if (comp !== undefined && comp !== null) {
    if (!betas.has(ON_DEMAND_COMPACTION_BETA)) return badRequest('compaction: Extra inputs are not permitted');
    if (cm !== undefined && cm !== null) return badRequest('compaction: cannot be combined with context_management'); // "Cannot be combined" (§7.3); wording UNCONFIRMED
    if (!isObj(comp) || comp.type !== 'summarize') return tag('compaction', isObj(comp) ? comp.type : comp, ['summarize']);
    if (comp.instructions !== undefined && comp.instructions !== null && typeof comp.instructions !== 'string') return badRequest('compaction.instructions: Input should be a valid string');
    const instructions = typeof comp.instructions === 'string' && comp.instructions.trim() ? comp.instructions : undefined;
    if (mode !== 'count') plan.onDemand = { instructions }; // count_tokens "accepts this parameter and ignores it"
  }
  if (cm === undefined || cm === null) return plan;
  const allowed = [
    ...(betas.has(CONTEXT_MANAGEMENT_BETA) ? ['clear_thinking_20251015', 'clear_tool_uses_20250919'] : []),
    ...(betas.has(THRESHOLD_COMPACTION_BETA) ? ['compact_20260112'] : []),
  ];
  if (allowed.length === 0) return badRequest('context_management: Extra inputs are not permitted');
  if (!isObj(cm)) return badRequest('context_management: Input should be a valid dictionary or object to extract fields from');
  plan.reported = true;
  const edits = cm.edits ?? [];
  if (!Array.isArray(edits)) return badRequest('context_management.edits: Input should be a valid list');
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i];
    const path = `context_management.edits.${i}`;
    if (!isObj(e) || !allowed.includes(String(e.type))) return tag(path, isObj(e) ? e.type : e, allowed);
    if (e.type === 'clear_thinking_20251015' && i !== 0) {
      // "the clear_thinking_20251015 strategy must be listed first in the edits array" (§7.1); wording UNCONFIRMED.
      return badRequest('context_management.edits: clear_thinking_20251015 must be listed first when combined with other strategies');
    }
    const parsed = e.type === 'compact_20260112' ? parseCompact(e, path) : e.type === 'clear_thinking_20251015' ? parseClearThinking(e, path) : parseClearToolUses(e, path);
    if (parsed && 'status' in parsed) return parsed;
    if (e.type === 'compact_20260112') plan.threshold = parsed as ContextPlan['threshold'];
    else plan.edits.push(parsed as ClearEdit);
  }
  return plan;
}

function blocksOf(m: Obj): Obj[] {
  return Array.isArray(m.content) ? (m.content as Obj[]) : [];
}

function clearThinking(messages: Obj[], keep: number | 'all'): { cleared: number } {
  if (keep === 'all') return { cleared: 0 };
  const withThinking = messages.filter((m) => m.role === 'assistant' && blocksOf(m).some((b) => b.type === 'thinking' || b.type === 'redacted_thinking'));
  const drop = withThinking.slice(0, Math.max(0, withThinking.length - keep));
  for (const m of drop) m.content = blocksOf(m).filter((b) => b.type !== 'thinking' && b.type !== 'redacted_thinking');
  return { cleared: drop.length };
}

function clearToolUses(messages: Obj[], e: Extract<ClearEdit, { type: 'clear_tool_uses_20250919' }>): number {
  const results = new Map<string, Obj>();
  for (const m of messages) if (m.role === 'user') for (const b of blocksOf(m)) if (b.type === 'tool_result') results.set(String(b.tool_use_id), b);
  const uses = messages.flatMap((m) => (m.role === 'assistant' ? blocksOf(m) : [])).filter((b) => b.type === 'tool_use' && results.has(String(b.id)) && !e.exclude.has(String(b.name)));
  const clear = uses.slice(0, Math.max(0, uses.length - e.keep));
  for (const use of clear) {
    const r = results.get(String(use.id))!;
    r.content = CLEARED_TOOL_RESULT;
    if (e.clearInputs === true || (e.clearInputs instanceof Set && e.clearInputs.has(String(use.name)))) use.input = {};
  }
  return clear.length;
}

function toolUseCount(messages: Obj[]): number {
  return messages.reduce((n, m) => n + (m.role === 'assistant' ? blocksOf(m).filter((b) => b.type === 'tool_use').length : 0), 0);
}

/**
 * Applies the clearing edits to a copy of `body` (its messages already reduced by compaction blocks) and reports
 * what each one cleared. The caller's body is not changed.
 */
export function applyClearing(body: Obj, edits: readonly ClearEdit[]): { body: Obj; applied: AppliedEdit[] } {
  let current: Obj = { ...body, messages: structuredClone(body.messages) };
  const applied: AppliedEdit[] = [];
  for (const e of edits) {
    const before = countInputTokens(current);
    const next: Obj = { ...current, messages: structuredClone(current.messages) };
    const messages = next.messages as Obj[];
    if (e.type === 'clear_thinking_20251015') {
      const { cleared } = clearThinking(messages, e.keep);
      if (cleared === 0) continue;
      applied.push({ type: e.type, cleared_thinking_turns: cleared, cleared_input_tokens: before - countInputTokens(next) });
      current = next;
      continue;
    }
    const reached = e.trigger.type === 'input_tokens' ? before >= e.trigger.value : toolUseCount(messages) >= e.trigger.value;
    if (!reached) continue;
    const n = clearToolUses(messages, e);
    const saved = before - countInputTokens(next);
    // "If the API can't clear at least the specified amount, the strategy will not be applied" (§7.1).
    if (n === 0 || saved < e.clearAtLeast) continue;
    applied.push({ type: e.type, cleared_tool_uses: n, cleared_input_tokens: saved });
    current = next;
  }
  return { body: current, applied };
}

/** Output tokens of a summary the fake writes (what a compaction iteration reports as output). */
export function summaryTokens(summary: string): number {
  return tokens(summary);
}
