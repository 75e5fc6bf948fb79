// The input area: Enter sends, Shift+Enter newline, Up recalls the last message, Escape stops. The @ / slash
// completion and the mention pills attach to `field` (completion.ts, mentionPills.ts).
import type { ErrorAction } from '../../shared/protocol';
import { button, el } from '../common/dom';

export interface ComposerHooks {
  send(text: string): void;
  stop(): void;
  newChat(): void;
  draftChanged(): void;
  setModel(model: string): void;
  /** A reply is streaming (derived from the chat model, not kept here). */
  busy(): boolean;
  /** A message may go without text (attachments are waiting). */
  canSendEmpty?(): boolean;
  /** Why `text` must not be sent (an unknown command), or undefined to send it. */
  validate?(text: string): string | undefined;
  /** The button of an error shown in place (e.g. Set API Key). */
  errorAction?(action: ErrorAction): void;
}

function compact(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export class Composer {
  readonly root = el('form', { class: 'composer', 'aria-label': 'Message Claude' });
  private readonly input = el('textarea', { id: 'input', rows: '3', placeholder: 'Ask Claude…  (Enter to send, Shift+Enter for a new line)', 'aria-label': 'Message' });
  private readonly sendBtn = button('Send message', 'send', { id: 'send', class: 'primary' });
  private readonly stopBtn = button('Stop response (Escape)', 'debug-stop', { id: 'stop', class: 'danger', hidden: '' });
  private readonly model = el('select', { class: 'model', id: 'model-select', 'aria-label': 'Model', title: 'Model for this conversation' });
  private readonly estimate = el('span', { class: 'estimate', id: 'estimate', title: 'Input tokens the next message will send (count_tokens)' });
  /** The text area's box: the completion list and the mention backdrop live in it. */
  readonly field = el('div', { class: 'composer-field' }, this.input);
  private readonly errorBox = el('div', { class: 'composer-error', id: 'composer-error', role: 'alert', hidden: '' });
  private models: { id: string; displayName: string }[] = [];
  private current = '';
  private enabled = true;
  lastSent: string | undefined;

  constructor(private readonly hooks: ComposerHooks, draft: string, lastSent?: string) {
    this.model.addEventListener('change', () => hooks.setModel(this.model.value));
    this.input.value = draft;
    this.lastSent = lastSent;
    const newChat = button('New chat', 'add', { id: 'new-chat', class: 'icon' });
    newChat.addEventListener('click', () => hooks.newChat());
    this.root.append(this.field, this.errorBox, el('div', { class: 'composer-row' }, this.model, this.estimate, el('span', { class: 'spacer' }), newChat, this.stopBtn, this.sendBtn));
    this.root.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.sendBtn.addEventListener('click', () => this.submit());
    this.stopBtn.addEventListener('click', () => hooks.stop());
    this.input.addEventListener('input', () => {
      this.errorBox.hidden = true;
      hooks.draftChanged();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && hooks.busy()) {
        e.preventDefault();
        hooks.stop();
        this.focus();
      }
    });
  }

  get draft(): string {
    return this.input.value;
  }

  get textarea(): HTMLTextAreaElement {
    return this.input;
  }

  fill(text: string): void {
    this.setText(text);
    this.focus();
  }

  /** A message that was not sent, shown under the input until the text changes; its text back if the input is empty. */
  showError(message: string, text?: string, action?: ErrorAction): void {
    if (text !== undefined && this.input.value.trim() === '') this.setText(text);
    const parts: (Node | string)[] = [el('span', {}, message)];
    if (action === 'setApiKey') {
      const b = button('Set API Key', 'key', { class: 'secondary' }, 'Set API Key');
      b.addEventListener('click', () => this.hooks.errorAction?.(action));
      parts.push(b);
    }
    this.errorBox.replaceChildren(...parts);
    this.errorBox.hidden = false;
    this.input.setAttribute('aria-describedby', this.errorBox.id);
  }

  /** Sets the text as typing would (listeners such as the pills and the saved draft hear about it). */
  private setText(text: string): void {
    this.input.value = text;
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  focus(): void {
    this.input.focus();
  }

  update(s: { model: string; enabled: boolean }): void {
    const busy = this.hooks.busy();
    this.enabled = s.enabled;
    this.current = s.model;
    this.renderModels();
    this.stopBtn.hidden = !busy;
    this.sendBtn.hidden = busy;
    this.sendBtn.disabled = !s.enabled;
    this.input.disabled = !s.enabled;
    this.input.placeholder = s.enabled ? 'Ask Claude…  (Enter to send, Shift+Enter for a new line)' : 'Set an API key to start chatting';
  }

  /** Puts `node` (the request controls, requestControls.ts) right after the model picker. */
  attachControls(node: HTMLElement): void {
    this.model.after(node);
  }

  setModels(models: { id: string; displayName: string }[]): void {
    this.models = models;
    this.renderModels();
  }

  setEstimate(tokens: number | undefined, contextWindow: number | undefined, error?: string): void {
    if (error || tokens === undefined) {
      this.estimate.textContent = '';
      this.estimate.title = error ?? '';
      return;
    }
    const share = contextWindow ? ` · ${((tokens / contextWindow) * 100).toFixed(tokens / contextWindow < 0.01 ? 1 : 0)}%` : '';
    this.estimate.textContent = `≈ ${compact(tokens)} tok${share}`;
    this.estimate.title = `The next message sends about ${tokens.toLocaleString()} input tokens${contextWindow ? ` of the model's ${contextWindow.toLocaleString()}-token context window` : ''}.`;
    this.estimate.classList.toggle('warn', !!contextWindow && tokens / contextWindow > 0.8);
  }

  private renderModels(): void {
    const ids = this.models.some((m) => m.id === this.current) || !this.current ? this.models : [{ id: this.current, displayName: this.current }, ...this.models];
    this.model.replaceChildren(...ids.map((m) => el('option', { value: m.id }, m.displayName === m.id ? m.id : `${m.displayName}`)));
    this.model.value = this.current;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'ArrowUp' && this.input.value === '' && this.lastSent) {
      e.preventDefault();
      this.setText(this.lastSent);
    }
  }

  private submit(): void {
    const text = this.input.value.trim();
    if ((!text && !this.hooks.canSendEmpty?.()) || this.hooks.busy() || !this.enabled) return;
    const problem = text ? this.hooks.validate?.(text) : undefined;
    if (problem) return this.showError(problem);
    this.lastSent = text;
    this.hooks.send(text);
    // Emptied now (a second Enter sends nothing), but its listeners (pills, draft, completion) run after the message
    // has left: the repaint they cause would otherwise be done before the message is handed on to the extension.
    this.input.value = '';
    setTimeout(() => this.input.dispatchEvent(new Event('input', { bubbles: true })), 0);
  }
}
