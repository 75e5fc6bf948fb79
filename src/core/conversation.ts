// The conversation as the user sees it (turns) and as the API needs it (alternating messages).
import type { MessageParam, ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { BlockView, CheckpointView, ContextKind, Effort, ToolChoiceMode, TurnOutcome, TurnView } from '../shared/protocol';
import type { Checkpoint, Compaction, ForkOrigin } from './session/types';
import { attachmentBlocks } from './attachments/blocks';
import { type Attachment, toAttachmentView } from './attachments/types';
import { serverBlockParam } from './web/blocks';

/**
 * A block as the engine keeps and stores it: what the chat shows (BlockView, written once in shared/protocol.ts)
 * plus what only the API needs.
 */
export interface Block extends Omit<BlockView, 'attachments'> {
  /** tool_result: images or PDFs read_file returned (sent inside the tool_result). */
  attachments?: Attachment[];
  /** Set once the API sent content_block_stop for it. Unfinished blocks are never sent back. */
  complete: boolean;
  signature?: string;
  data?: string;
  /** tool_use: the parsed input, set when the block completes. */
  input?: unknown;
  /** tool_result: cleared from the request to save context (core/session/contextEditing.ts). */
  cleared?: boolean;
  /** A server tool's result block exactly as the API sent it: it goes back unchanged (encrypted_content). */
  raw?: unknown;
}

/** A turn as the engine keeps and stores it: its view with engine blocks (and its checkpoint with contents). */
export interface Turn extends Omit<TurnView, 'blocks' | 'checkpoint' | 'attachments'> {
  blocks: Block[];
  checkpoint?: Checkpoint;
  /** Images and PDFs sent with the user's message, before its text. */
  attachments?: Attachment[];
}

/** A file or selection attached to the conversation as prompt-cached context. */
export interface ContextDoc {
  id: string;
  /** Workspace-relative path, with a line range for a selection ("src/a.ts:10-20"). */
  label: string;
  /** The document's URI, so it can be re-read when it changes and revealed on click. */
  uri?: string;
  languageId?: string;
  text: string;
  kind: ContextKind;
  /** 0-based line range of a selection. */
  range?: { startLine: number; endLine: number };
}

/** How a context document appears to the model: one text block each, in attach order (a stable prefix). */
export function contextBlockText(d: ContextDoc): string {
  // Snapshots of editor state (@problems, @terminal, @git) are not files: they say what they are.
  if (d.kind !== 'file' && d.kind !== 'selection') return `<context type="${d.kind}" source="${d.label.replace(/["<>\n]/g, "'")}">\n${d.text}\n</context>`;
  return `<document path="${d.label.replace(/"/g, "'")}">\n${d.text}\n</document>`;
}

/** A whole conversation as stored: its turns plus per-conversation overrides. */
export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Overrides claudeChat.model for this conversation. */
  model?: string;
  /** Overrides claudeChat.systemPrompt for this conversation. */
  systemPrompt?: string;
  /** Turns before this index are no longer sent (left out to fit the context window). */
  contextStart?: number;
  /** Attached files and selections, sent before the turns as cached blocks. */
  context?: ContextDoc[];
  /** output_config.effort for this conversation (none = the claudeChat.effort setting). */
  effort?: Effort;
  /** tool_choice for this conversation (none = auto). */
  toolChoice?: ToolChoiceMode;
  /** The web server tools for this conversation (none = the claudeChat.web.enabled setting). */
  webTools?: boolean;
  turns: Turn[];
  /** Summaries standing in for earlier turns in the request; the last one whose turn exists is in effect. */
  compactions?: Compaction[];
  /** Checkpoint contents by sha-256 (content-addressed, bounded: core/session/checkpointStore.ts). */
  blobs?: Record<string, string>;
  /** This conversation was forked from another (edit and resend, rewind). */
  forkOf?: ForkOrigin;
}

let convCounter = 0;
export function newConversation(now = Date.now()): Conversation {
  convCounter += 1;
  return { id: `c${now.toString(36)}${convCounter.toString(36)}${Math.random().toString(36).slice(2, 6)}`, title: '', createdAt: now, updatedAt: now, turns: [] };
}

// The view's fields, listed once: a field added to BlockView or TurnView does not compile until it is listed here,
// and the engine-only fields (signature, data, input, complete) can never reach the webview by accident.
const BLOCK_VIEW_FIELDS: Record<keyof BlockView, true> = {
  id: true, kind: true, text: true, toolName: true, toolId: true, isError: true, toolStatus: true, protectedReason: true, toolSource: true, untrusted: true,
  attachments: true, citations: true, sources: true, errorCode: true, webCitations: true,
};
const TURN_VIEW_FIELDS: Record<Exclude<keyof TurnView, 'blocks'>, true> = {
  id: true, userText: true, status: true, model: true, stopReason: true, stopSequence: true, error: true, usage: true, toolCapReached: true, ref: true, attachments: true,
  continues: true, rounds: true, cost: true, costPaused: true, checkpoint: true, effort: true, cache: true, command: true,
};

function pick<T>(source: object, fields: Record<string, true>): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(fields)) {
    const v = (source as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

export function toBlockView(b: Block): BlockView {
  const v = pick<BlockView>(b, BLOCK_VIEW_FIELDS);
  if (b.attachments) v.attachments = b.attachments.map(toAttachmentView); // the hash stays in the engine
  if (b.citations) v.citations = b.citations.map((c) => ({ ...c }));
  if (b.webCitations) v.webCitations = b.webCitations.map((c) => ({ ...c }));
  return v;
}

/** A checkpoint as the chat shows it: the paths only, never the contents. */
export function checkpointView(c: Checkpoint): CheckpointView {
  return { paths: c.files.map((f) => f.path), available: !c.pruned };
}

export function toTurnView(t: Turn): TurnView {
  const v = pick<Omit<TurnView, 'blocks'>>(t, TURN_VIEW_FIELDS);
  if (t.checkpoint) v.checkpoint = checkpointView(t.checkpoint);
  if (t.attachments) v.attachments = t.attachments.map(toAttachmentView);
  return { ...v, blocks: t.blocks.map(toBlockView) };
}

const OUTCOME_FIELDS: Record<keyof TurnOutcome, true> = {
  status: true, stopReason: true, stopSequence: true, error: true, usage: true, toolCapReached: true, rounds: true, cost: true, costPaused: true, checkpoint: true, cache: true,
};

/** How the turn ended, for the `turnEnd` event. */
export function outcomeOf(t: Turn): TurnOutcome {
  if (t.status === 'streaming') throw new Error(`turn ${t.id} has not ended`);
  const o = pick<TurnOutcome>(t, OUTCOME_FIELDS);
  if (t.checkpoint) o.checkpoint = checkpointView(t.checkpoint);
  return o;
}

function assistantBlock(b: Block, answered: Set<string>): ContentBlockParam | undefined {
  switch (b.kind) {
    case 'text':
      // Partial text of a stopped reply is kept; empty text blocks are rejected by the API.
      return b.text.trim() ? { type: 'text', text: b.text } : undefined;
    case 'thinking':
      // Thinking goes back unmodified and only with its signature.
      return b.complete && b.signature ? { type: 'thinking', thinking: b.text, signature: b.signature } : undefined;
    case 'redacted_thinking':
      return b.complete && b.data ? { type: 'redacted_thinking', data: b.data } : undefined;
    case 'tool_use':
      // A tool call goes back only with its answer; an unanswered one would make the request invalid.
      return b.complete && b.toolId && answered.has(b.toolId)
        ? { type: 'tool_use', id: b.toolId, name: b.toolName ?? '', input: (b.input ?? {}) as Record<string, unknown> }
        : undefined;
    case 'tool_result':
      return undefined;
    default:
      return serverBlockParam(b, answered);
  }
}

/**
 * A turn as API messages: the user text, then rounds of assistant blocks, each tool round answered by a user
 * message of tool_result blocks. Only pairs that are complete on both sides are kept.
 */
function turnMessages(turn: Turn): { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] {
  const called = new Set(turn.blocks.filter((b) => b.kind === 'tool_use' && b.complete && b.toolId).map((b) => b.toolId!));
  const answered = new Set(turn.blocks.filter((b) => b.kind === 'tool_result' && b.toolId && called.has(b.toolId)).map((b) => b.toolId!));
  // Attachments lead the user's message, like attached context, so the turn's cache breakpoint covers them.
  const text: ContentBlockParam[] = turn.userText || !turn.attachments?.length ? [{ type: 'text', text: turn.userText }] : [];
  const out: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [{ role: 'user', content: [...attachmentBlocks(turn.attachments), ...text] }];
  // A server tool call goes back with its result, or, while the turn is still running (a paused turn continued,
  // or a client tool answered in the same round), pending: the API runs it first (spec-more §6.6).
  for (const b of turn.blocks) if (b.raw !== undefined && b.kind !== 'server_tool_use' && b.toolId) answered.add(b.toolId);
  if (turn.status === 'streaming') for (const b of turn.blocks) if (b.kind === 'server_tool_use' && b.complete && b.toolId) answered.add(b.toolId);
  for (const b of turn.blocks) {
    const role = b.kind === 'tool_result' ? 'user' : 'assistant';
    let block: ContentBlockParam | undefined;
    if (b.kind === 'tool_result') {
      if (b.toolId && answered.has(b.toolId)) {
        const content = b.attachments?.length ? [...(b.text ? [{ type: 'text' as const, text: b.text }] : []), ...attachmentBlocks(b.attachments)] : b.text;
        block = { type: 'tool_result', tool_use_id: b.toolId, content, ...(b.isError ? { is_error: true } : {}) };
      }
    } else block = assistantBlock(b, answered);
    if (!block) continue;
    const last = out[out.length - 1];
    if (last.role === role) last.content.push(block);
    else out.push({ role, content: [block] });
  }
  // An assistant round of thinking alone (no text, no tool call) is not a useful turn.
  return out.filter((m) => m.role === 'user' || m.content.some((b) => b.type !== 'thinking' && b.type !== 'redacted_thinking'));
}

/**
 * Builds alternating user/assistant messages. Consecutive same-role content is merged into one message, with
 * tool_result blocks first in a user message, as the API requires.
 */
export function toApiMessages(turns: readonly Turn[], nextUserText?: string, context: readonly ContextDoc[] = []): MessageParam[] {
  const messages: MessageParam[] = [];
  // Attached documents lead the first user message, one block each, so adding one keeps the earlier prefix.
  if (context.length > 0) messages.push({ role: 'user', content: context.map((d) => ({ type: 'text', text: contextBlockText(d) })) });
  const push = (role: 'user' | 'assistant', content: ContentBlockParam[]) => {
    if (content.length === 0) return;
    const last = messages[messages.length - 1];
    if (last && last.role === role) {
      const merged = [...(last.content as ContentBlockParam[]), ...content];
      last.content = [...merged.filter((b) => b.type === 'tool_result'), ...merged.filter((b) => b.type !== 'tool_result')];
    } else messages.push({ role, content: [...content] });
  };
  for (const t of turns) for (const m of turnMessages(t)) push(m.role, m.content);
  if (nextUserText !== undefined) push('user', [{ type: 'text', text: nextUserText }]);
  return messages;
}
