// The conversation as the user sees it (turns) and as the API needs it (alternating messages).
import type { MessageParam, ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { BlockKind, ErrorView, TurnStatus, TurnView, UsageView } from '../shared/protocol';

export interface Block {
  id: string;
  kind: BlockKind;
  text: string;
  /** Set once the API sent content_block_stop for it. Unfinished blocks are never sent back. */
  complete: boolean;
  signature?: string;
  data?: string;
  toolId?: string;
  toolName?: string;
}

export interface Turn {
  id: string;
  userText: string;
  blocks: Block[];
  status: TurnStatus;
  model: string;
  stopReason?: string | null;
  stopSequence?: string | null;
  error?: ErrorView;
  usage?: UsageView;
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
  turns: Turn[];
}

let convCounter = 0;
export function newConversation(now = Date.now()): Conversation {
  convCounter += 1;
  return { id: `c${now.toString(36)}${convCounter.toString(36)}${Math.random().toString(36).slice(2, 6)}`, title: '', createdAt: now, updatedAt: now, turns: [] };
}

export function toTurnView(t: Turn): TurnView {
  return {
    id: t.id,
    userText: t.userText,
    status: t.status,
    model: t.model,
    stopReason: t.stopReason,
    stopSequence: t.stopSequence,
    error: t.error,
    usage: t.usage,
    blocks: t.blocks.map((b) => ({ id: b.id, kind: b.kind, text: b.text, toolName: b.toolName })),
  };
}

/** The assistant blocks of a turn that the API will accept back in history. */
function assistantContent(turn: Turn): ContentBlockParam[] {
  const out: ContentBlockParam[] = [];
  for (const b of turn.blocks) {
    switch (b.kind) {
      case 'text':
        // Partial text of a stopped reply is kept; empty text blocks are rejected by the API.
        if (b.text.trim()) out.push({ type: 'text', text: b.text });
        break;
      case 'thinking':
        // Thinking goes back unmodified and only with its signature.
        if (b.complete && b.signature) out.push({ type: 'thinking', thinking: b.text, signature: b.signature });
        break;
      case 'redacted_thinking':
        if (b.complete && b.data) out.push({ type: 'redacted_thinking', data: b.data });
        break;
      case 'tool_use':
        // A tool call needs a tool_result in the next user turn; the tool loop owns those. A plain chat
        // turn drops them so the history stays valid.
        break;
    }
  }
  // Thinking alone (no text after it) is not a useful assistant turn.
  return out.some((b) => b.type === 'text') ? out : [];
}

/** Builds alternating user/assistant messages; consecutive same-role content is merged into one message. */
export function toApiMessages(turns: readonly Turn[], nextUserText?: string): MessageParam[] {
  const messages: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlockParam[]) => {
    if (content.length === 0) return;
    const last = messages[messages.length - 1];
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...content);
    else messages.push({ role, content: [...content] });
  };
  for (const t of turns) {
    push('user', [{ type: 'text', text: t.userText }]);
    push('assistant', assistantContent(t));
  }
  if (nextUserText !== undefined) push('user', [{ type: 'text', text: nextUserText }]);
  return messages;
}
