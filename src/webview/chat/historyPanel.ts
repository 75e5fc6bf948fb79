// The conversation list: open, rename, delete, and a new chat. Shown over the transcript when asked for.
import type { ConversationSummary } from '../../shared/protocol';
import { button, el } from '../common/dom';

export interface HistoryHooks {
  open(id: string): void;
  rename(id: string): void;
  remove(id: string): void;
  newChat(): void;
  exportOpen(): void;
}

function when(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString();
}

export class HistoryPanel {
  readonly root = el('section', { class: 'history', 'aria-label': 'Conversations', hidden: '' });
  private readonly list = el('ul', { class: 'history-list', role: 'list' });

  constructor(private readonly hooks: HistoryHooks) {
    const close = button('Close conversation list', 'close', { class: 'icon', id: 'history-close' });
    close.addEventListener('click', () => this.hide());
    const fresh = button('New chat', 'add', { class: 'icon' });
    fresh.addEventListener('click', () => {
      hooks.newChat();
      this.hide();
    });
    const exp = button('Export the open conversation to Markdown', 'export', { class: 'icon' });
    exp.addEventListener('click', () => hooks.exportOpen());
    this.root.append(el('div', { class: 'history-head' }, el('h2', {}, 'Conversations'), fresh, exp, close), this.list);
    this.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.hide();
      }
    });
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  update(items: ConversationSummary[], openId: string | undefined, show: boolean): void {
    this.list.replaceChildren();
    if (items.length === 0) this.list.append(el('li', { class: 'history-empty' }, 'No saved conversations yet. They appear here after the first reply.'));
    for (const item of items) {
      const open = el('button', { type: 'button', class: 'history-open', 'aria-current': item.id === openId ? 'true' : 'false' },
        el('span', { class: 'history-title' }, item.title),
        el('span', { class: 'history-meta' }, `${when(item.updatedAt)} · ${item.turnCount} ${item.turnCount === 1 ? 'message' : 'messages'}`));
      open.addEventListener('click', () => {
        this.hooks.open(item.id);
        this.hide();
      });
      const rename = button(`Rename "${item.title}"`, 'edit', { class: 'icon' });
      rename.addEventListener('click', () => this.hooks.rename(item.id));
      const del = button(`Delete "${item.title}"`, 'trash', { class: 'icon' });
      del.addEventListener('click', () => this.hooks.remove(item.id));
      this.list.append(el('li', { class: 'history-item', 'data-id': item.id }, open, rename, del));
    }
    if (show) this.show();
  }

  show(): void {
    this.root.hidden = false;
    (this.root.querySelector('.history-open') as HTMLElement | null)?.focus();
  }

  hide(): void {
    this.root.hidden = true;
  }
}
