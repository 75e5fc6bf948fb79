// Forks: edit-and-resend and a rewind continue a conversation from an earlier turn as a new conversation, so the old
// branch stays whole in the history. The fork keeps the turns before the fork point with their checkpoints (and
// only the contents those need), the attached context, the model and system prompt, and the compactions that still
// have their turn.
import type { Conversation } from '../conversation';
import { newConversation } from '../conversation';
import { collect } from './checkpoints';

export function forkAt(conv: Conversation, turnIndex: number, label: 'edited' | 'rewound', now: number): Conversation {
  const fork = newConversation(now);
  const turns = structuredClone(conv.turns.slice(0, Math.max(0, turnIndex)));
  const ids = new Set(turns.map((t) => t.id));
  const base = conv.title.replace(/ \((edited|rewound)( \d+)?\)$/, '') || 'Chat';
  fork.title = `${base} (${label})`;
  fork.turns = turns;
  if (conv.model !== undefined) fork.model = conv.model;
  if (conv.systemPrompt !== undefined) fork.systemPrompt = conv.systemPrompt;
  if (conv.context) fork.context = structuredClone(conv.context);
  if (conv.contextStart !== undefined && conv.contextStart < turns.length) fork.contextStart = conv.contextStart;
  // A summary of exactly the turns before the fork point stays: it moves to the next turn sent (LongSession.anchor).
  const at = conv.turns[turnIndex];
  const compactions = (conv.compactions ?? []).filter((c) => ids.has(c.turnId) || (c.turnId === at?.id && c.blockIndex === 0));
  if (compactions.length) fork.compactions = structuredClone(compactions);
  if (conv.blobs) fork.blobs = { ...conv.blobs };
  collect(fork);
  fork.forkOf = { conversationId: conv.id, turnId: at?.id ?? '' };
  return fork;
}
