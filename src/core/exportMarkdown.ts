// A conversation as a Markdown document. Contains only what the user sees: never a key or other secret.
import type { Conversation } from './conversation';
import { redact } from './redact';
import { type Attachment, LABELS } from './attachments/types';
import { pathToFileURL } from 'node:url';

/** Where an attachment's stored copy is (a file path), to link it. */
export type AttachmentPath = (a: Attachment) => string;

/** One line per attachment: its name linked to its stored copy, what it is, and its size. */
function attachmentLines(atts: readonly Attachment[] | undefined, pathOf: AttachmentPath | undefined): string[] {
  if (!atts?.length) return [];
  const lines = atts.map((a) => {
    const what = [LABELS[a.mediaType], a.width && a.height ? `${a.width}×${a.height}` : '', a.pages ? `${a.pages} page${a.pages === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    const name = a.name.replace(/[[\]\\]/g, '\\$&');
    let link = '';
    try {
      link = pathOf ? pathToFileURL(pathOf(a)).href : '';
    } catch {
      link = '';
    }
    return `- 📎 ${link ? `[${name}](<${link}>)` : name} (${what})`;
  });
  return [...lines, ''];
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

export function toMarkdown(c: Conversation, attachmentPath?: AttachmentPath): string {
  const out: string[] = [`# ${c.title || 'Claude chat'}`, '', `*Exported ${new Date(c.updatedAt).toISOString()}${c.model ? ` · ${c.model}` : ''}*`, ''];
  const compactions = new Map((c.compactions ?? []).map((k) => [k.turnId, k]));
  for (const t of c.turns) {
    const k = compactions.get(t.id);
    if (k) out.push('---', '', `*Compacted here: the requests from here on sent this summary instead of the ${k.turns} earlier ${k.turns === 1 ? 'turn' : 'turns'}.*`, '', '<details><summary>Summary</summary>', '', k.summary, '', '</details>', '', '---', '');
    // A continuation (after max_tokens) is part of the reply before it: its instruction is not shown.
    if (t.continues === undefined) out.push('## You', '', ...attachmentLines(t.attachments, attachmentPath), t.userText, '', `## Claude${t.model ? ` (${t.model})` : ''}`, '');
    for (const b of t.blocks) {
      if (b.kind === 'text') out.push(b.text, '');
      else if (b.kind === 'thinking') out.push('<details><summary>Thinking</summary>', '', b.text, '', '</details>', '');
      else if (b.kind === 'tool_use') out.push(`**Tool call:** \`${b.toolName ?? 'tool'}\``, '', fence(JSON.stringify(b.input ?? {}, null, 2), 'json'), '');
      else if (b.kind === 'tool_result') out.push(b.isError ? '**Tool error:**' : '**Tool result:**', '', fence(b.text), '', ...attachmentLines(b.attachments, attachmentPath));
    }
    if (t.status === 'stopped') out.push('*(stopped: the reply is incomplete)*', '');
    if (t.status === 'error' && t.error) out.push(`*(error: ${t.error.message})*`, '');
  }
  return redact(out.join('\n'), { headerValues: false }); // errors saved before redaction existed, or a key pasted into the chat
}
