// Context editing: old results of the tools that produce large outputs (read_file, search_text by default) leave
// the request once they are `keepRounds` tool rounds old. Either the API does it (clear_tool_uses_20250919, beta),
// or we do, replacing each result with a placeholder the model can see.
//
// Clearing changes the prompt from the first cleared result on, so every later cached block is written again. To
// make that rare, results are cleared in batches: only once at least `clearAtLeast` tokens can go, and then every
// eligible result at once (the API's `clear_at_least` idea, with a memory: the decision is kept on the blocks, so
// the next requests send the same prefix). With the API's strategy the same decision becomes `keep`: the number of
// newest tool uses not cleared, so the server clears exactly what we decided (the oldest ones first).
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { Block, Turn } from '../conversation';
import { estimateTokens } from '../tokens';
import type { SessionSettings } from './settings';

export type EditingMode = 'client' | 'server' | 'off';

/** 'auto' uses the API's strategy where the model supports it (from /v1/models), else ours. */
export function editingMode(s: SessionSettings, serverSupported: boolean | undefined): EditingMode {
  if (s.editing === 'auto') return serverSupported ? 'server' : 'client';
  return s.editing;
}

interface ResultRef {
  block: Block;
  round: number;
  tool: string;
  input: unknown;
}

/** The tool results of `turns` in order, each with the number of its tool round (counted across turns). */
function results(turns: readonly Turn[]): { refs: ResultRef[]; rounds: number } {
  const refs: ResultRef[] = [];
  let round = -1;
  for (const t of turns) {
    const uses = new Map(t.blocks.filter((b) => b.kind === 'tool_use').map((b) => [b.toolId, b]));
    let inResults = false;
    for (const b of t.blocks) {
      if (b.kind !== 'tool_result') {
        inResults = false;
        continue;
      }
      if (!inResults) round++;
      inResults = true;
      const use = uses.get(b.toolId);
      refs.push({ block: b, round, tool: use?.toolName ?? '', input: use?.input });
    }
  }
  return { refs, rounds: round + 1 };
}

/**
 * Marks the results that may leave the request, when together they reach `clearAtLeast` tokens. Returns what was
 * newly marked, or undefined when nothing was. Client mode clears only results of at least `minClearTokens`;
 * server mode clears the oldest ones regardless of size (the API's strategy has no size filter).
 */
export function markClearable(turns: readonly Turn[], s: SessionSettings, mode: EditingMode): { results: number; tokens: number } | undefined {
  if (mode === 'off') return undefined;
  const { refs, rounds } = results(turns);
  const tools = new Set(s.clearTools);
  const eligible = refs.filter(
    (r) =>
      !r.block.cleared &&
      tools.has(r.tool) &&
      rounds - 1 - r.round >= s.keepRounds &&
      (mode === 'server' || estimateTokens(r.block.text) >= s.minClearTokens),
  );
  const tokens = eligible.reduce((n, r) => n + estimateTokens(r.block.text), 0);
  if (eligible.length === 0 || tokens < s.clearAtLeast) return undefined;
  for (const r of eligible) r.block.cleared = true;
  return { results: eligible.length, tokens };
}

function describe(tool: string, input: unknown): string {
  const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const arg = [i.path, i.pattern, i.query].find((v) => typeof v === 'string') as string | undefined;
  return arg === undefined ? tool : `${tool} ${JSON.stringify(arg.length > 80 ? `${arg.slice(0, 79)}…` : arg)}`;
}

/** What the model sees instead of a result we cleared. */
export function clearedPlaceholder(tool: string, input: unknown, chars: number): string {
  return `[Cleared to save context: the result of ${describe(tool, input)} (${chars.toLocaleString('en-US')} characters). Call the tool again if you need it.]`;
}

/** The turn as sent with client-side clearing: cleared results replaced by their placeholder. */
export function withClearedResults(turn: Turn): Turn {
  if (!turn.blocks.some((b) => b.cleared)) return turn;
  const uses = new Map(turn.blocks.filter((b) => b.kind === 'tool_use').map((b) => [b.toolId, b]));
  return {
    ...turn,
    blocks: turn.blocks.map((b) => {
      if (!b.cleared || b.kind !== 'tool_result') return b;
      const use = uses.get(b.toolId);
      return { ...b, text: clearedPlaceholder(use?.toolName ?? 'a tool', use?.input, b.text.length) };
    }),
  };
}

/** The API's clearing edit that clears exactly the results marked in `turns` (server mode). */
export function serverClearEdit(messages: readonly MessageParam[], turns: readonly Turn[], s: SessionSettings, toolNames: readonly string[]): Record<string, unknown> {
  const cleared = new Set(turns.flatMap((t) => t.blocks.filter((b) => b.kind === 'tool_result' && b.cleared).map((b) => b.toolId)));
  const answered = new Set<string>();
  const uses: { id: string; name: string }[] = [];
  const seen = new Set(toolNames);
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_result') answered.add(b.tool_use_id);
      if (b.type === 'tool_use') {
        uses.push({ id: b.id, name: b.name });
        seen.add(b.name);
      }
    }
  }
  const clearable = new Set(s.clearTools);
  const candidates = uses.filter((u) => clearable.has(u.name) && answered.has(u.id));
  const keep = candidates.filter((u) => !cleared.has(u.id)).length;
  return {
    type: 'clear_tool_uses_20250919',
    trigger: { type: 'tool_uses', value: 1 },
    keep: { type: 'tool_uses', value: keep },
    exclude_tools: [...seen].filter((n) => !clearable.has(n)).sort(),
  };
}
