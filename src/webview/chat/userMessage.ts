// How a sent user message looks: its markdown rendered by the same sanitizing renderer as replies, with each
// @-mention as a pill; or, for a slash command, a compact card (the command and what it is about) with the prompt
// it sent folded away. One small module so that the other parts of the user message (editing and resending a
// message) can be added here next to it.
import { codeRanges, parseMentions } from '../../shared/mentions';
import type { AttachmentView, TurnView } from '../../shared/protocol';
import { el, icon } from '../common/dom';
import { MessageRenderer, type RenderHooks } from './render';
import { pillFor } from './mentionPills';

export interface UserMessageHooks {
  onRevealRef(turnId: string): void;
  render: RenderHooks;
  /** The row of images and PDFs sent with the message. */
  attachments?(list: AttachmentView[]): HTMLElement;
}

/** Characters of the Unicode private use area: markdown leaves them alone, so they mark where pills go. */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARK = /\uE000(\d+)\uE001/g;

/** A typed line break stays a line break (markdown would join the lines), except inside code. */
export function hardBreaks(text: string): string {
  let out = '';
  let at = 0;
  const prose = (s: string) => s.replace(/([^\n])\n(?=[^\n])/g, '$1  \n');
  for (const [start, end] of codeRanges(text)) {
    out += prose(text.slice(at, start)) + text.slice(start, end);
    at = end;
  }
  return out + prose(text.slice(at));
}

/** Renders `text` as markdown into `into`, with its @-mentions as pills (as plain text inside code). */
export function renderWithPills(into: HTMLElement, text: string, hooks: RenderHooks): void {
  const clean = hardBreaks(text.replace(/[\uE000\uE001]/g, ''));
  const mentions = parseMentions(clean);
  let marked = '';
  let at = 0;
  mentions.forEach((m, i) => {
    marked += `${clean.slice(at, m.start)}${OPEN}${i}${CLOSE}`;
    at = m.end;
  });
  marked += clean.slice(at);
  const renderer = new MessageRenderer(into, hooks);
  renderer.setText(marked);
  renderer.dispose();
  if (mentions.length === 0) return;
  const walker = into.ownerDocument.createTreeWalker(into, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeValue?.includes(OPEN)) found.push(n as Text);
  for (const node of found) {
    const inCode = !!node.parentElement?.closest('code, pre');
    const parts: Node[] = [];
    let last = 0;
    const value = node.nodeValue ?? '';
    for (const m of value.matchAll(MARK)) {
      const mention = mentions[Number(m[1])];
      if (m.index! > last) parts.push(into.ownerDocument.createTextNode(value.slice(last, m.index)));
      const token = mention ? clean.slice(mention.start, mention.end) : '';
      parts.push(mention && !inCode ? pillFor(mention, token) : into.ownerDocument.createTextNode(token));
      last = m.index! + m[0].length;
    }
    if (last < value.length) parts.push(into.ownerDocument.createTextNode(value.slice(last)));
    node.replaceWith(...parts);
  }
}

function refChip(view: TurnView, hooks: UserMessageHooks): HTMLElement | undefined {
  const r = view.ref;
  if (!r) return undefined;
  const name = r.label.split('/').pop() ?? r.label;
  const lines = r.startLine === r.endLine ? `line ${r.startLine + 1}` : `lines ${r.startLine + 1}–${r.endLine + 1}`;
  const chip = el('button', { type: 'button', class: 'ref-chip', title: `Show ${r.label}, ${lines}` }, icon('file-code'), el('span', {}, `${name} · ${lines}`));
  chip.addEventListener('click', () => hooks.onRevealRef(view.id));
  return chip;
}

function commandCard(view: TurnView, hooks: UserMessageHooks): HTMLElement {
  const c = view.command!;
  const head = el('div', { class: 'command-head' }, icon('terminal-cmd'), el('span', { class: 'command-name' }, `/${c.name}`));
  if (c.args) {
    const args = el('span', { class: 'command-args' });
    renderWithPills(args, c.args, hooks.render);
    head.append(args);
  }
  const card = el('div', { class: 'command-card' }, head);
  const chip = refChip(view, hooks);
  if (chip) card.append(chip);
  if (c.model) card.append(el('div', { class: 'command-model' }, `Model asked by the prompt file: ${c.model}`));
  const prompt = el('details', { class: 'command-prompt' }, el('summary', {}, 'Prompt sent'));
  const body = el('div', { class: 'user-text' });
  // The prompt may come from a repository file: rendered (sanitized) as markdown, without pills.
  const renderer = new MessageRenderer(body, hooks.render);
  renderer.setText(view.userText);
  renderer.dispose();
  prompt.append(body);
  card.append(prompt);
  return card;
}

/** The "You" part of a turn. */
export function renderUserMessage(view: TurnView, hooks: UserMessageHooks): HTMLElement {
  const user = el('div', { class: 'msg user', 'aria-label': 'You said' });
  user.append(el('div', { class: 'who' }, icon('account'), el('span', {}, 'You')));
  const sent = view.attachments?.length && hooks.attachments ? hooks.attachments(view.attachments) : undefined;
  if (view.command) {
    user.append(commandCard(view, hooks));
    if (sent) user.append(sent);
    return user;
  }
  const chip = refChip(view, hooks);
  if (chip) user.append(chip);
  if (sent) user.append(sent);
  const body = el('div', { class: 'user-text' });
  renderWithPills(body, view.userText, hooks.render);
  user.append(body);
  return user;
}
