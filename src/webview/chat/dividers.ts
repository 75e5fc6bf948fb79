// Compaction dividers: where a summary began to stand in for the turns before it in the request. Each is a
// <details> before its turn that expands to the summary (plain text: the summary is model output, never markup).
// It only decorates the transcript's DOM (section.turn[data-turn]), so the transcript itself needs no hook.
import type { CompactionView } from '../../shared/protocol';
import { el, icon } from '../common/dom';

export function dividerLabel(c: CompactionView): string {
  const turns = `${c.turns} earlier ${c.turns === 1 ? 'turn' : 'turns'}${c.blockIndex > 0 ? ' and the first tool rounds of the next one' : ''}`;
  const cost = c.cost === undefined ? 'cost unknown' : `$${c.cost.toFixed(4)}`;
  return `Summary of ${turns} · ${c.server ? "API's compaction" : c.model.replace(/^claude-/, '')} · ${cost}`;
}

export class Dividers {
  constructor(private readonly root: HTMLElement) {}

  /** Puts one divider before each compaction's turn (idempotent; removes those no longer in `list`). */
  sync(list: readonly CompactionView[] | undefined): void {
    const want = new Set((list ?? []).map((c) => c.id));
    for (const d of Array.from(this.root.querySelectorAll<HTMLElement>('details.compaction-divider'))) {
      if (!want.has(d.dataset.compaction ?? '')) d.remove();
    }
    for (const c of list ?? []) {
      const turn = this.root.querySelector<HTMLElement>(`section.turn[data-turn="${CSS.escape(c.turnId)}"]`);
      if (!turn) continue;
      let d = this.root.querySelector<HTMLElement>(`details.compaction-divider[data-compaction="${CSS.escape(c.id)}"]`);
      if (!d) {
        d = el('details', { class: 'compaction-divider', 'data-compaction': c.id });
        d.append(
          el('summary', { title: 'Show the summary that replaced these turns in the requests (they stay here in full)' }, icon('fold'), el('span', {}, dividerLabel(c))),
          el('div', { class: 'compaction-summary', role: 'note', 'aria-label': 'Summary sent instead of the earlier turns' }, c.summary),
        );
      }
      if (d.nextElementSibling !== turn) turn.before(d);
    }
  }
}
