// The fake's one deterministic tokenizer approximation. Every token number the fake reports comes from
// here: usage.input_tokens + cache_creation_input_tokens + cache_read_input_tokens, output_tokens, the
// prompt-too-long check, and POST /v1/messages/count_tokens. So a test can compute any figure by hand:
//
//   tokens(text)  = ceil(text.length / 4)                       (UTF-16 code units; "" -> 0)
//   The prompt is cut into prefix elements, in cache order tools -> system -> messages (spec §6.8):
//     each tool definition          tokens(canonical JSON of the tool without cache_control) + 3
//     system as a string            tokens(system) + 3                (omitted when "")
//     each system text block        tokens(text) + 3
//     a message's string content    tokens(content) + 3               (one element)
//     each message content block    content tokens + 3, where content tokens are
//         text                        tokens(text)
//         image                       ceil(w'/28)·ceil(h'/28), w'×h' the model tier's resize (media.ts); 1600 for url/file
//         document                    tokens(data) for a text source; a base64 PDF: 1500 per page + tokens(its text);
//                                     else 1600
//         tool_use                    tokens(name + JSON.stringify(input))
//         tool_result                 tokens(content) for a string; for blocks, the sum of their tokens
//         thinking                    tokens(thinking)
//         redacted_thinking           tokens(data)
//         compaction                  tokens(content) (the summary; the opaque fields are not counted)
//         anything else               tokens(canonical JSON of the block)
//     plus 4 per message, charged to the message's first element.
//   Nothing else is counted (no per-request overhead), so count_tokens == the sum of usage input fields.
//
//   Output: output_tokens = sum over generated blocks of text/thinking/redacted data/tool_use as above
//   (without the +3), i.e. what max_tokens is compared against.

export const CHARS_PER_TOKEN = 4;
export const BLOCK_OVERHEAD = 3;
export const MESSAGE_OVERHEAD = 4;
export const IMAGE_TOKENS = 1600;

/** The model images are counted for (its tier); undefined = the high-resolution tier. */
type ForModel = Pick<FakeModel, 'created_at'> | undefined;

export function tokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Back-compat helper of the first fake: tokens(text), at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, tokens(text));
}

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
import type { FakeModel } from './models';
import { mediaTokens } from './media';

/** JSON with sorted keys and every `cache_control` removed: the identity of a block for cache hashing. */
export function canonical(v: Json): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => k !== 'cache_control' && v[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

export type Ttl = '5m' | '1h';

export interface PrefixBlock {
  section: 'tools' | 'system' | 'messages';
  /** Where it sits in the request, e.g. `messages.3.content.1` (for error messages). */
  path: string;
  /** Identity for the cache hash (canonical JSON plus role/position markers). */
  key: string;
  tokens: number;
  /** The block's own `cache_control` TTL: an explicit breakpoint. */
  breakpoint?: Ttl;
  /** Can carry the automatic (top-level) breakpoint: not thinking, not an empty text block. */
  cacheable: boolean;
}

function contentTokens(b: Obj, model?: ForModel): number {
  switch (b.type) {
    case 'text':
      return tokens(String(b.text ?? ''));
    case 'image':
      return mediaTokens(b, model) ?? IMAGE_TOKENS;
    case 'document': {
      const src = isObj(b.source) ? b.source : {};
      return src.type === 'text' ? tokens(String(src.data ?? '')) : mediaTokens(b, model) ?? IMAGE_TOKENS;
    }
    case 'tool_use':
    case 'server_tool_use':
      return tokens(String(b.name ?? '') + JSON.stringify(b.input ?? {}));
    case 'tool_result': {
      const c = b.content;
      if (typeof c === 'string') return tokens(c);
      if (Array.isArray(c)) return c.reduce<number>((n, x) => n + (isObj(x) ? contentTokens(x, model) : 0), 0);
      return 0;
    }
    case 'thinking':
      return tokens(String(b.thinking ?? ''));
    case 'redacted_thinking':
      return tokens(String(b.data ?? ''));
    case 'compaction':
      return tokens(typeof b.content === 'string' ? b.content : '');
    default:
      return tokens(canonical(b));
  }
}

function ttlOf(cc: unknown): Ttl | undefined {
  if (!isObj(cc)) return undefined;
  return cc.ttl === '1h' ? '1h' : '5m';
}

/** The prompt as an ordered list of prefix elements (see the header comment). Input must be validated. */
export function prefixBlocks(body: Obj, model?: ForModel): PrefixBlock[] {
  const out: PrefixBlock[] = [];
  const tools = Array.isArray(body.tools) ? body.tools : [];
  tools.forEach((t, i) => {
    const tool = isObj(t) ? t : {};
    out.push({
      section: 'tools', path: `tools.${i}`, key: 'tool:' + canonical(tool),
      tokens: tokens(canonical(tool)) + BLOCK_OVERHEAD, breakpoint: ttlOf(tool.cache_control), cacheable: true,
    });
  });
  if (typeof body.system === 'string') {
    if (body.system !== '') {
      out.push({ section: 'system', path: 'system', key: 'system:' + canonical({ type: 'text', text: body.system }),
        tokens: tokens(body.system) + BLOCK_OVERHEAD, cacheable: true });
    }
  } else if (Array.isArray(body.system)) {
    body.system.forEach((b, i) => {
      const blk = isObj(b) ? b : {};
      out.push({ section: 'system', path: `system.${i}`, key: 'system:' + canonical(blk),
        tokens: contentTokens(blk) + BLOCK_OVERHEAD, breakpoint: ttlOf(blk.cache_control), cacheable: String(blk.text ?? '') !== '' });
    });
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  messages.forEach((m, mi) => {
    const msg = isObj(m) ? m : {};
    const role = String(msg.role);
    const blocks: Obj[] = typeof msg.content === 'string' ? [{ type: 'text', text: msg.content }]
      : Array.isArray(msg.content) ? msg.content.filter(isObj) : [];
    blocks.forEach((b, bi) => {
      const first = bi === 0;
      out.push({
        section: 'messages',
        path: typeof msg.content === 'string' ? `messages.${mi}.content` : `messages.${mi}.content.${bi}`,
        key: `${role}${first ? '^' : '+'}:` + canonical(b),
        tokens: contentTokens(b, model) + BLOCK_OVERHEAD + (first ? MESSAGE_OVERHEAD : 0),
        breakpoint: ttlOf(b.cache_control),
        cacheable: b.type !== 'thinking' && b.type !== 'redacted_thinking' && !(b.type === 'text' && !b.text),
      });
    });
  });
  return out;
}

export function countInputTokens(body: Obj): number {
  return prefixBlocks(body).reduce((n, b) => n + b.tokens, 0);
}

/** Output tokens of generated content blocks (API shape). */
export function outputTokens(blocks: readonly Obj[]): number {
  return blocks.reduce<number>((n, b) => n + contentTokens(b), 0);
}
