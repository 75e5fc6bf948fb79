// The request of a long session: the turns after the compaction in effect, its summary in their place, cleared tool
// results as placeholders (or the API's clearing edit), and the size of each part for the meter.
//
// Layout, so the cached prefix survives a compaction:
//   tools, system                                   (cache slot 1)
//   user: [attached documents…]                     (cache slot 2, unchanged by a compaction)
//         [<conversation-summary>…]                 (client summary: a text block right after the documents)
//         [first kept user message…]
//   …kept turns…
// With a server compaction block, the API ignores everything before the block, so it must come first; the attached
// documents then go after the system prompt (system accepts text blocks), so they stay cached across compactions:
//   tools, system, [attached documents…]            (cache slot 1)
//   assistant: [compaction]  user: [first kept user message]  …
import type { ContentBlockParam, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { attachmentData } from '../attachments/blocks';
import { attachmentsOf } from '../attachments/service';
import { roughTokens } from '../cacheMinimum';
import { contextBlockText, Conversation, toApiMessages, Turn } from '../conversation';
import type { RequestSettings } from '../ports';
import { estimateTokens } from '../tokens';
import { paramsFromMessages } from '../requestParams';
import { COMPACTION_BETA, CONTEXT_MANAGEMENT_BETA, SessionParams } from './betas';
import { EditingMode, serverClearEdit, withClearedResults } from './contextEditing';
import type { SessionSettings } from './settings';
import type { Compaction } from './types';

export interface Parts {
  system: number;
  context: number;
  history: number;
  tools: number;
}

export interface Built {
  params: SessionParams;
  /** Rough tokens (characters / 4 of the JSON) of each part and in all. */
  parts: Parts;
  rough: number;
}

export interface BuildOptions {
  session: SessionSettings;
  editing: EditingMode;
  /** The model takes compaction blocks (server-side compaction is on for it). */
  serverBlocks: boolean;
  toolDefs?: Tool[];
  /** A message not in the conversation yet (the draft, for the estimate). */
  nextUserText?: string;
  /** The draft as a turn, when it carries attachments (instead of nextUserText). */
  draftTurn?: Turn;
  /** Only the turns before this index (the part a compaction request summarizes). */
  endTurn?: number;
}

/** The compaction in effect: the newest one whose turn is still in the conversation. */
export function activeCompaction(conv: Conversation): { compaction: Compaction; index: number } | undefined {
  const list = conv.compactions ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const index = conv.turns.findIndex((t) => t.id === list[i].turnId);
    if (index >= 0 && list[i].blockIndex <= conv.turns[index].blocks.length) return { compaction: list[i], index };
  }
  return undefined;
}

/** The summary as the model reads it. */
export function summaryText(c: Compaction): string {
  return `<conversation-summary>\nThe earlier part of this conversation (${c.turns} ${c.turns === 1 ? 'turn' : 'turns'}) was summarized to save context:\n\n${c.summary.trim()}\n</conversation-summary>`;
}

/** A turn whose first rounds are in the summary: its user message says so, its blocks start at `from`. */
export function partialTurn(t: Turn, from: number): Turn {
  return { ...t, userText: `(The user's current request; its first tool rounds are in the summary above.)\n\n${t.userText}`, blocks: t.blocks.slice(from) };
}

/** The turns a request sends: after the compaction in effect (and the old contextStart), with clearing applied. */
export function sentTurns(conv: Conversation, editing: EditingMode, endTurn?: number): { turns: Turn[]; compaction?: Compaction } {
  const active = activeCompaction(conv);
  const start = Math.max(conv.contextStart ?? 0, active?.index ?? 0);
  const turns = conv.turns.slice(start, endTurn ?? conv.turns.length);
  const c = active && active.index >= (conv.contextStart ?? 0) ? active.compaction : undefined;
  if (c && c.blockIndex > 0 && turns[0]?.id === c.turnId) turns[0] = partialTurn(turns[0], c.blockIndex);
  return { turns: editing === 'client' ? turns.map(withClearedResults) : turns, compaction: c };
}

export function buildRequest(conv: Conversation, s: RequestSettings, o: BuildOptions): Built {
  const { turns, compaction: c } = sentTurns(conv, o.editing, o.endTurn);
  if (o.draftTurn) turns.push(o.draftTurn);
  const context = conv.context ?? [];
  const docs: TextBlockParam[] = context.map((d) => ({ type: 'text', text: contextBlockText(d) }));
  const serverBlock = c && o.serverBlocks && c.block && c.block.model === s.model && c.blockIndex === 0 ? c.block : undefined;
  // Once compacted, a model that takes compaction blocks keeps the documents in system whichever kind of summary is
  // in effect (a cut between tool rounds is summarized on our side), so the prefix does not flip between layouts.
  const docsInSystem = !!c && o.serverBlocks;
  const messages = toApiMessages(turns, o.nextUserText, docsInSystem ? [] : context);
  const contextEnd = context.length > 0 && !docsInSystem ? { message: 0, block: context.length - 1 } : undefined;
  const betas = new Set<string>();
  if (c && serverBlock && messages.length > 0) {
    const block = { type: 'compaction', content: c.summary, encrypted_content: serverBlock.encrypted, signature: serverBlock.signature };
    messages.unshift({ role: 'assistant', content: [block as unknown as ContentBlockParam] });
    betas.add(COMPACTION_BETA);
  } else if (c && messages.length > 0) {
    (messages[0].content as ContentBlockParam[]).splice(docsInSystem ? 0 : context.length, 0, { type: 'text', text: summaryText(c) });
  }
  const params: SessionParams = paramsFromMessages(messages, contextEnd, s, o.toolDefs, docsInSystem ? docs : []);
  if (o.editing === 'server' && hasClearable(messages, o.session)) {
    params.context_management = { edits: [serverClearEdit(messages, turns, o.session, (o.toolDefs ?? []).map((t) => t.name))] };
    betas.add(CONTEXT_MANAGEMENT_BETA);
  }
  if (betas.size > 0) params.betas = [...betas];
  // With the API's clearing, the request carries every result but the model sees placeholders: measure that.
  const seen = o.editing === 'server' ? buildRequest(conv, s, { ...o, editing: 'client' }) : undefined;
  return { params, ...(seen ? { parts: seen.parts, rough: seen.rough } : measure(params, roughTokens(docs), docsInSystem, contentTokens(turns))) };
}

function hasClearable(messages: readonly MessageParam[], s: SessionSettings): boolean {
  const tools = new Set(s.clearTools);
  return messages.some((m) => typeof m.content !== 'string' && m.content.some((b) => b.type === 'tool_use' && tools.has(b.name)));
}

/** Tokens of a base64 image or PDF the turns do not know (e.g. a block of an older version): a mid-size image or page. */
const UNKNOWN_MEDIA_TOKENS = 2000;

/**
 * Rough tokens of request content: characters / 4 of its JSON, except that a base64 image or PDF counts by its
 * attachment's own estimate (core/attachments/tokens.ts): its base64 is millions of characters but far fewer tokens.
 */
export function contentTokens(turns: readonly Turn[]): (value: unknown) => number {
  const known = new Map<string, number>();
  for (const a of attachmentsOf(turns)) {
    const data = attachmentData(a);
    if (data !== undefined) known.set(data, a.tokens);
  }
  return (value) => {
    let media = 0;
    const json = JSON.stringify(value ?? '', (k, v: unknown) => {
      if (k !== 'source' || typeof v !== 'object' || v === null || (v as { type?: unknown }).type !== 'base64') return v;
      const data = (v as { data?: unknown }).data;
      media += typeof data === 'string' ? known.get(data) ?? UNKNOWN_MEDIA_TOKENS : 0;
      return { ...v, data: '' };
    });
    return estimateTokens(json) + media;
  };
}

/** Rough tokens of each part of the request, for the meter and the projections (scaled by the caller). */
function measure(params: SessionParams, context: number, docsInSystem: boolean, tokensOf: (value: unknown) => number): { parts: Parts; rough: number } {
  const head = roughTokens(params.system ?? []) + roughTokens(params.tools ?? []);
  let tools = 0;
  for (const m of params.messages) if (typeof m.content !== 'string') for (const b of m.content) if (b.type === 'tool_result') tools += tokensOf(b);
  const all = tokensOf(params.messages);
  const system = docsInSystem ? Math.max(0, head - context) : head;
  const history = Math.max(0, all - (docsInSystem ? 0 : context) - tools);
  return { parts: { system, context, history, tools }, rough: head + all };
}

/**
 * The same request as POST /v1/messages/count_tokens takes it (no stream, max_tokens or stop sequences). Server tools
 * are left out: count_tokens rejects them (spec-more §6.5), as in requestParams.buildCountParams.
 */
export function countParamsOf(params: SessionParams): Omit<SessionParams, 'stream' | 'max_tokens' | 'stop_sequences'> {
  const { stream: _s, max_tokens: _m, stop_sequences: _x, ...p } = params;
  const tools = p.tools?.filter((t) => !('type' in t) || t.type === undefined || t.type === 'custom');
  if (tools?.length) p.tools = tools;
  else {
    delete p.tools;
    delete p.tool_choice;
  }
  return p;
}
