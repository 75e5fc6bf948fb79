// Server-side compaction: the API's on-demand compaction (`compaction: {type:"summarize"}`, beta compact-2026-09-04,
// spec-more §7.3). The request is the conversation up to the new boundary, laid out like every other request, so the
// API reads almost all of it from the prompt cache; the reply is one signed `compaction` block that later requests
// send first in `messages`. Threshold compaction (the compact_20260112 edit) is not used: it needs a trigger of at
// least 50,000 tokens and decides by itself where to cut; we decide before each request instead.
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicClient } from '../sdk';
import { COMPACTION_BETA, SessionParams } from './betas';

/** Which models take compaction (from /v1/models capabilities when it says, else this list; UNCONFIRMED). */
const KNOWN: RegExp[] = [
  /^claude-(fable|mythos)-5(-1)?(-\d{8})?$/,
  /^claude-mythos-preview/,
  /^claude-opus-5(-5)?(-\d{8})?$/,
  /^claude-opus-4-[678](-\d{8})?$/,
  /^claude-sonnet-(5|4-6)(-\d{8})?$/,
];

export function knownCompactionModel(model: string): boolean {
  return KNOWN.some((re) => re.test(model));
}

export interface ServerSummary {
  summary: string;
  encrypted: string | null;
  signature: string | null;
  /** The compaction's own usage (usage.iterations), as the API reported it. */
  apiUsage: Record<string, unknown>;
}

/** The final assistant text may not end in whitespace where a final assistant message counts as a prefill. */
function trimFinal(messages: MessageParam[]): MessageParam[] {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant' || typeof last.content === 'string') return messages;
  const content = [...last.content];
  for (let i = content.length - 1; i >= 0; i--) {
    const b = content[i];
    if (b.type !== 'text') continue;
    const text = b.text.trimEnd();
    if (text) content[i] = { ...b, text };
    else content.splice(i, 1);
    break;
  }
  return content.length > 0 ? [...messages.slice(0, -1), { ...last, content: content as ContentBlockParam[] }] : messages.slice(0, -1);
}

export async function compactOnServer(client: AnthropicClient, params: SessionParams, signal: AbortSignal): Promise<ServerSummary> {
  const { stream: _s, context_management: _c, betas, messages, ...rest } = params;
  const body = {
    ...rest,
    messages: trimFinal(messages),
    compaction: { type: 'summarize' as const },
    betas: [...new Set([...(betas ?? []), COMPACTION_BETA])],
  };
  const r = await client.beta.messages.create(body as never, { signal });
  const msg = r as unknown as { content: { type: string; content?: string | null; encrypted_content?: string | null; signature?: string | null }[]; usage: Record<string, unknown> };
  const block = msg.content.find((b) => b.type === 'compaction');
  if (!block || typeof block.content !== 'string' || !block.content.trim()) throw new Error('the API returned no summary');
  const iterations = Array.isArray(msg.usage.iterations) ? (msg.usage.iterations as Record<string, unknown>[]) : [];
  const own = iterations.find((i) => i.type === 'compaction') ?? msg.usage;
  return { summary: block.content, encrypted: block.encrypted_content ?? null, signature: block.signature ?? null, apiUsage: { ...own } };
}
