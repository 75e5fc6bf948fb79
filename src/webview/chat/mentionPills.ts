// Mentions as pills, in the composer and in sent messages. In the composer the text area stays a plain text area
// (typing, pasting, undo and screen readers work as ever): a backdrop behind it draws each @-mention as a pill
// under its text, and a mention is removed as one piece, with Backspace right after it or Delete right before it.
// In a sent message each mention becomes a pill element. Mention text is user input and file names repository
// input: both are only ever set as text.
import { type Mention, parseMentions } from '../../shared/mentions';
import { el, icon } from '../common/dom';

const PILL_ICONS: Record<Mention['kind'], string> = {
  file: 'file', folder: 'folder', symbol: 'symbol-method', selection: 'selection', problems: 'warning', terminal: 'terminal', git: 'git-compare',
};

/** A pill for a mention in a sent message: an icon and the path, name or kind. */
export function pillFor(m: Pick<Mention, 'kind' | 'value'>, token: string): HTMLElement {
  return el('span', { class: 'mention-pill', 'data-kind': m.kind, title: token }, icon(PILL_ICONS[m.kind]), el('span', {}, m.value ?? m.kind));
}

export class MentionPills {
  private readonly backdrop = el('div', { class: 'mention-backdrop', 'aria-hidden': 'true' });

  constructor(private readonly input: HTMLTextAreaElement, private readonly field: HTMLElement) {
    field.prepend(this.backdrop);
    input.addEventListener('input', () => this.paint());
    input.addEventListener('scroll', () => this.sync());
    input.addEventListener('keydown', (e) => this.onKey(e));
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.sync()).observe(input);
    this.paint();
  }

  /** The mentions in the text now. */
  mentions(): Mention[] {
    return parseMentions(this.input.value);
  }

  /** Redraws the backdrop from the text (also after the text is set from outside). */
  paint(): void {
    const text = this.input.value;
    const mentions = parseMentions(text);
    const nodes: Node[] = [];
    let at = 0;
    for (const m of mentions) {
      if (m.start > at) nodes.push(document.createTextNode(text.slice(at, m.start)));
      nodes.push(el('mark', { class: 'pill', 'data-kind': m.kind }, text.slice(m.start, m.end)));
      at = m.end;
    }
    // A trailing newline needs a character after it to take up its line, as it does in the text area.
    nodes.push(document.createTextNode(`${text.slice(at)}\u200b`));
    this.backdrop.replaceChildren(...nodes);
    this.field.classList.toggle('has-mentions', mentions.length > 0);
    this.sync();
  }

  /** The backdrop covers the field (CSS); only the scroll position follows the text area. */
  private sync(): void {
    this.backdrop.scrollTop = this.input.scrollTop;
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.key !== 'Backspace' && e.key !== 'Delete') || e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    const { selectionStart: pos, selectionEnd } = this.input;
    if (pos !== selectionEnd) return;
    const hit = this.mentions().find((m) => (e.key === 'Backspace' ? m.end === pos : m.start === pos));
    if (!hit) return;
    e.preventDefault();
    this.input.setRangeText('', hit.start, hit.end, 'end');
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
