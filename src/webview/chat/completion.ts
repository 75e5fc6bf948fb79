// The @ / slash completion list under the composer's text area, as an ARIA 1.2 combobox: the text area is the
// combobox (aria-expanded, aria-controls, aria-activedescendant), the list a listbox of options. The keyboard
// drives it: Up/Down move, Enter or Tab take the highlighted item, Escape closes it (and stops nothing else),
// Ctrl+Space opens it again. The host ranks the items (core/composer/complete.ts); this only shows them. Every
// label is repository or user text, so everything is set as text, never as HTML.
import type { CompletionItem } from '../../shared/protocol';
import { el, icon } from '../common/dom';

export interface CompletionHooks {
  /** Ask the host for the items of `trigger` + `query`; the answer comes to show() with the same id. */
  request(id: number, trigger: '@' | '/', query: string): void;
}

interface Token {
  trigger: '@' | '/';
  /** Where the token starts (the trigger character) and where the word at the caret ends. */
  start: number;
  end: number;
  query: string;
}

const ICONS: Record<CompletionItem['kind'], string> = {
  file: 'file', folder: 'folder', symbol: 'symbol-method', selection: 'selection', problems: 'warning', terminal: 'terminal', git: 'git-compare', command: 'terminal-cmd', prefix: 'mention',
};
const MAX_QUERY = 1024;

/** The @ or / token the caret is in, if any (text = the whole value, caret = a collapsed selection). */
export function tokenAt(text: string, caret: number): Token | undefined {
  const before = text.slice(0, caret);
  let end = caret;
  while (end < text.length && !/\s/.test(text[end])) end++;
  const slash = /^\s*\/([\w.-]*)$/.exec(before);
  if (slash) return { trigger: '/', start: before.length - slash[1].length - 1, end, query: slash[1] };
  const at = /(^|[\s(\[{"'\u201c\u2018])@(\S*)$/.exec(before);
  if (!at || at[2].length > MAX_QUERY) return undefined;
  return { trigger: '@', start: before.length - at[2].length - 1, end, query: at[2] };
}

export class Completion {
  readonly list = el('div', { class: 'completion', role: 'listbox', id: 'completion-list', 'aria-label': 'Suggestions', hidden: '' });
  private items: CompletionItem[] = [];
  private active = 0;
  private token: Token | undefined;
  private seq = 0;
  /** The request whose answer is awaited (an older answer is dropped). */
  private waiting = -1;
  /** Escape closed the list for the token starting here: it stays closed until the token changes. */
  private dismissed: string | undefined;

  constructor(private readonly input: HTMLTextAreaElement, field: HTMLElement, private readonly hooks: CompletionHooks) {
    field.append(this.list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('aria-expanded', 'false');
    // Capture: this runs before the composer's own keydown (Enter sends, Escape stops) and takes the keys it uses.
    input.addEventListener('keydown', (e) => this.onKey(e), { capture: true });
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
    // Clicking an item must not take the focus from the text area.
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  /** Looks at the token under the caret and asks for its items (or closes the list). */
  update(force = false): void {
    const { selectionStart: s, selectionEnd: e, value } = this.input;
    const tok = s === e ? tokenAt(value, s) : undefined;
    const key = tok && `${tok.trigger}${tok.start}`;
    if (!tok || (!force && key === this.dismissed)) {
      if (!tok) this.dismissed = undefined;
      this.waiting = -1; // an answer still on its way must not open the list again
      this.close();
      return;
    }
    if (force) this.dismissed = undefined;
    this.token = tok;
    this.waiting = ++this.seq;
    this.hooks.request(this.waiting, tok.trigger, tok.query);
  }

  /** Items from the host for request `id`. */
  show(id: number, items: CompletionItem[]): void {
    if (id !== this.waiting || !this.token) return;
    const keep = this.items[this.active]?.insert;
    this.items = items;
    const again = items.findIndex((i) => i.insert === keep);
    this.active = again >= 0 ? again : 0;
    if (items.length === 0) return this.close();
    this.render();
  }

  close(): void {
    if (this.list.hidden) return;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.items.map((item, i) => {
        const opt = el('div', { class: 'completion-item', role: 'option', id: `completion-opt-${i}`, 'aria-selected': String(i === this.active), 'data-kind': item.kind },
          icon(ICONS[item.kind]), el('span', { class: 'completion-label' }, item.label));
        if (item.detail) opt.append(el('span', { class: 'completion-detail' }, item.detail));
        if (item.description) opt.append(el('span', { class: 'completion-description' }, item.description));
        opt.addEventListener('click', () => this.accept(i));
        return opt;
      }),
    );
    this.list.setAttribute('aria-label', `${this.items.length} suggestion${this.items.length === 1 ? '' : 's'}`);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  private highlight(): void {
    const opts = this.list.children;
    for (let i = 0; i < opts.length; i++) opts[i].setAttribute('aria-selected', String(i === this.active));
    const cur = opts[this.active] as HTMLElement | undefined;
    if (cur) {
      this.input.setAttribute('aria-activedescendant', cur.id);
      cur.scrollIntoView?.({ block: 'nearest' });
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      this.update(true);
      return;
    }
    if (!this.isOpen || e.isComposing) return;
    const n = this.items.length;
    const take = () => {
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    switch (e.key) {
      case 'ArrowDown':
        take();
        this.active = (this.active + 1) % n;
        return this.highlight();
      case 'ArrowUp':
        take();
        this.active = (this.active - 1 + n) % n;
        return this.highlight();
      case 'Enter':
      case 'Tab':
        if (e.shiftKey) return;
        take();
        return this.accept(this.active);
      case 'Escape':
        take();
        this.dismissed = this.token && `${this.token.trigger}${this.token.start}`;
        this.waiting = -1;
        return this.close();
    }
  }

  /** Replaces the token with the item's text and goes on from there. */
  private accept(i: number): void {
    const item = this.items[i];
    const tok = this.token;
    if (!item || !tok) return;
    this.close();
    this.input.focus();
    this.input.setRangeText(item.insert, tok.start, tok.end, 'end');
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
    if (!item.again) {
      this.dismissed = undefined;
      this.token = undefined;
    }
  }
}
