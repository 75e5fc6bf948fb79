// Attached context as removable chips above the input: click reveals the file, × removes it.
import type { ContextChip } from '../../shared/protocol';
import { button, el, icon } from '../common/dom';

const KIND_ICONS: Record<ContextChip['kind'], string> = { file: 'file', selection: 'selection', problems: 'warning', terminal: 'terminal', git: 'git-compare' };

function compact(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export class ContextChips {
  readonly root = el('div', { class: 'context-chips', role: 'list', 'aria-label': 'Attached context', hidden: '' });

  constructor(private readonly hooks: { reveal(id: string): void; remove(id: string): void }) {}

  update(items: ContextChip[]): void {
    this.root.hidden = items.length === 0;
    this.root.replaceChildren();
    for (const c of items) {
      const name = c.label.split('/').pop() ?? c.label;
      const open = el('button', { type: 'button', class: 'chip-open', title: `${c.label} · about ${c.tokens.toLocaleString()} tokens, prompt-cached` },
        icon(KIND_ICONS[c.kind]), el('span', {}, name), el('span', { class: 'chip-tokens' }, compact(c.tokens)));
      open.addEventListener('click', () => this.hooks.reveal(c.id));
      const remove = button(`Remove ${c.label} from the context`, 'close', { class: 'icon chip-remove' });
      remove.addEventListener('click', () => this.hooks.remove(c.id));
      this.root.append(el('span', { class: 'chip', role: 'listitem', 'data-id': c.id }, open, remove));
    }
  }
}
