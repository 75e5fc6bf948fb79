// The list of turns: user messages, streamed assistant blocks, status and errors.
import type { BlockView, CodeBlockAction, ErrorAction, RetryView, ToolDecision, ToolStatus, TurnOutcome, TurnView } from '../shared/protocol';
import { button, el, icon } from './dom';
import { MessageRenderer, RenderHooks } from './render';
import { ToolCard } from './toolCard';

export interface TranscriptHooks {
  onAction(action: ErrorAction): void;
  onLink(href: string): void;
  onCodeBlockAction(action: CodeBlockAction, code: string, lang: string): void;
  onCancelRetry(): void;
  onRevealRef(turnId: string): void;
  onToolDecision(toolId: string, decision: ToolDecision): void;
  announce(text: string): void;
}

interface BlockEntry {
  view: BlockView;
  renderer?: MessageRenderer;
  card?: ToolCard;
  body: HTMLElement;
}

interface TurnEntry {
  view: TurnView;
  root: HTMLElement;
  reply: HTMLElement;
  footer: HTMLElement;
  blocks: Map<string, BlockEntry>;
  cards: Map<string, ToolCard>;
  countdown?: ReturnType<typeof setInterval>;
}

const ACTION_LABEL: Record<ErrorAction, [string, string]> = {
  setApiKey: ['Set API Key', 'key'],
  retry: ['Retry', 'refresh'],
  openSettings: ['Open Settings', 'settings-gear'],
  continue: ['Continue', 'debug-continue'],
  continueTools: ['Continue', 'debug-continue'],
  trim: ['Leave Out Oldest Turns and Retry', 'fold'],
};

export class Transcript {
  private turns = new Map<string, TurnEntry>();
  private readonly renderHooks: RenderHooks;

  constructor(readonly root: HTMLElement, private readonly hooks: TranscriptHooks) {
    this.renderHooks = { onLink: (href) => hooks.onLink(href), onCodeBlockAction: (a, code, lang) => hooks.onCodeBlockAction(a, code, lang) };
  }

  get size(): number {
    return this.turns.size;
  }

  clear(): void {
    this.observer?.disconnect();
    for (const t of this.turns.values()) for (const b of t.blocks.values()) b.renderer?.dispose();
    this.turns.clear();
    this.root.replaceChildren();
  }

  /** Renders a whole turn (restore or turnStart). */
  /**
   * Renders a turn. A `lazy` turn (an older one of a restored conversation) gets a plain-text placeholder and
   * renders its markdown only when it scrolls near the viewport, so long conversations open at once.
   */
  addTurn(view: TurnView, lazy = false): void {
    const user = el('div', { class: 'msg user', 'aria-label': 'You said' });
    user.append(el('div', { class: 'who' }, icon('account'), el('span', {}, 'You')));
    if (view.ref) {
      const r = view.ref;
      const name = r.label.split('/').pop() ?? r.label;
      const lines = r.startLine === r.endLine ? `line ${r.startLine + 1}` : `lines ${r.startLine + 1}–${r.endLine + 1}`;
      const chip = el('button', { type: 'button', class: 'ref-chip', title: `Show ${r.label}, ${lines}` }, icon('file-code'), el('span', {}, `${name} · ${lines}`));
      chip.addEventListener('click', () => this.hooks.onRevealRef(view.id));
      user.append(chip);
    }
    user.append(el('div', { class: 'user-text' }, view.userText));
    const reply = el('div', { class: 'reply-body' });
    const footer = el('div', { class: 'turn-footer' });
    const assistant = el('div', { class: 'msg assistant', 'aria-label': 'Claude replied' });
    assistant.append(el('div', { class: 'who' }, icon('sparkle'), el('span', {}, 'Claude')), reply, footer);
    const root = el('section', { class: 'turn', 'data-turn': view.id }, user, assistant);
    const entry: TurnEntry = { view: { ...view, blocks: [] }, root, reply, footer, blocks: new Map(), cards: new Map() };
    this.turns.set(view.id, entry);
    this.root.append(root);
    if (lazy && view.blocks.length > 0) {
      entry.view.blocks = view.blocks.map((b) => ({ ...b }));
      const preview = view.blocks.filter((b) => b.kind === 'text').map((b) => b.text).join('\n').slice(0, 600);
      reply.append(el('div', { class: 'lazy-preview' }, preview));
      root.dataset.lazy = 'true';
      this.lazyObserver().observe(root);
    } else this.materialize(entry, view.blocks);
    this.renderStatus(entry);
  }

  private observer: IntersectionObserver | undefined;

  private lazyObserver(): IntersectionObserver {
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (!e.isIntersecting) continue;
          const root = e.target as HTMLElement;
          this.observer?.unobserve(root);
          const entry = this.turns.get(root.dataset.turn ?? '');
          if (!entry || root.dataset.lazy !== 'true') continue;
          delete root.dataset.lazy;
          const blocks = entry.view.blocks;
          entry.view.blocks = [];
          entry.reply.replaceChildren();
          this.materialize(entry, blocks);
        }
      },
      { rootMargin: '800px 0px' },
    );
    return this.observer;
  }

  private materialize(entry: TurnEntry, blocks: BlockView[]): void {
    for (const b of blocks) {
      this.startBlock(entry.view.id, b);
      this.stopBlock(entry.view.id, b.id);
    }
  }

  scrollToEnd(): void {
    this.root.lastElementChild?.scrollIntoView({ block: 'end' });
  }

  startBlock(turnId: string, block: BlockView): void {
    const t = this.turns.get(turnId);
    if (!t || t.blocks.has(block.id)) return;
    let body: HTMLElement;
    let renderer: MessageRenderer | undefined;
    if (block.kind === 'thinking' || block.kind === 'redacted_thinking') {
      const details = el('details', { class: 'thinking' });
      details.append(el('summary', {}, icon('lightbulb'), el('span', {}, block.kind === 'thinking' ? 'Thinking' : 'Thinking (redacted)')));
      body = el('div', { class: 'thinking-body' });
      details.append(body);
      t.reply.append(details);
      renderer = new MessageRenderer(body, this.renderHooks);
    } else if (block.kind === 'tool_use') {
      const card = new ToolCard(block.toolName ?? 'tool', block.toolId ?? block.id, (id, d) => this.hooks.onToolDecision(id, d));
      if (block.toolStatus) card.setStatus(block.toolStatus);
      t.cards.set(block.toolId ?? block.id, card);
      t.reply.append(card.root);
      const entry: BlockEntry = { view: { ...block, text: '' }, body: card.root, card };
      t.blocks.set(block.id, entry);
      t.view.blocks.push(entry.view);
      if (block.text) this.appendDelta(turnId, block.id, block.text);
      return;
    } else if (block.kind === 'tool_result') {
      const card = t.cards.get(block.toolId ?? '');
      card?.setResult(block.text, !!block.isError);
      t.view.blocks.push({ ...block });
      return;
    } else {
      body = el('div', { class: 'text-block' });
      t.reply.append(body);
      renderer = new MessageRenderer(body, this.renderHooks);
    }
    const entry: BlockEntry = { view: { ...block, text: '' }, body, renderer };
    t.blocks.set(block.id, entry);
    t.view.blocks.push(entry.view);
    if (block.text) this.appendDelta(turnId, block.id, block.text);
  }

  appendDelta(turnId: string, blockId: string, text: string): void {
    const b = this.turns.get(turnId)?.blocks.get(blockId);
    if (!b) return;
    const first = b.view.text.length === 0;
    b.view.text += text;
    if (b.renderer) {
      b.renderer.append(text);
      // Paint the first words at once; later deltas coalesce to one render per frame.
      if (first) b.renderer.flush();
    }
    else if (b.card) b.card.appendInput(text);
    else b.body.textContent = b.view.text;
    this.followIfAtBottom();
  }

  stopBlock(turnId: string, blockId: string): void {
    const b = this.turns.get(turnId)?.blocks.get(blockId);
    b?.renderer?.finish();
    b?.card?.finishInput();
  }

  toolStatus(turnId: string, toolId: string, status: ToolStatus, detail?: string): void {
    const t = this.turns.get(turnId);
    t?.cards.get(toolId)?.setStatus(status, detail);
    const v = t?.view.blocks.find((b) => b.kind === 'tool_use' && b.toolId === toolId);
    if (v) v.toolStatus = status;
    if (status === 'pending-approval') this.hooks.announce('A tool call is waiting for your approval.');
  }

  /** The turn goes on (the tool loop was resumed). */
  resume(turnId: string): void {
    const t = this.turns.get(turnId);
    if (!t) return;
    Object.assign(t.view, { status: 'streaming', error: undefined, toolCapReached: false });
    this.renderStatus(t);
  }

  /** Shows a live countdown to the next attempt, with Cancel. */
  retryWait(turnId: string, r: RetryView): void {
    const t = this.turns.get(turnId);
    if (!t) return;
    this.clearCountdown(t);
    const label = el('span', {});
    const cancel = button('Cancel retry', 'close', { class: 'secondary', 'data-action': 'cancel-retry' }, 'Cancel');
    cancel.addEventListener('click', () => this.hooks.onCancelRetry());
    const box = el('div', { class: 'retry', role: 'status' }, icon('sync'), label, cancel);
    const tick = () => {
      const secs = Math.max(0, Math.ceil((r.until - Date.now()) / 1000));
      label.textContent = `${r.reason} Retrying in ${secs} s (attempt ${r.attempt + 1} of ${r.maxAttempts}).`;
    };
    tick();
    t.countdown = setInterval(tick, 250);
    t.footer.replaceChildren(box);
    this.hooks.announce(`${r.reason} Retrying in ${Math.ceil(r.delayMs / 1000)} seconds.`);
  }

  endTurn(turnId: string, outcome: TurnOutcome): void {
    const t = this.turns.get(turnId);
    if (!t) return;
    this.clearCountdown(t);
    const { status, error } = outcome;
    Object.assign(t.view, { stopReason: undefined, stopSequence: undefined, error: undefined, usage: undefined, toolCapReached: undefined }, outcome);
    for (const b of t.blocks.values()) b.renderer?.finish();
    this.renderStatus(t);
    const text = [...t.blocks.values()].filter((b) => b.view.kind === 'text').map((b) => b.view.text).join('\n');
    if (status === 'complete') this.hooks.announce(`Claude replied: ${text.slice(0, 500)}`);
    else if (status === 'stopped') this.hooks.announce('Reply stopped.');
    else if (status === 'error') this.hooks.announce(`Error: ${error?.message ?? 'request failed'}`);
  }

  /** Snapshot for getState/setState, so a hidden and re-shown view restores at once. */
  snapshot(): TurnView[] {
    return [...this.turns.values()].map((t) => ({ ...t.view, blocks: t.view.blocks.map((b) => ({ ...b })) }));
  }

  private renderStatus(t: TurnEntry): void {
    const v = t.view;
    t.root.dataset.status = v.status;
    t.footer.replaceChildren();
    if (v.status === 'streaming') {
      t.footer.append(el('span', { class: 'status streaming' }, icon('loading codicon-modifier-spin'), el('span', {}, 'Replying…')));
      return;
    }
    if (v.status === 'stopped') t.footer.append(el('span', { class: 'status incomplete' }, icon('debug-stop'), el('span', {}, 'Stopped: the reply is incomplete.')));
    if (v.stopReason === 'max_tokens') {
      const more = button('Continue the reply', 'debug-continue', { class: 'secondary', 'data-action': 'continue' }, 'Continue');
      more.addEventListener('click', () => this.hooks.onAction('continue'));
      t.footer.append(el('span', { class: 'status incomplete' }, icon('warning'), el('span', {}, 'The reply hit the max tokens limit.')), more);
    }
    if (v.toolCapReached) {
      const more = button('Let the tool loop continue', 'debug-continue', { class: 'secondary', 'data-action': 'continueTools' }, 'Continue');
      more.addEventListener('click', () => this.hooks.onAction('continueTools'));
      t.footer.append(el('span', { class: 'status incomplete' }, icon('warning'), el('span', {}, 'Claude used the maximum number of tool rounds for one message.')), more);
    }
    if (v.stopReason === 'stop_sequence') t.footer.append(el('span', { class: 'status' }, icon('debug-breakpoint-log'), el('span', {}, `Stopped at the stop sequence "${v.stopSequence ?? ''}".`)));
    if (v.stopReason === 'refusal') t.footer.append(el('span', { class: 'status refusal' }, icon('circle-slash'), el('span', {}, 'Claude declined to answer this request.')));
    if (v.error) {
      const box = el('div', { class: 'error', role: 'alert' }, icon('error'), el('span', {}, v.error.message));
      if (v.error.action) {
        const [label, iconName] = ACTION_LABEL[v.error.action];
        const b = button(label, iconName, { class: 'secondary', 'data-action': v.error.action }, label);
        b.addEventListener('click', () => this.hooks.onAction(v.error!.action!));
        box.append(b);
      }
      t.footer.append(box);
    }
    if (v.usage && v.status === 'complete') {
      const u = v.usage;
      const parts = [`${u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens} in`, `${u.outputTokens} out`];
      if (u.cacheReadTokens) parts.push(`${u.cacheReadTokens} cached`);
      t.footer.append(el('span', { class: 'usage', title: 'Tokens for this reply' }, parts.join(' · ')));
    }
  }

  private clearCountdown(t: TurnEntry): void {
    if (t.countdown) clearInterval(t.countdown);
    t.countdown = undefined;
  }

  private followIfAtBottom(): void {
    const s = document.scrollingElement;
    if (s && s.scrollHeight - s.scrollTop - s.clientHeight < 120) s.scrollTop = s.scrollHeight;
  }
}
