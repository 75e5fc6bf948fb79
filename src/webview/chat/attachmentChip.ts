// How an attachment looks in the chat: a chip with a thumbnail (images) or a page count (PDFs), its estimated
// tokens and a name a screen reader reads out; and a reply's citations of a PDF as footnotes. Built with DOM calls,
// never innerHTML; a thumbnail is used only when it is a small JPEG/PNG data: URL (the CSP allows `img-src data:`).
import type { AttachmentView, CitationView } from '../../shared/protocol';
import { button, el, icon } from '../common/dom';

const THUMBNAIL = /^data:image\/(jpeg|png);base64,[A-Za-z0-9+/]+={0,2}$/;

export function compactTokens(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

const LABEL: Record<AttachmentView['mediaType'], string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
};

/** "PNG image, 1456×819, about 1.6k tokens" — the words a screen reader and the tooltip use. */
export function describeAttachment(a: AttachmentView): string {
  const size = a.pages ? `${a.pages} page${a.pages === 1 ? '' : 's'}` : a.width && a.height ? `${a.width}×${a.height}` : '';
  return [LABEL[a.mediaType], size, `about ${compactTokens(a.tokens)} tokens`].filter(Boolean).join(', ') + (a.note ? `. ${a.note}` : '');
}

export interface ChipHooks {
  open(id: string): void;
  /** Present for chips that can still be removed (waiting for the next message). */
  remove?(id: string): void;
}

export function attachmentChip(a: AttachmentView, hooks: ChipHooks): HTMLElement {
  const pdf = a.mediaType === 'application/pdf';
  const visual = !pdf && a.thumbnail && THUMBNAIL.test(a.thumbnail) ? el('img', { class: 'chip-thumb', src: a.thumbnail, alt: '' }) : icon(pdf ? 'file-pdf' : 'file-media');
  const meta = pdf && a.pages ? `${a.pages} p · ${compactTokens(a.tokens)}` : compactTokens(a.tokens);
  const description = describeAttachment(a);
  const open = el('button', { type: 'button', class: 'chip-open', 'aria-label': `Open ${a.name}: ${description}`, title: `${a.name}\n${description}` },
    visual, el('span', { class: 'chip-name' }, a.name), el('span', { class: 'chip-tokens' }, meta));
  open.addEventListener('click', () => hooks.open(a.id));
  const chip = el('span', { class: `chip attachment-chip${a.note ? ' noted' : ''}`, role: 'listitem', 'data-attachment': a.id }, open);
  if (hooks.remove) {
    const remove = button(`Remove ${a.name}`, 'close', { class: 'icon chip-remove' });
    remove.addEventListener('click', () => hooks.remove?.(a.id));
    chip.append(remove);
  }
  return chip;
}

/** A row of chips (a sent message's attachments, a tool result's image). */
export function attachmentRow(items: readonly AttachmentView[], hooks: ChipHooks, label: string): HTMLElement {
  const row = el('div', { class: 'attachment-row', role: 'list', 'aria-label': label });
  for (const a of items) row.append(attachmentChip(a, hooks));
  return row;
}

function pages(c: CitationView): string {
  if (c.startPage === undefined) return '';
  const last = c.endPage !== undefined && c.endPage - 1 > c.startPage ? c.endPage - 1 : undefined;
  return last ? `pp. ${c.startPage}–${last}` : `p. ${c.startPage}`;
}

/** One footnote: where (document, page, clickable when it can be opened) and the quoted passage. */
export function citationItem(c: CitationView, open: () => void): HTMLElement {
  const where = [c.title, pages(c)].filter(Boolean).join(', ') || 'source';
  const quote = c.citedText.length > 300 ? `${c.citedText.slice(0, 299)}…` : c.citedText;
  const source = c.attachmentId
    ? el('button', { type: 'button', class: 'citation-open', title: `Open ${c.title ?? 'the PDF'}${c.startPage ? ` at page ${c.startPage}` : ''}` }, icon('file-pdf'), el('span', {}, where))
    : el('span', { class: 'citation-source' }, where);
  if (c.attachmentId) source.addEventListener('click', open);
  return el('li', { class: 'citation' }, source, el('q', {}, quote));
}

/**
 * Adds a citation of a text block: a numbered marker right after the cited text (the reply's text blocks then flow
 * as one paragraph) and a footnote under the reply (`t.notes`, made on the first citation, before the footer).
 */
export function appendCitation(
  t: { notes?: HTMLOListElement; footer: HTMLElement; reply: HTMLElement },
  b: { cited?: number; lastRef?: HTMLElement; body: HTMLElement },
  c: CitationView,
  openAt: (index: number) => void,
): void {
  if (!t.notes) {
    t.notes = el('ol', { class: 'citations', 'aria-label': 'Sources cited' });
    t.footer.before(t.notes);
    t.reply.classList.add('flow');
  }
  const index = b.cited ?? 0;
  b.cited = index + 1;
  const n = t.notes.childElementCount + 1;
  const open = () => openAt(index);
  t.notes.append(citationItem(c, open));
  const ref = el('button', { type: 'button', class: 'cite-ref', 'aria-label': `Source ${n}: ${c.title ?? 'cited passage'}${c.startPage ? `, page ${c.startPage}` : ''}`, title: c.citedText.slice(0, 300) }, `[${n}]`);
  ref.addEventListener('click', open);
  (b.lastRef ?? b.body).after(ref);
  b.lastRef = ref;
}
