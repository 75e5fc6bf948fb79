// Turns a scripted text/message reply into the concrete assistant message for one request: ids and
// signatures filled in, `thinking.display: "omitted"` applied, content cut at a requested stop sequence or at
// max_tokens (when the script did not fix the stop reason), output tokens counted.
import { base62 } from './http';
import type { MessageReply, ReplyBlock, StopReason, StreamFault, TextReply, WebCitation } from './replies';
import { citationsOut, planServerTools, serverOutBlock, type ServerContext, type ServerUsage } from './serverTools';
import type { ThinkingSigner } from './signatures';
import { CHARS_PER_TOKEN, outputTokens } from './tokenizer';

type ServerBlock = { type: 'server_tool_use' | 'web_search_tool_result' | 'web_fetch_tool_result' } & Record<string, unknown>;
export type OutBlock =
  | { type: 'text'; text: string; citations: Record<string, unknown>[] | null }
  | ServerBlock
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'compaction'; content: string; encrypted_content: string; signature: string };

export interface PlannedMessage {
  id: string;
  model: string;
  content: OutBlock[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  stop_details: null | { type: 'refusal'; category: string | null; explanation: string | null };
  output_tokens: number;
  chunkSize: number;
  delayMs: number;
  fault?: StreamFault;
  /** thinking.display was "omitted": stream no thinking_delta, only the signature. */
  omitThinking: boolean;
  /** Context management (contextManagement.ts): usage.iterations, the top-level usage when compaction replaced it, applied edits. */
  iterations?: Record<string, unknown>[];
  topUsage?: import('./cache').CacheUsage;
  contextManagement?: { applied_edits: unknown[] };
  /** usage.server_tool_use, when the request offered server tools. */
  serverToolUse: ServerUsage | null;
  /** Why the script cannot be served (the fake answers with a script error). */
  problem?: string;
  /** Message.diagnostics (cache diagnostics), set by the handler when the request asked for them. */
  diagnostics?: Record<string, unknown> | null;
}

export interface PlanRequest {
  model: string;
  max_tokens: number;
  stop_sequences?: unknown;
  thinking?: unknown;
  /** The request's server tools and messages, when it offered any or continues a paused turn. */
  server?: ServerContext;
}

export function messageId(): string {
  return 'msg_01' + base62(22);
}

export function toolUseId(): string {
  return 'toolu_01' + base62(22);
}

/** Cut `blocks` at the earliest requested stop sequence inside a text block. */
function applyStopSequences(blocks: ReplyBlock[], seqs: string[]): { blocks: ReplyBlock[]; matched?: string } {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.type !== 'text') continue;
    let best: { at: number; seq: string } | undefined;
    for (const s of seqs) {
      const at = b.text.indexOf(s);
      if (at >= 0 && (!best || at < best.at)) best = { at, seq: s };
    }
    if (best) {
      const cut = blocks.slice(0, i);
      if (best.at > 0) cut.push({ type: 'text', text: b.text.slice(0, best.at) });
      return { blocks: cut, matched: best.seq };
    }
  }
  return { blocks };
}

/** Cut `blocks` so their output tokens fit in `budget`; returns whether anything was cut. */
function applyMaxTokens(blocks: ReplyBlock[], budget: number): { blocks: ReplyBlock[]; cut: boolean } {
  const out: ReplyBlock[] = [];
  let left = budget;
  for (const b of blocks) {
    const need = b.type.endsWith('_tool_result') ? 0 : outputTokens([b as unknown as Record<string, unknown>]);
    if (need <= left) {
      out.push(b);
      left -= need;
      continue;
    }
    const chars = left * CHARS_PER_TOKEN;
    if (b.type === 'text' && chars > 0) out.push({ type: 'text', text: b.text.slice(0, chars) });
    if (b.type === 'thinking' && chars > 0) out.push({ type: 'thinking', thinking: b.thinking.slice(0, chars) });
    return { blocks: out, cut: true };
  }
  return { blocks: out, cut: false };
}

export function planMessage(r: TextReply | MessageReply, req: PlanRequest, signer: ThinkingSigner): PlannedMessage {
  let blocks: ReplyBlock[] = r.kind === 'text' ? [{ type: 'text', text: r.text }] : r.blocks.map((b) => ({ ...b }));
  let serverToolUse: ServerUsage | null = null;
  let problem: string | undefined;
  let paused = false;
  if (req.server) {
    const sp = planServerTools(blocks, req.server);
    ({ blocks, problem } = sp);
    serverToolUse = sp.usage;
    paused = sp.pause;
  } else if (blocks.some((b) => b.type === 'server_tool_use')) problem = 'the scripted reply calls a server tool the request does not offer';
  let stop: StopReason | undefined = r.stopReason ?? (paused ? 'pause_turn' : undefined);
  let stopSeq: string | null = r.stopSequence ?? null;
  if (!stop) {
    const seqs = Array.isArray(req.stop_sequences) ? req.stop_sequences.filter((s): s is string => typeof s === 'string' && s !== '') : [];
    const s = applyStopSequences(blocks, seqs);
    if (s.matched !== undefined) {
      blocks = s.blocks;
      stop = 'stop_sequence';
      stopSeq = s.matched;
    }
    const m = applyMaxTokens(blocks, req.max_tokens);
    if (m.cut) {
      blocks = m.blocks;
      stop = 'max_tokens';
      stopSeq = null;
    }
    stop ??= blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  }
  const omit = isObj(req.thinking) && req.thinking.display === 'omitted';
  // Counted before display "omitted" hides the thinking text: hidden thinking is still generated and billed. Server
  // tool results are the server's, not generated output.
  const outTokens = outputTokens(blocks.filter((b) => !b.type.endsWith('_tool_result')) as unknown as Record<string, unknown>[]);
  const content: OutBlock[] = blocks.map((b): OutBlock => {
    switch (b.type) {
      case 'text':
        return { type: 'text', text: b.text, citations: textCitations(b.citations) };
      case 'server_tool_use':
      case 'web_search_tool_result':
      case 'web_fetch_tool_result':
        return serverOutBlock(b) as ServerBlock;
      case 'thinking': {
        const visible = omit ? '' : b.thinking;
        if (b.signature) signer.remember(b.signature, visible);
        return { type: 'thinking', thinking: visible, signature: b.signature ?? signer.sign(visible) };
      }
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: signer.redacted(b.data) };
      case 'tool_use':
        return { type: 'tool_use', id: b.id ?? toolUseId(), name: b.name, input: b.input };
    }
  });
  return {
    id: messageId(),
    model: req.model,
    content,
    stop_reason: stop,
    stop_sequence: stop === 'stop_sequence' ? stopSeq : null,
    stop_details: stop === 'refusal' ? { type: 'refusal', category: r.refusal?.category ?? null, explanation: r.refusal?.explanation ?? null } : null,
    output_tokens: outTokens,
    chunkSize: r.chunkSize ?? 8,
    delayMs: r.delayMs ?? 0,
    fault: r.fault,
    omitThinking: omit,
    serverToolUse,
    problem,
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helper for the default reply: the text of the last user message. */
export function lastUserText(messages: unknown): string {
  const list = Array.isArray(messages) ? messages : [];
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (!isObj(m) || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((b) => (isObj(b) && b.type === 'text' ? String(b.text) : '')).join('');
    return '';
  }
  return '';
}

/** A scripted text block's citations as the API sends them: raw document citations as given, web ones sealed. */
function textCitations(list: readonly (Record<string, unknown> | WebCitation)[] | undefined): Record<string, unknown>[] | null {
  if (!list?.length) return null;
  return list.map((c) => (typeof (c as Record<string, unknown>).type === 'string' ? { file_id: null, ...c } : citationsOut([c as WebCitation])![0]));
}
