// Which project instruction files Claude reads (AGENTS.md, CLAUDE.md…), as chips above the input, and the note
// when none are read (Restricted Mode) or some are left out.
import type { ComposerInfo } from '../../shared/protocol';
import { el, icon } from '../common/dom';

export class InstructionChips {
  readonly root = el('div', { class: 'instruction-chips', role: 'list', 'aria-label': 'Instruction files in use', hidden: '' });

  update(info: ComposerInfo): void {
    this.root.replaceChildren();
    for (const f of info.instructions) {
      const name = f.label.split('/').pop() ?? f.label;
      const title = `${f.label}: about ${f.tokens.toLocaleString()} tokens, sent as a cached system block with every message${f.truncated ? ' (cut to the size limit, claudeChat.instructions.maxFileKB)' : ''}`;
      this.root.append(el('span', { class: `instruction-chip${f.truncated ? ' truncated' : ''}`, role: 'listitem', title, 'data-label': f.label }, icon('book'), el('span', {}, name)));
    }
    if (info.note) this.root.append(el('span', { class: 'instruction-note', role: 'listitem', title: info.note }, icon('shield'), el('span', {}, info.note)));
    this.root.hidden = this.root.childElementCount === 0;
  }
}
