// Where cache_control breakpoints go. Prefix order is tools -> system -> messages; at most 4 breakpoints; a
// breakpoint caches everything before it; reads look back 20 blocks from each breakpoint.
// Slots: (1) end of tools + system, (2) end of the attached context documents, (3) the newest user turn, so the
// next request can read it, (4) the previous request's breakpoint, so a read still hits when one round added
// more than 20 blocks (tool loops).
import type { ContentBlockParam, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { roughTokens } from './cacheMinimum';

export type CacheTtl = '5m' | '1h';

export interface CachePlanInput {
  tools?: Tool[];
  system?: TextBlockParam[];
  messages: MessageParam[];
  /** Where the attached context documents end (message index, block index), if any. */
  contextEnd?: { message: number; block: number };
  /** TTL for the long-lived slots (1 and 2). 1h entries must come before 5m ones. */
  stableTtl?: CacheTtl;
  /** The model's minimum cacheable prefix in tokens: a shorter prefix is not cached, so its slot goes elsewhere. */
  minTokens?: number;
}

const MAX_BREAKPOINTS = 4;

function mark(block: { cache_control?: unknown }, ttl: CacheTtl): void {
  block.cache_control = ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
}

/** The last block of a message that may carry cache_control (not thinking, not empty text). */
function cacheableIndex(content: ContentBlockParam[]): number {
  for (let i = content.length - 1; i >= 0; i--) {
    const b = content[i];
    if (b.type === 'thinking' || b.type === 'redacted_thinking') continue;
    if (b.type === 'text' && !b.text) continue;
    return i;
  }
  return -1;
}

function markMessage(m: MessageParam | undefined, ttl: CacheTtl): boolean {
  if (!m || typeof m.content === 'string') return false;
  const i = cacheableIndex(m.content);
  if (i < 0) return false;
  mark(m.content[i] as { cache_control?: unknown }, ttl);
  return true;
}

/** Mutates the given (freshly built) request parts, adding at most 4 cache_control markers. Returns how many. */
export function applyCachePlan(p: CachePlanInput): number {
  let used = 0;
  const stable = p.stableTtl ?? '5m';
  const min = p.minTokens ?? 0;
  const lastSystem = p.system?.[p.system.length - 1];
  const lastTool = p.tools?.[p.tools.length - 1];
  const headTokens = roughTokens(p.tools) + roughTokens(p.system);
  if (headTokens >= min) {
    if (lastSystem && lastSystem.text) {
      mark(lastSystem, stable);
      used++;
    } else if (lastTool) {
      mark(lastTool, stable);
      used++;
    }
  }
  const contextTokens = p.contextEnd ? headTokens + roughTokens(p.messages[p.contextEnd.message]) : 0;
  if (p.contextEnd && contextTokens >= min) {
    const m = p.messages[p.contextEnd.message];
    const b = m && typeof m.content !== 'string' ? m.content[p.contextEnd.block] : undefined;
    if (b && b.type === 'text' && b.text) {
      mark(b, stable);
      used++;
    }
  }
  const userIdx: number[] = [];
  p.messages.forEach((m, i) => {
    if (m.role !== 'user') return;
    // The context message only counts as a turn when the first question was merged into it.
    if (p.contextEnd && i === p.contextEnd.message && m.content.length === p.contextEnd.block + 1) return;
    userIdx.push(i);
  });
  // Newest user turn first, then the one before it (the previous request's write position), then older ones
  // with any slot a too-short head left free.
  for (const i of userIdx.reverse()) {
    if (used >= MAX_BREAKPOINTS) break;
    if (markMessage(p.messages[i], '5m')) used++;
  }
  return used;
}
