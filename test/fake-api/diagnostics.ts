// Cache diagnostics (SDK 1.12, GA since 0.129): a request may send `diagnostics: {previous_message_id}` and the
// message then carries `diagnostics: {cache_miss_reason}` saying why the prompt cache could not reuse the named
// request's prefix, or `diagnostics: null` when nothing diverged (or the request did not ask). The fake keeps a
// fingerprint of each answered request (hashes, not text) and compares in the order the SDK documents:
// model_changed, system_changed, tools_changed, messages_changed (an earlier message differs, not only appended
// ones), unavailable (same model/system/tools/messages but other prompt parameters such as thinking or tool_choice
// differ), previous_message_not_found. Not covered by the reference: the docs page itself; these reasons and their
// fields are the SDK's types.
import { createHash } from 'node:crypto';
import { canonical } from './tokenizer';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const hash = (v: unknown) => createHash('sha256').update(canonical(v ?? null)).digest('hex');

interface Fingerprint {
  model: string;
  system: string;
  tools: string;
  /** Per message, the hash of each content block (a string content is one block). */
  messages: string[][];
  params: string;
  /** Tokens the request read from or wrote to the cache: what a later request could have read. */
  cachedTokens: number;
}

const MAX_REMEMBERED = 1000;

export class CacheDiagnostics {
  private readonly seen = new Map<string, Fingerprint>();

  clear(): void {
    this.seen.clear();
  }

  private fingerprint(body: Obj, cachedTokens: number): Fingerprint {
    return {
      model: String(body.model),
      system: hash(body.system),
      tools: hash(body.tools),
      messages: (Array.isArray(body.messages) ? body.messages : []).map((m) => {
        const c = isObj(m) ? m.content : undefined;
        const blocks = Array.isArray(c) ? c : [{ type: 'text', text: c }];
        return [hash(isObj(m) ? m.role : ''), ...blocks.map(hash)];
      }),
      params: hash({ thinking: body.thinking ?? null, tool_choice: body.tool_choice ?? null, output_config: body.output_config ?? null }),
      cachedTokens,
    };
  }

  /** The `diagnostics` field of the response to `body` (answered as message `id`), and remembers it. */
  diagnose(id: string, body: Obj, cachedTokens: number): Obj | null {
    const now = this.fingerprint(body, cachedTokens);
    this.seen.set(id, now);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    const d = body.diagnostics;
    if (!isObj(d) || typeof d.previous_message_id !== 'string') return null;
    const prev = this.seen.get(d.previous_message_id);
    if (!prev) return { cache_miss_reason: { type: 'previous_message_not_found' } };
    const missed = { cache_missed_input_tokens: prev.cachedTokens };
    if (prev.model !== now.model) return { cache_miss_reason: { type: 'model_changed', ...missed } };
    if (prev.system !== now.system) return { cache_miss_reason: { type: 'system_changed', ...missed } };
    if (prev.tools !== now.tools) return { cache_miss_reason: { type: 'tools_changed', ...missed } };
    // The previous request's messages must be a prefix of this one's; its last message may only have grown (a paused
    // turn continued with more blocks), not changed.
    const last = prev.messages.length - 1;
    const same = prev.messages.every((blocks, i) => {
      const cur = now.messages[i];
      if (!cur) return false;
      return i < last ? cur.length === blocks.length && blocks.every((h, k) => cur[k] === h) : blocks.every((h, k) => cur[k] === h);
    });
    if (!same) return { cache_miss_reason: { type: 'messages_changed', ...missed } };
    if (prev.params !== now.params) return { cache_miss_reason: { type: 'unavailable' } };
    return null;
  }
}
