// Per-turn actions of a long session, added to the transcript's DOM after it paints a turn (so the transcript and
// the composer, which render the messages, need no hook): "Edit" on a user message (an inline editor that resends
// the edited message as a fork), "Restore checkpoint" on a turn that changed files, and the continuation look (a
// turn that continues a reply cut at max_tokens shows as part of that reply, without the instruction sent for it).
import type { TurnView } from '../../shared/protocol';
import { button, el } from '../common/dom';

export interface TurnActionHooks {
  editResend(turnId: string, text: string): void;
  restore(turnId: string): void;
  busy(): boolean;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export class TurnActions {
  constructor(private readonly root: HTMLElement, private readonly hooks: TurnActionHooks) {}

  private section(id: string): HTMLElement | null {
    return this.root.querySelector<HTMLElement>(`section.turn[data-turn="${CSS.escape(id)}"]`);
  }

  /** Adds what `view` needs; safe to call again after every change of the turn. */
  decorate(view: TurnView): void {
    const s = this.section(view.id);
    if (!s) return;
    s.classList.toggle('continuation', view.continues !== undefined);
    const who = s.querySelector<HTMLElement>('.msg.user .who');
    if (who && view.continues === undefined && !who.querySelector('[data-action="edit"]')) {
      const edit = button('Edit and resend this message', 'edit', { class: 'icon turn-action', 'data-action': 'edit' });
      edit.addEventListener('click', () => this.openEditor(view.id, s, view.userText));
      who.append(edit);
    }
    const head = s.querySelector<HTMLElement>('.msg.assistant .who');
    const existing = head?.querySelector<HTMLButtonElement>('[data-action="restore"]');
    if (!head || !view.checkpoint || view.checkpoint.paths.length === 0) {
      existing?.remove();
      return;
    }
    const cp = view.checkpoint;
    const label = cp.available
      ? `Restore checkpoint: put back ${plural(cp.paths.length, 'file')} this turn changed (${cp.paths.join(', ')}) — shows the diff first`
      : `Checkpoint unavailable: its contents were dropped to keep checkpoints within their size limit (${cp.paths.join(', ')})`;
    const b = existing ?? button(label, 'discard', { class: 'secondary turn-action restore', 'data-action': 'restore' }, 'Restore checkpoint');
    b.title = label;
    b.setAttribute('aria-label', label);
    b.disabled = !cp.available;
    if (!existing) {
      b.addEventListener('click', () => {
        if (!this.hooks.busy()) this.hooks.restore(view.id);
      });
      head.append(b);
    }
  }

  /** An inline editor in place of the message text: Enter resends, Shift+Enter is a new line, Escape cancels. */
  private openEditor(turnId: string, s: HTMLElement, original: string): void {
    // The message as sent, not the rendered text (markdown and @-mention pills are not what the user typed).
    const textEl = s.querySelector<HTMLElement>('.msg.user .user-text');
    if (!textEl || s.querySelector('.edit-box')) return;
    const input = el('textarea', { class: 'edit-input', rows: String(Math.min(10, original.split('\n').length + 1)), 'aria-label': 'Edited message' });
    input.value = original;
    const send = button('Resend the edited message (the conversation forks here; the original stays in Conversations)', 'send', { class: 'primary', 'data-action': 'resend' }, 'Resend');
    const cancel = button('Cancel editing', undefined, { class: 'secondary', 'data-action': 'cancel-edit' }, 'Cancel');
    const box = el('div', { class: 'edit-box' }, input, el('div', { class: 'edit-row' }, el('span', { class: 'edit-hint' }, 'Resending forks the conversation from here.'), cancel, send));
    const close = () => {
      box.remove();
      textEl.hidden = false;
    };
    const submit = () => {
      const text = input.value.trim();
      if (!text || this.hooks.busy()) return;
      close();
      this.hooks.editResend(turnId, text);
    };
    send.addEventListener('click', submit);
    cancel.addEventListener('click', close);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    });
    textEl.hidden = true;
    textEl.after(box);
    input.focus();
  }
}
