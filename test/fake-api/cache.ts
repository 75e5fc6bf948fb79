// Prompt-cache accounting, following the algorithm of spec §6.8 (derived from the docs in §6.2–6.7):
//  - The prompt is a list of prefix elements, tools -> system -> messages (tokenizer.ts). Each position has a
//    cumulative hash; a change anywhere invalidates every later position. tool_choice and the thinking config
//    are mixed in where the messages start ("Tool choice" / "Thinking parameters" invalidate only messages).
//  - Breakpoints: blocks with cache_control (max 4, counting the automatic one). A request writes one entry
//    per breakpoint (only if the prefix there reaches the model minimum, §6.5), never at other positions.
//  - Reads: for each breakpoint, look at its own position and up to 19 earlier ones (20 in all) for a live
//    entry; the highest hit over all breakpoints is A. A hit refreshes that entry's TTL.
//  - Usage (§6.7 positions A/B/C): read = tokens up to A; 1h write = A..B, B = last 1h breakpoint after A;
//    5m write = max(A,B)..C, C = last breakpoint that could be written; input_tokens = everything after C
//    (or after A when nothing is written). The three always sum to the whole prompt.
//  - Entries are keyed per namespace (API key + model: caches are per workspace and per model) and expire at
//    request start + TTL on the fake clock (§6.4).
import { createHash } from 'node:crypto';
import { ApiError, badRequest } from './http';
import type { PrefixBlock, Ttl } from './tokenizer';

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface Breakpoint {
  pos: number;
  ttl: Ttl;
  automatic: boolean;
}

interface Entry {
  expiresAt: number;
  ttlMs: number;
}

export const LOOKBACK_BLOCKS = 20;
export const MAX_BREAKPOINTS = 4;
const TTL_MS: Record<Ttl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/**
 * The breakpoints of a request, explicit plus automatic (top-level cache_control goes on the last cacheable
 * block), or the 400 the API gives for too many of them or for a bad TTL order.
 */
export function resolveBreakpoints(blocks: readonly PrefixBlock[], autoTtl: Ttl | undefined): Breakpoint[] | ApiError {
  const bps: Breakpoint[] = [];
  blocks.forEach((b, pos) => {
    if (b.breakpoint) bps.push({ pos, ttl: b.breakpoint, automatic: false });
  });
  if (autoTtl) {
    let last = -1;
    for (let i = blocks.length - 1; i >= 0; i--) {
      if (blocks[i].cacheable) {
        last = i;
        break;
      }
    }
    if (last >= 0) {
      const own = blocks[last].breakpoint;
      if (own && own !== autoTtl) {
        // "with a different TTL, the API returns a 400 error" (§2.3); exact wording UNCONFIRMED.
        return badRequest(`cache_control: the top-level cache_control ttl "${autoTtl}" conflicts with ttl "${own}" already set on ${blocks[last].path}`);
      }
      if (!own) bps.push({ pos: last, ttl: autoTtl, automatic: true });
    }
  }
  if (bps.length > MAX_BREAKPOINTS) {
    return badRequest(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${bps.length}.`);
  }
  bps.sort((a, b) => a.pos - b.pos);
  const first5m = bps.find((b) => b.ttl === '5m');
  const late1h = first5m && bps.find((b) => b.ttl === '1h' && b.pos > first5m.pos);
  if (first5m && late1h) {
    // "a 1-hour cache entry must appear before any 5-minute cache entries" (§2.3); exact wording UNCONFIRMED.
    return badRequest(
      `cache_control: a "ttl": "1h" cache entry must appear before any "ttl": "5m" entries; found "1h" at ${blocks[late1h.pos].path} after "5m" at ${blocks[first5m.pos].path}`,
    );
  }
  return bps;
}

export class PromptCache {
  private readonly entries = new Map<string, Entry>();

  /** Number of live and expired-but-not-yet-purged entries. */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Looks up and writes the cache for one request and returns its input usage.
   * @param namespace  entries are shared only within a namespace (API key + model)
   * @param context    request settings that invalidate the messages part (tool_choice, thinking)
   */
  account(
    namespace: string,
    blocks: readonly PrefixBlock[],
    bps: readonly Breakpoint[],
    context: string,
    minTokens: number,
    nowMs: number,
  ): CacheUsage {
    this.purge(nowMs);
    const hashes = chainHashes(namespace, blocks, context);
    const cum: number[] = [];
    let total = 0;
    for (const b of blocks) cum.push((total += b.tokens));
    const upTo = (pos: number) => (pos < 0 ? 0 : cum[pos]);

    let hit = -1;
    for (const bp of bps) {
      const floor = Math.max(0, bp.pos - LOOKBACK_BLOCKS + 1);
      for (let j = bp.pos; j >= floor; j--) {
        const e = this.entries.get(hashes[j]);
        if (e && e.expiresAt > nowMs) {
          e.expiresAt = nowMs + e.ttlMs; // "refreshed ... each time the cached content is used"
          hit = Math.max(hit, j);
          break;
        }
      }
    }

    const writable = bps.filter((bp) => upTo(bp.pos) >= minTokens);
    for (const bp of writable) {
      const e = this.entries.get(hashes[bp.pos]);
      const ttlMs = Math.max(e && e.expiresAt > nowMs ? e.ttlMs : 0, TTL_MS[bp.ttl]);
      this.entries.set(hashes[bp.pos], { ttlMs, expiresAt: nowMs + ttlMs });
    }

    const c = writable.length ? writable[writable.length - 1].pos : -1;
    const read = upTo(hit);
    if (c <= hit) {
      return usage(total - read, 0, 0, read);
    }
    const oneHour = writable.filter((bp) => bp.ttl === '1h' && bp.pos > hit);
    const b = oneHour.length ? oneHour[oneHour.length - 1].pos : hit;
    const w1h = upTo(b) - read;
    const w5m = upTo(c) - upTo(Math.max(hit, b));
    return usage(total - upTo(c), w5m, w1h, read);
  }

  private purge(nowMs: number): void {
    for (const [k, e] of this.entries) if (e.expiresAt <= nowMs) this.entries.delete(k);
  }
}

function usage(input: number, w5m: number, w1h: number, read: number): CacheUsage {
  return {
    input_tokens: input,
    cache_creation_input_tokens: w5m + w1h,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: w5m, ephemeral_1h_input_tokens: w1h },
  };
}

function chainHashes(namespace: string, blocks: readonly PrefixBlock[], context: string): string[] {
  const out: string[] = [];
  let prev = createHash('sha256').update(namespace).digest('hex');
  let sawMessages = false;
  for (const b of blocks) {
    const h = createHash('sha256').update(prev).update('\u0000');
    if (b.section === 'messages' && !sawMessages) {
      sawMessages = true;
      h.update(context).update('\u0000');
    }
    prev = h.update(b.key).digest('hex');
    out.push(`${namespace}|${prev}`);
  }
  return out;
}
